// train/privacy/rules-embedding-norm: per-example gradients of Embedding and LayerNormalization.
// Embedding: example b's gradient has a row per distinct id it contains, the sum of dy over the
// positions holding that id; its norm and the clipped sum (a scatter-add of c_b * dy rows) never
// materialise the (B, V, D) tensor. LayerNormalization: dgamma_b = sum over the example's other
// positions of dy * xhat, dbeta_b = sum of dy, with xhat recomputed from the input.
// BatchNormalization is refused (see per-example-plan): in training mode each output depends on
// the whole batch, so "the gradient of one example" does not exist (Opacus refuses it too).
import type { FloatArray } from "../../core/dtype.js";
import type { Layer } from "../../nn/layer.js";
import { Embedding } from "../../nn/layers/embedding.js";
import { LayerNormalization, normalisedAxes } from "../../nn/layers/layer-normalization.js";
import { add, mul, sub } from "../../ops/binary.js";
import { mean, sum, variance } from "../../ops/reduce.js";
import { rsqrt } from "../../ops/unary.js";
import { Tensor } from "../../tensor/tensor.js";
import type { LayerCall } from "./layer-capture.js";
import { addOptional, type LayerPerExample, materialised, type PerExampleRule } from "./per-example-rule.js";

/** The integer ids of an Embedding input (float ids truncate, as the layer's cast does). */
function idsOf(input: Tensor): Int32Array {
  const d = input.data;
  const out = new Int32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.trunc(Number(d[i]));
  return out;
}

export const embeddingRule: PerExampleRule = {
  refuses: (layer) => (Object.getPrototypeOf(layer) === Embedding.prototype ? null : "not a plain Embedding"),
  compute(layer: Layer, calls: readonly LayerCall[], batch: number): LayerPerExample {
    const table = (layer as Embedding).embeddings!;
    const [V, D] = table.shape as [number, number];
    const used = calls
      .filter((c) => c.dOutput !== null)
      .map((c) => ({ ids: idsOf(c.input), dy: c.dOutput!.data as FloatArray }));
    const Ctor = table.data.constructor as Float32ArrayConstructor | Float64ArrayConstructor;
    /** Example b's gradient rows: id -> summed dy row. */
    const rowsOf = (b: number): Map<number, Float64Array> => {
      const rows = new Map<number, Float64Array>();
      for (const { ids, dy } of used) {
        const per = ids.length / batch;
        for (let t = b * per; t < (b + 1) * per; t++) {
          const id = ids[t]!;
          let row = rows.get(id);
          if (row === undefined) rows.set(id, (row = new Float64Array(D)));
          for (let k = 0; k < D; k++) row[k] = row[k]! + dy[t * D + k]!;
        }
      }
      return rows;
    };
    return {
      params: [table],
      addSquaredNorms(out) {
        for (let b = 0; b < batch; b++) {
          let s = 0;
          for (const row of rowsOf(b).values()) for (const v of row) s += v * v;
          out[b] = out[b]! + s;
        }
      },
      weightedSum(weights) {
        const out = new Ctor(V * D);
        for (const { ids, dy } of used) {
          const per = ids.length / batch;
          for (let t = 0; t < ids.length; t++) {
            const w = weights[Math.floor(t / per)]!;
            const base = ids[t]! * D;
            for (let k = 0; k < D; k++) out[base + k] = out[base + k]! + w * dy[t * D + k]!;
          }
        }
        return [new Tensor(out, [V, D])];
      },
      perExample() {
        const out = new Ctor(batch * V * D);
        for (let b = 0; b < batch; b++) {
          for (const [id, row] of rowsOf(b)) out.set(row, (b * V + id) * D);
        }
        return [new Tensor(out, [batch, V, D])];
      },
    };
  },
};

export const layerNormRule: PerExampleRule = {
  refuses(layer) {
    if (Object.getPrototypeOf(layer) !== LayerNormalization.prototype)
      return "not a plain LayerNormalization";
    if ((layer as LayerNormalization).axis.some((a) => a === 0))
      return "LayerNormalization over the batch axis";
    return null;
  },
  compute(layer: Layer, calls: readonly LayerCall[], batch: number): LayerPerExample {
    const norm = layer as LayerNormalization;
    let grads: (Tensor | null)[] = [null, null];
    for (const c of calls) {
      if (c.dOutput === null) continue;
      const x = c.input;
      const axes = normalisedAxes(norm.name, norm.axis, x.rank);
      const xhat = mul(
        sub(x, mean(x, axes, { keepDims: true })),
        rsqrt(add(variance(x, axes, { keepDims: true }), norm.epsilon)),
      );
      // sum over every axis that is neither the batch axis nor normalised: (B, ...gamma.shape)
      const others = Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== 0 && !axes.includes(i));
      const reduce = (t: Tensor) => (others.length === 0 ? t : sum(t, others));
      const dGamma = norm.gamma === null ? null : reduce(mul(c.dOutput, xhat));
      const dBeta = norm.beta === null ? null : reduce(c.dOutput);
      grads = [addOptional(grads[0] ?? null, dGamma), addOptional(grads[1] ?? null, dBeta)];
    }
    // (B, ...gamma.shape): normalisedAxes sorts the axes, the order gamma is laid out in
    const shaped = grads.map((g, i) => {
      const p = [norm.gamma, norm.beta][i];
      return g === null || p === null || p === undefined ? null : new Tensor(g.data, [batch, ...p.shape]);
    });
    return materialised([norm.gamma, norm.beta], shaped);
  },
};
