// train/privacy/rules-dense-conv: per-example gradients of Dense and Conv2D from their inputs and
// output gradients. Dense on (B, in) inputs uses the ghost norm (Goodfellow 2015; Li et al. 2022):
// the gradient of example b is the outer product x_b dz_b^T, so its squared norm is
// ||x_b||^2 ||dz_b||^2 and the clipped sum is X^T (c * dZ), one GEMM, with nothing per example
// materialised. Dense on (B, T, in) and Conv2D (whose im2col patches make it a Dense over T = OH*OW
// positions) materialise G_b = sum_t x_bt dz_bt^T with one batched GEMM, (B, in, out).
import type { FloatArray } from "../../core/dtype.js";
import { isFloatDType } from "../../core/dtype.js";
import type { Layer } from "../../nn/layer.js";
import { Conv2D } from "../../nn/layers/conv2d.js";
import { Dense } from "../../nn/layers/dense.js";
import { cast } from "../../ops/cast.js";
import { conv2d } from "../../ops/conv.js";
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

export const conv2dRule: PerExampleRule = {
  refuses(layer) {
    if (Object.getPrototypeOf(layer) !== Conv2D.prototype) return "not a plain Conv2D";
    const conv = layer as Conv2D;
    if (conv.dataFormat !== "channels_last") return "Conv2D with dataFormat channels_first";
    if (conv.groups !== 1) return "grouped Conv2D";
    return null;
  },
  compute(layer: Layer, calls: readonly LayerCall[], batch: number): LayerPerExample {
    const conv = layer as Conv2D;
    const kernel = conv.kernel!;
    const [KH, KW, C, F] = kernel.shape as [number, number, number, number];
    let grads: (Tensor | null)[] = [null, null];
    for (const c of calls) {
      if (c.dOutput === null) continue;
      const x = floatInput(c.input, kernel.dtype); // (B, H, W, C)
      const options = { strides: conv.strides, padding: conv.padding, dilationRate: conv.dilationRate };
      const dz = preActivationGrad(conv.activation, c.output, c.dOutput, () =>
        conv2d(x, kernel, { ...options, bias: conv.bias }),
      ); // (B, OH, OW, F)
      const rows = axisWindow(
        "Conv2D",
        x.shape[1]!,
        KH,
        conv.strides[0]!,
        conv.dilationRate[0]!,
        conv.padding,
      );
      const cols = axisWindow(
        "Conv2D",
        x.shape[2]!,
        KW,
        conv.strides[1]!,
        conv.dilationRate[1]!,
        conv.padding,
      );
      const g = makeGeometry(x.shape, [KH, KW], conv.strides, conv.dilationRate, rows, cols);
      const positions = g.outH * g.outW;
      const patches = reshape(im2col(x, g), [batch, positions, KH * KW * C]); // (B, T, K*C)
      const [gk, gb] = perExampleLinear(patches, reshape(dz, [batch, positions, F]), conv.bias !== null);
      grads = [
        addOptional(grads[0] ?? null, reshape(gk, [batch, KH, KW, C, F])),
        addOptional(grads[1] ?? null, gb),
      ];
    }
    return materialised([kernel, conv.bias], grads);
  },
};
