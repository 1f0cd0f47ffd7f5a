// nn/layers: every built-in layer class, and camelCase factories for the public `layers`
// namespace (ts.layers.dense({ units: 8 })). Importing this module registers every class for
// deserialization.
import type { LayerArgs } from "../layer.js";
import { Activation, type ActivationArgs } from "./activation.js";
import { Add } from "./add.js";
import { Average } from "./average.js";
import { AveragePooling1D } from "./average-pooling1d.js";
import { AveragePooling2D } from "./average-pooling2d.js";
import type { GlobalPoolingArgs } from "./base-global-pooling.js";
import type { PoolingArgs } from "./base-pooling.js";
import { BatchNormalization, type BatchNormalizationArgs } from "./batch-normalization.js";
import { Concatenate, type ConcatenateArgs } from "./concatenate.js";
import type { ConvArgs } from "./conv.js";
import { Conv1D } from "./conv1d.js";
import { Conv2D, type Conv2DArgs } from "./conv2d.js";
import { Conv2DTranspose, type Conv2DTransposeArgs } from "./conv2d-transpose.js";
import { Cropping2D, type Cropping2DArgs } from "./cropping2d.js";
import { Dense, type DenseArgs } from "./dense.js";
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from "./depthwise-conv2d.js";
import { Dot, type DotArgs } from "./dot.js";
import { Dropout, type DropoutArgs } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { GaussianNoise, type GaussianNoiseArgs } from "./gaussian-noise.js";
import { GlobalAveragePooling1D } from "./global-average-pooling1d.js";
import { GlobalAveragePooling2D } from "./global-average-pooling2d.js";
import { GlobalMaxPooling1D } from "./global-max-pooling1d.js";
import { GlobalMaxPooling2D } from "./global-max-pooling2d.js";
import { type InputArgs, InputLayer } from "./input.js";
import { LayerNormalization, type LayerNormalizationArgs } from "./layer-normalization.js";
import { MaxPooling1D } from "./max-pooling1d.js";
import { MaxPooling2D } from "./max-pooling2d.js";
import { Maximum } from "./maximum.js";
import { Minimum } from "./minimum.js";
import { Multiply } from "./multiply.js";
import { Permute, type PermuteArgs } from "./permute.js";
import { RepeatVector, type RepeatVectorArgs } from "./repeat-vector.js";
import { Reshape, type ReshapeArgs } from "./reshape.js";
import { SeparableConv2D, type SeparableConv2DArgs } from "./separable-conv2d.js";
import { Subtract } from "./subtract.js";
import { UpSampling2D, type UpSampling2DArgs } from "./up-sampling2d.js";
import { ZeroPadding2D, type ZeroPadding2DArgs } from "./zero-padding2d.js";

export { Activation, type ActivationArgs } from "./activation.js";
export { Add } from "./add.js";
export { Average } from "./average.js";
export { AveragePooling1D } from "./average-pooling1d.js";
export { AveragePooling2D } from "./average-pooling2d.js";
export { BaseConv, type BaseConvArgs, type ConvPadding } from "./base-conv.js";
export { BaseGlobalPooling, type GlobalPoolingArgs } from "./base-global-pooling.js";
export { BasePooling, type PoolingArgs } from "./base-pooling.js";
export { BatchNormalization, type BatchNormalizationArgs } from "./batch-normalization.js";
export { Concatenate, type ConcatenateArgs } from "./concatenate.js";
export { Conv, type ConvArgs } from "./conv.js";
export type { DataFormat } from "./conv-utils.js";
export { Conv1D } from "./conv1d.js";
export { Conv2D, type Conv2DArgs } from "./conv2d.js";
export { Conv2DTranspose, type Conv2DTransposeArgs } from "./conv2d-transpose.js";
export { Cropping2D, type Cropping2DArgs } from "./cropping2d.js";
export { Dense, type DenseArgs } from "./dense.js";
export { DepthwiseConv2D, type DepthwiseConv2DArgs } from "./depthwise-conv2d.js";
export { Dot, type DotArgs } from "./dot.js";
export { Dropout, type DropoutArgs } from "./dropout.js";
export { Flatten } from "./flatten.js";
export { GaussianNoise, type GaussianNoiseArgs } from "./gaussian-noise.js";
export { GlobalAveragePooling1D } from "./global-average-pooling1d.js";
export { GlobalAveragePooling2D } from "./global-average-pooling2d.js";
export { GlobalMaxPooling1D } from "./global-max-pooling1d.js";
export { GlobalMaxPooling2D } from "./global-max-pooling2d.js";
export { type InputArgs, InputLayer, input } from "./input.js";
export { LayerNormalization, type LayerNormalizationArgs } from "./layer-normalization.js";
export { MaxPooling1D } from "./max-pooling1d.js";
export { MaxPooling2D } from "./max-pooling2d.js";
export { Maximum } from "./maximum.js";
export { Merge } from "./merge.js";
export { Minimum } from "./minimum.js";
export { Multiply } from "./multiply.js";
export { Permute, type PermuteArgs } from "./permute.js";
export { RepeatVector, type RepeatVectorArgs } from "./repeat-vector.js";
export { Reshape, type ReshapeArgs } from "./reshape.js";
export { SeparableConv2D, type SeparableConv2DArgs } from "./separable-conv2d.js";
export * from "./sequence-index.js";
export { Subtract } from "./subtract.js";
export { UpSampling2D, type UpSampling2DArgs, type UpSamplingInterpolation } from "./up-sampling2d.js";
export { ZeroPadding2D, type ZeroPadding2DArgs } from "./zero-padding2d.js";

/** activation(x @ kernel + bias). */
export const dense = (args: DenseArgs): Dense => new Dense(args);
/** An InputLayer (for the first position of a sequential model); input() gives its placeholder. */
export const inputLayer = (args: InputArgs): InputLayer => new InputLayer(args);
/** Applies a named activation. */
export const activation = (args: ActivationArgs): Activation => new Activation(args);
/** Inverted dropout (training only). */
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
/** Additive zero-mean Gaussian noise (training only). */
export const gaussianNoise = (args: GaussianNoiseArgs): GaussianNoise => new GaussianNoise(args);
/** (batch, ...) -> (batch, product). */
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
/** (batch, ...) -> (batch, ...targetShape). */
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
/** Reorders the non-batch axes (1-based dims). */
export const permute = (args: PermuteArgs): Permute => new Permute(args);
/** (batch, features) -> (batch, n, features). */
export const repeatVector = (args: RepeatVectorArgs): RepeatVector => new RepeatVector(args);
/** Batch normalization (momentum 0.99, epsilon 1e-3). */
export const batchNormalization = (args: BatchNormalizationArgs = {}): BatchNormalization =>
  new BatchNormalization(args);
/** Layer normalization (epsilon 1e-3). */
export const layerNormalization = (args: LayerNormalizationArgs = {}): LayerNormalization =>
  new LayerNormalization(args);
/** Elementwise sum of a list of inputs. */
export const add = (args: LayerArgs = {}): Add => new Add(args);
/** First input minus second. */
export const subtract = (args: LayerArgs = {}): Subtract => new Subtract(args);
/** Elementwise product of a list of inputs. */
export const multiply = (args: LayerArgs = {}): Multiply => new Multiply(args);
/** Elementwise mean of a list of inputs. */
export const average = (args: LayerArgs = {}): Average => new Average(args);
/** Elementwise maximum of a list of inputs. */
export const maximum = (args: LayerArgs = {}): Maximum => new Maximum(args);
/** Elementwise minimum of a list of inputs. */
export const minimum = (args: LayerArgs = {}): Minimum => new Minimum(args);
/** Joins a list of inputs along an axis (default -1). */
export const concatenate = (args: ConcatenateArgs = {}): Concatenate => new Concatenate(args);
/** Per-sample dot product of two inputs along `axes`; `normalize` gives the cosine similarity. */
export const dot = (args: DotArgs): Dot => new Dot(args);

// ---- convolution and pooling (channels-last by default; dataFormat: "channels_first") ----
/** 1-D convolution over (batch, steps, channels); padding "valid", "same" or "causal". */
export const conv1d = (args: ConvArgs): Conv1D => new Conv1D(args);
/** 2-D convolution over (batch, height, width, channels). */
export const conv2d = (args: Conv2DArgs): Conv2D => new Conv2D(args);
/** Per-channel 2-D convolution (depthMultiplier outputs per input channel). */
export const depthwiseConv2d = (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
/** Depthwise then 1x1 pointwise 2-D convolution. */
export const separableConv2d = (args: SeparableConv2DArgs): SeparableConv2D => new SeparableConv2D(args);
/** Transposed 2-D convolution (learned upsampling). */
export const conv2dTranspose = (args: Conv2DTransposeArgs): Conv2DTranspose => new Conv2DTranspose(args);
/** Max over windows of (batch, steps, channels); poolSize 2 by default. */
export const maxPooling1d = (args: PoolingArgs = {}): MaxPooling1D => new MaxPooling1D(args);
/** Max over windows of (batch, height, width, channels); poolSize [2, 2] by default. */
export const maxPooling2d = (args: PoolingArgs = {}): MaxPooling2D => new MaxPooling2D(args);
/** Mean over windows of (batch, steps, channels). */
export const averagePooling1d = (args: PoolingArgs = {}): AveragePooling1D => new AveragePooling1D(args);
/** Mean over windows of (batch, height, width, channels). */
export const averagePooling2d = (args: PoolingArgs = {}): AveragePooling2D => new AveragePooling2D(args);
/** Max over the steps axis. */
export const globalMaxPooling1d = (args: GlobalPoolingArgs = {}): GlobalMaxPooling1D =>
  new GlobalMaxPooling1D(args);
/** Max over height and width. */
export const globalMaxPooling2d = (args: GlobalPoolingArgs = {}): GlobalMaxPooling2D =>
  new GlobalMaxPooling2D(args);
/** Mean over the steps axis. */
export const globalAveragePooling1d = (args: GlobalPoolingArgs = {}): GlobalAveragePooling1D =>
  new GlobalAveragePooling1D(args);
/** Mean over height and width. */
export const globalAveragePooling2d = (args: GlobalPoolingArgs = {}): GlobalAveragePooling2D =>
  new GlobalAveragePooling2D(args);
/** Enlarges height and width by integer factors (nearest or bilinear). */
export const upSampling2d = (args: UpSampling2DArgs = {}): UpSampling2D => new UpSampling2D(args);
/** Zeros around height and width. */
export const zeroPadding2d = (args: ZeroPadding2DArgs = {}): ZeroPadding2D => new ZeroPadding2D(args);
/** Removes borders of height and width. */
export const cropping2d = (args: Cropping2DArgs = {}): Cropping2D => new Cropping2D(args);
