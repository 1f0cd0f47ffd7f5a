// io/interchange/torch-layout: where each Tessera weight lives in the equivalent torch.nn module's
// state_dict, and how its layout differs. Linear weight is (out, in) where Dense's kernel is
// (in, out); Conv weight is (out, in, ...k) where Keras has (...k, in, out); recurrent kernels are
// transposed, GRU gate blocks reorder from Keras [z r h] to torch [r z n] (LSTM's [i f g o] already
// match), and torch's second recurrent bias is zero for Keras's single-bias LSTM / SimpleRNN.
// Each mapping is a pair of pure functions, Tessera -> torch and back. Layer: io.
import { ShapeError, ValueError } from "../../core/errors.js";
import type { Layer } from "../../nn/layer.js";
import type { Bidirectional } from "../../nn/layers/bidirectional.js";
import type { GRU } from "../../nn/layers/gru.js";
import type { MultiHeadAttention } from "../../nn/layers/multi-head-attention.js";
import type { RecurrentLayer } from "../../nn/layers/recurrent-base.js";
import type { TimeDistributed } from "../../nn/layers/time-distributed.js";
import type { TokenAndPositionEmbedding } from "../../nn/layers/token-and-position-embedding.js";
import { add, concat, reshape, split, transpose } from "../../ops/index.js";
import { zeros } from "../../tensor/creation.js";
import type { Tensor } from "../../tensor/tensor.js";

/** One torch state_dict entry: its name, the value from the Tessera weights, and the way back. */
export interface TorchParam {
  readonly name: string;
  toTorch(): Tensor;
  /** Writes a torch value (checked) into the Tessera weights. */
  fromTorch(value: Tensor): void;
}

/** The error for a layer the torch layout cannot express. */
export function notMappable(layer: Layer, why: string): ValueError {
  return new ValueError(
    `torch weights: layer "${layer.name}" (${layer.className}) has no torch.nn equivalent: ${why}`,
  );
}

function weight(layer: Layer, name: string): Tensor | null {
  return layer.ownWeightEntries.find((w) => w.name === name)?.tensor ?? null;
}

function required(layer: Layer, name: string): Tensor {
  const w = weight(layer, name);
  if (w === null) throw notMappable(layer, `it has no weight "${name}" (is it built?)`);
  return w;
}

/** Copies `value` into the weight `target` after checking the shape. */
function assign(target: Tensor, value: Tensor, what: string): void {
  if (value.shape.join(",") !== target.shape.join(",")) {
    throw new ShapeError(
      `torch weights: ${what} has shape [${value.shape}] where [${target.shape}] was expected`,
    );
  }
  const data = target.data as Float32Array | Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = Number(value.data[i]);
}

const inverse = (perm: readonly number[]): number[] => perm.map((_, i) => perm.indexOf(i));

/** A weight stored under `name` after permuting its axes (and reshaping to `shape`). */
function permuted(
  name: string,
  target: Tensor,
  perm: readonly number[],
  shape?: readonly number[],
): TorchParam {
  const moved = perm.map((p) => target.shape[p]!);
  return {
    name,
    toTorch: () => {
      const t = transpose(target, perm);
      return shape === undefined ? t : reshape(t, shape);
    },
    fromTorch: (v) =>
      assign(target, transpose(shape === undefined ? v : reshape(v, moved), inverse(perm)), name),
  };
}

const same = (name: string, target: Tensor): TorchParam => ({
  name,
  toTorch: () => target,
  fromTorch: (v) => assign(target, v, name),
});

/** Reorders the `blocks` equal blocks of axis `axis` (order[b] = the source block of block b). */
function reorder(t: Tensor, axis: number, order: readonly number[]): Tensor {
  const parts = split(t, order.length, axis);
  return concat(
    order.map((b) => parts[b]!),
    axis,
  );
}

const optionalBias = (layer: Layer, prefix: string): TorchParam[] => {
  const b = weight(layer, "bias");
  return b === null ? [] : [same(`${prefix}.bias`, b)];
};

function dense(layer: Layer, prefix: string): TorchParam[] {
  return [permuted(`${prefix}.weight`, required(layer, "kernel"), [1, 0]), ...optionalBias(layer, prefix)];
}

function conv(layer: Layer, prefix: string): TorchParam[] {
  const k = required(layer, "kernel");
  const r = k.rank;
  return [
    permuted(`${prefix}.weight`, k, [r - 1, r - 2, ...Array.from({ length: r - 2 }, (_, i) => i)]),
    ...optionalBias(layer, prefix),
  ];
}

/** (KH, KW, C, M) depthwise kernel as torch's grouped Conv2d weight (C*M, 1, KH, KW). */
function depthwise(name: string, k: Tensor): TorchParam {
  const [kh, kw, c, m] = k.shape as [number, number, number, number];
  return permuted(name, k, [2, 3, 0, 1], [c * m, 1, kh, kw]);
}

function recurrent(layer: RecurrentLayer, prefix: string, suffix: string): TorchParam[] {
  const kind = layer.className;
  const order = kind === "GRU" ? [1, 0, 2] : kind === "LSTM" ? [0, 1, 2, 3] : [0];
  if (kind === "GRU" && !(layer as GRU).resetAfter)
    throw notMappable(
      layer,
      "resetAfter: false (torch's GRU applies the reset gate after the recurrent product)",
    );
  const kernel = required(layer, "kernel"); // (F, G*H)
  const rec = required(layer, "recurrent_kernel"); // (H, G*H)
  const gates = (target: Tensor, name: string): TorchParam => ({
    name,
    toTorch: () => reorder(transpose(target), 0, order),
    fromTorch: (v) => assign(target, transpose(reorder(v, 0, order)), name),
  });
  const params = [
    gates(kernel, `${prefix}.weight_ih_l0${suffix}`),
    gates(rec, `${prefix}.weight_hh_l0${suffix}`),
  ];
  const bias = weight(layer, "bias");
  if (bias === null) return params;
  const ih = `${prefix}.bias_ih_l0${suffix}`;
  const hh = `${prefix}.bias_hh_l0${suffix}`;
  if (kind === "GRU") {
    // (2, 3H): the input bias row and the recurrent bias row
    const row = (r: number): TorchParam => ({
      name: r === 0 ? ih : hh,
      toTorch: () => reorder(reshape(split(bias, 2, 0)[r]!, [bias.shape[1]!]), 0, order),
      fromTorch: (v) => {
        const rows = split(bias, 2, 0).map((t) => reshape(t, [bias.shape[1]!]));
        rows[r] = reorder(v, 0, order);
        assign(bias, reshape(concat(rows, 0), [...bias.shape]), r === 0 ? ih : hh);
      },
    });
    return [...params, row(0), row(1)];
  }
  // Keras has one bias; torch's two are added, so the recurrent one is written as zeros
  let pendingInput: Tensor | null = null;
  return [
    ...params,
    { name: ih, toTorch: () => bias, fromTorch: (v) => void (pendingInput = v) },
    {
      name: hh,
      toTorch: () => zeros([...bias.shape], { dtype: bias.dtype }),
      fromTorch: (v) => {
        if (pendingInput === null) throw new ValueError(`torch weights: ${hh} read before ${ih}`);
        assign(bias, add(pendingInput, v), `${ih} + ${hh}`);
      },
    },
  ];
}

/** torch.nn.MultiheadAttention: in_proj_weight (3E, E) or q/k/v_proj_weight, out_proj. */
function attention(layer: MultiHeadAttention, prefix: string): TorchParam[] {
  const N = layer.numHeads;
  const q = required(layer, "query_kernel"); // (Dq, N, K)
  const k = required(layer, "key_kernel"); // (Dk, N, K)
  const v = required(layer, "value_kernel"); // (Dv, N, V)
  const o = required(layer, "output_kernel"); // (N, V, E)
  const E = q.shape[0]!;
  if (N * layer.keyDim !== E || layer.valueDim !== layer.keyDim || o.shape[2] !== E)
    throw notMappable(layer, `torch needs numHeads * keyDim = valueDim * numHeads = the query width (${E})`);
  const proj = (t: Tensor, name: string): TorchParam => permuted(name, t, [1, 2, 0], [E, t.shape[0]!]);
  const params: TorchParam[] = [];
  const projections = [q, k, v];
  if (k.shape[0] === E && v.shape[0] === E) {
    params.push({
      name: `${prefix}.in_proj_weight`,
      toTorch: () =>
        concat(
          projections.map((t) => proj(t, "").toTorch()),
          0,
        ),
      fromTorch: (w) => {
        split(w, 3, 0).forEach((part, i) => {
          proj(projections[i]!, `${prefix}.in_proj_weight`).fromTorch(part);
        });
      },
    });
  } else {
    for (const [i, n] of ["q", "k", "v"].entries())
      params.push(proj(projections[i]!, `${prefix}.${n}_proj_weight`));
  }
  const biases = ["query_bias", "key_bias", "value_bias"].map((n) => weight(layer, n));
  if (biases.every((b) => b !== null)) {
    const flat = (b: Tensor) => reshape(b, [b.size]);
    params.push({
      name: `${prefix}.in_proj_bias`,
      toTorch: () =>
        concat(
          biases.map((b) => flat(b!)),
          0,
        ),
      fromTorch: (w) => {
        split(w, 3, 0).forEach((part, i) => {
          assign(biases[i]!, reshape(part, [...biases[i]!.shape]), `${prefix}.in_proj_bias`);
        });
      },
    });
  }
  params.push(permuted(`${prefix}.out_proj.weight`, o, [2, 0, 1], [E, E]));
  const ob = weight(layer, "output_bias");
  if (ob !== null) params.push(same(`${prefix}.out_proj.bias`, ob));
  return params;
}

function child(block: Layer, suffix: string): Layer {
  const found = block.childLayers().find((l) => l.name === `${block.name}_${suffix}`);
  if (found === undefined)
    throw notMappable(block, `its sub-layer "${block.name}_${suffix}" is missing (is it built?)`);
  return found;
}

/** nn.TransformerEncoderLayer / nn.TransformerDecoderLayer names. */
function transformer(layer: Layer, prefix: string): TorchParam[] {
  const hasCross = layer.childLayers().some((l) => l.name === `${layer.name}_cross_attention`);
  const params = [
    ...attention(child(layer, "self_attention") as MultiHeadAttention, `${prefix}.self_attn`),
    ...dense(child(layer, "feedforward_intermediate_dense"), `${prefix}.linear1`),
    ...dense(child(layer, "feedforward_output_dense"), `${prefix}.linear2`),
    ...norm(child(layer, "self_attention_layer_norm"), `${prefix}.norm1`),
  ];
  if (!hasCross) return [...params, ...norm(child(layer, "feedforward_layer_norm"), `${prefix}.norm2`)];
  return [
    ...params,
    ...attention(child(layer, "cross_attention") as MultiHeadAttention, `${prefix}.multihead_attn`),
    ...norm(child(layer, "cross_attention_layer_norm"), `${prefix}.norm2`),
    ...norm(child(layer, "feedforward_layer_norm"), `${prefix}.norm3`),
  ];
}

function norm(layer: Layer, prefix: string): TorchParam[] {
  const out: TorchParam[] = [];
  const gamma = weight(layer, "gamma") ?? weight(layer, "scale");
  const beta = weight(layer, "beta");
  if (gamma !== null) out.push(same(`${prefix}.weight`, gamma));
  if (beta !== null) out.push(same(`${prefix}.bias`, beta));
  return out;
}

type Mapping = (layer: Layer, prefix: string) => TorchParam[];

const MAPPINGS: Record<string, Mapping> = {
  Dense: dense,
  Conv1D: conv,
  Conv2D: conv,
  Conv2DTranspose: (layer, prefix) => [
    permuted(`${prefix}.weight`, required(layer, "kernel"), [3, 2, 0, 1]),
    ...optionalBias(layer, prefix),
  ],
  DepthwiseConv2D: (layer, prefix) => [
    depthwise(`${prefix}.weight`, required(layer, "kernel")),
    ...optionalBias(layer, prefix),
  ],
  SeparableConv2D: (layer, prefix) => [
    depthwise(`${prefix}.depthwise.weight`, required(layer, "depthwise_kernel")),
    permuted(`${prefix}.pointwise.weight`, required(layer, "pointwise_kernel"), [3, 2, 0, 1]),
    ...optionalBias(layer, `${prefix}.pointwise`),
  ],
  BatchNormalization: (layer, prefix) => [
    ...norm(layer, prefix),
    same(`${prefix}.running_mean`, required(layer, "moving_mean")),
    same(`${prefix}.running_var`, required(layer, "moving_variance")),
    {
      // torch's BatchNorm counts its training steps; the count does not change inference
      name: `${prefix}.num_batches_tracked`,
      toTorch: () => zeros([], { dtype: "int32" }),
      fromTorch: () => {},
    },
  ],
  LayerNormalization: norm,
  GroupNormalization: norm,
  RMSNormalization: norm,
  Embedding: (layer, prefix) => [same(`${prefix}.weight`, required(layer, "embeddings"))],
  PositionEmbedding: (layer, prefix) => [same(`${prefix}.weight`, required(layer, "embeddings"))],
  TokenAndPositionEmbedding: (layer, prefix) => {
    const l = layer as TokenAndPositionEmbedding;
    return [
      same(`${prefix}.token_embedding.weight`, required(l.tokenEmbedding, "embeddings")),
      same(`${prefix}.position_embedding.weight`, required(l.positionEmbedding, "embeddings")),
    ];
  },
  LSTM: (layer, prefix) => recurrent(layer as RecurrentLayer, prefix, ""),
  GRU: (layer, prefix) => recurrent(layer as RecurrentLayer, prefix, ""),
  SimpleRNN: (layer, prefix) => recurrent(layer as RecurrentLayer, prefix, ""),
  Bidirectional: (layer, prefix) => {
    const l = layer as Bidirectional;
    return [...recurrent(l.forwardLayer, prefix, ""), ...recurrent(l.backwardLayer, prefix, "_reverse")];
  },
  MultiHeadAttention: (layer, prefix) => attention(layer as MultiHeadAttention, prefix),
  TransformerEncoder: transformer,
  TransformerDecoder: transformer,
  TimeDistributed: (layer, prefix) => torchParams((layer as TimeDistributed).layer, prefix),
};

/** Every torch state_dict entry of a layer (models recurse, each layer under its name). */
export function torchParams(layer: Layer, prefix: string | null = null): TorchParam[] {
  const mapping = MAPPINGS[layer.className];
  if (mapping !== undefined) return mapping(layer, prefix ?? layer.name);
  const children = layer.childLayers();
  if (children.length > 0) {
    return children.flatMap((c) => torchParams(c, prefix === null ? c.name : `${prefix}.${c.name}`));
  }
  if (layer.ownWeightEntries.length > 0)
    throw notMappable(layer, "no torch mapping is known for this layer class");
  return [];
}
