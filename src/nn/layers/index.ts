// nn/layers: every built-in layer class, and camelCase factories for the public `layers`
// namespace (ts.layers.dense({ units: 8 })). Importing this module registers every class for
// deserialization.
import type { LayerArgs } from "../layer.js";
import { Activation, type ActivationArgs } from "./activation.js";
import { Add } from "./add.js";
import { Average } from "./average.js";
import { BatchNormalization, type BatchNormalizationArgs } from "./batch-normalization.js";
import { Concatenate, type ConcatenateArgs } from "./concatenate.js";
import { Dense, type DenseArgs } from "./dense.js";
import { Dropout, type DropoutArgs } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { GaussianNoise, type GaussianNoiseArgs } from "./gaussian-noise.js";
import { type InputArgs, InputLayer } from "./input.js";
import { LayerNormalization, type LayerNormalizationArgs } from "./layer-normalization.js";
import { Maximum } from "./maximum.js";
import { Minimum } from "./minimum.js";
import { Multiply } from "./multiply.js";
import { Permute, type PermuteArgs } from "./permute.js";
import { RepeatVector, type RepeatVectorArgs } from "./repeat-vector.js";
import { Reshape, type ReshapeArgs } from "./reshape.js";
import { Subtract } from "./subtract.js";

export { Activation, type ActivationArgs } from "./activation.js";
export { Add } from "./add.js";
export { Average } from "./average.js";
export { BatchNormalization, type BatchNormalizationArgs } from "./batch-normalization.js";
export { Concatenate, type ConcatenateArgs } from "./concatenate.js";
export { Dense, type DenseArgs } from "./dense.js";
export { Dropout, type DropoutArgs } from "./dropout.js";
export { Flatten } from "./flatten.js";
export { GaussianNoise, type GaussianNoiseArgs } from "./gaussian-noise.js";
export { type InputArgs, InputLayer, input } from "./input.js";
export { LayerNormalization, type LayerNormalizationArgs } from "./layer-normalization.js";
export { Maximum } from "./maximum.js";
export { Merge } from "./merge.js";
export { Minimum } from "./minimum.js";
export { Multiply } from "./multiply.js";
export { Permute, type PermuteArgs } from "./permute.js";
export { RepeatVector, type RepeatVectorArgs } from "./repeat-vector.js";
export { Reshape, type ReshapeArgs } from "./reshape.js";
export { Subtract } from "./subtract.js";

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
