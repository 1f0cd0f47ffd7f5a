// train/privacy/rules-dense-conv: per-example gradients of Dense and Conv1D/Conv2D from their inputs and
// output gradients. Dense on (B, in) inputs uses the ghost norm (Goodfellow 2015; Li et al. 2022):
// the gradient of example b is the outer product x_b dz_b^T, so its squared norm is
// ||x_b||^2 ||dz_b||^2 and the clipped sum is X^T (c * dZ), one GEMM, with nothing per example
// materialised. Dense on (B, T, in) and Conv1D/Conv2D (whose im2col patches make them a Dense over
// T = OH*OW positions) materialise G_b = sum_t x_bt dz_bt^T with one batched GEMM, (B, in, out).
import type { FloatArray } from "../../core/dtype.js";
import { isFloatDType } from "../../core/dtype.js";
import type { Layer } from "../../nn/layer.js";
import { Conv1D } from "../../nn/layers/conv1d.js";
import { Conv2D } from "../../nn/layers/conv2d.js";
import { Dense } from "../../nn/layers/dense.js";
import { cast } from "../../ops/cast.js";
import { conv1d, conv2d } from "../../ops/conv.js";
import { linear, matmul } from "../../ops/linalg.js";
import { sum } from "../../ops/reduce.js";
import { reshape } from "../../ops/shape.js";
import { axisWindow, im2col, makeGeometry } from "../../ops/window.js";
import { Tensor } from "../../tensor/tensor.js";
import type { LayerCall } from "./layer-capture.js";
import {
  addOptional,
  addRowSquaredNorms,
  type LayerPerExample,
  materialised,
  type PerExampleRule,
  preActivationGrad,
} from "./per-example-rule.js";

function floatInput(x: Tensor, dtype: Tensor["dtype"]): Tensor {
  return isFloatDType(x.dtype) ? x : cast(x, dtype);
}

/** Row-wise squared norms of a (B, n) tensor. */
function rowNorms(t: Tensor, batch: number): Float64Array {
  const out = new Float64Array(batch);
  addRowSquaredNorms(t, out);
  return out;
}

/** dZ with row b scaled by weights[b]. */
function scaleRows(dz: Tensor, weights: Float64Array): Tensor {
  const d = dz.data as FloatArray;
  const out = d.slice() as FloatArray;
  const per = d.length / weights.length;
  for (let b = 0; b < weights.length; b++) {
    const w = weights[b]!;
    for (let i = b * per; i < (b + 1) * per; i++) out[i] = out[i]! * w;
  }
  return new Tensor(out, dz.shape);
}

/** Ghost-norm Dense: one call on (B, in) inputs. */
function ghostDense(layer: Dense, x: Tensor, dz: Tensor, batch: number): LayerPerExample {
  const params = [layer.kernel, layer.bias];
  const dzNorms = rowNorms(dz, batch);
  const xNorms = rowNorms(x, batch);
  return {
    params,
    addSquaredNorms(out) {
      for (let b = 0; b < batch; b++) {
        out[b] = out[b]! + xNorms[b]! * dzNorms[b]! + (layer.bias !== null ? dzNorms[b]! : 0);
      }
    },
    weightedSum(weights) {
      const scaled = scaleRows(dz, weights); // (B, out)
      const dKernel = matmul(x, scaled, { transposeA: true }); // (in, out)
      return [dKernel, layer.bias === null ? null : sum(scaled, [0])];
    },
    perExample() {
      const x3 = reshape(x, [batch, x.shape[1]!, 1]);
      const dz3 = reshape(dz, [batch, 1, dz.shape[1]!]);
      return [matmul(x3, dz3), layer.bias === null ? null : dz];
    },
  };
}

/** (B, T, in) inputs and (B, T, out) output gradients -> per-example (B, in, out) and (B, out). */
function perExampleLinear(x3: Tensor, dz3: Tensor, withBias: boolean): [Tensor, Tensor | null] {
  return [matmul(x3, dz3, { transposeA: true }), withBias ? sum(dz3, [1]) : null];
}

export const denseRule: PerExampleRule = {
  refuses: (layer) => (Object.getPrototypeOf(layer) === Dense.prototype ? null : "not a plain Dense"),
  compute(layer: Layer, calls: readonly LayerCall[], batch: number): LayerPerExample {
    const dense = layer as Dense;
    const params = [dense.kernel, dense.bias];
    const inputs = calls.filter((c) => c.dOutput !== null);
    const dzOf = (c: LayerCall, x: Tensor) =>
      preActivationGrad(dense.activation, c.output, c.dOutput!, () => linear(x, dense.kernel!, dense.bias));
    if (inputs.length === 1 && inputs[0]!.input.rank === 2) {
      const x = floatInput(inputs[0]!.input, dense.kernel!.dtype);
      return ghostDense(dense, x, dzOf(inputs[0]!, x), batch);
    }
    let grads: (Tensor | null)[] = [null, null];
    for (const c of inputs) {
      const x = floatInput(c.input, dense.kernel!.dtype);
      const dz = dzOf(c, x);
      const inDim = x.shape[x.rank - 1]!;
      const outDim = dz.shape[dz.rank - 1]!;
      const [gk, gb] = perExampleLinear(
        reshape(x, [batch, -1, inDim]),
        reshape(dz, [batch, -1, outDim]),
        dense.bias !== null,
      );
      grads = [addOptional(grads[0] ?? null, gk), addOptional(grads[1] ?? null, gb)];
    }
    return materialised(params, grads);
  },
};

/** Conv1D and Conv2D (channels-last, ungrouped): a Conv1D is a Conv2D of height 1. */
export const convRule: PerExampleRule = {
  refuses(layer) {
    const proto = Object.getPrototypeOf(layer);
    if (proto !== Conv2D.prototype && proto !== Conv1D.prototype) return "not a plain Conv1D or Conv2D";
    const conv = layer as Conv2D | Conv1D;
    if (conv.dataFormat !== "channels_last") return `${conv.className} with dataFormat channels_first`;
    if (conv.groups !== 1) return `grouped ${conv.className}`;
    return null;
  },
  compute(layer: Layer, calls: readonly LayerCall[], batch: number): LayerPerExample {
    const conv = layer as Conv2D | Conv1D;
    const kernel = conv.kernel!;
    const oneD = conv.rank === 1;
    // as 2-D: kernel (KH, KW, C, F), strides and dilation per axis (height 1 for Conv1D)
    const [KH, KW, C, F] = (oneD ? [1, ...kernel.shape] : kernel.shape) as [number, number, number, number];
    const strides = oneD ? [1, conv.strides[0]!] : conv.strides;
    const dilation = oneD ? [1, conv.dilationRate[0]!] : conv.dilationRate;
    let grads: (Tensor | null)[] = [null, null];
    for (const c of calls) {
      if (c.dOutput === null) continue;
      const x = floatInput(c.input, kernel.dtype); // (B, H, W, C) or (B, W, C)
      const options = {
        strides: conv.strides,
        padding: conv.padding,
        dilationRate: conv.dilationRate,
        bias: conv.bias,
      };
      const dz = preActivationGrad(conv.activation, c.output, c.dOutput, () =>
        oneD ? conv1d(x, kernel, options) : conv2d(x, kernel, options),
      ); // (B, OH, OW, F) or (B, OW, F)
      const x4 = oneD ? reshape(x, [batch, 1, x.shape[1]!, C]) : x;
      const rows = oneD
        ? { outSize: 1, padBefore: 0 }
        : axisWindow(conv.className, x4.shape[1]!, KH, strides[0]!, dilation[0]!, conv.padding);
      const cols = axisWindow(conv.className, x4.shape[2]!, KW, strides[1]!, dilation[1]!, conv.padding);
      const g = makeGeometry(x4.shape, [KH, KW], strides, dilation, rows, cols);
      const positions = g.outH * g.outW;
      const patches = reshape(im2col(x4, g), [batch, positions, KH * KW * C]); // (B, T, K*C)
      const [gk, gb] = perExampleLinear(patches, reshape(dz, [batch, positions, F]), conv.bias !== null);
      grads = [
        addOptional(grads[0] ?? null, reshape(gk, [batch, ...kernel.shape])),
        addOptional(grads[1] ?? null, gb),
      ];
    }
    return materialised([kernel, conv.bias], grads);
  },
};
