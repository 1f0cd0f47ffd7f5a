// nn/layers/multi-head-attention: MultiHeadAttention with Keras 3 semantics and weight layout:
// query/key/value projections (D, N, K) + bias (N, K), output projection (N, V, Dout) + bias (Dout);
// scores scaled by 1 / sqrt(keyDim); attention masks combined from the attentionMask input, the
// value/key padding masks, and the causal mask. The attention itself is ops.scaledDotProductAttention
// (blockwise, no Tq x Tk tensor) unless scores are returned or dropped out, which need the composed
// probabilities. Call it on x (self-attention), [query, value], [query, value, key] or
// [query, value, key, attentionMask]; attentionMask is (B, Tq, Tk), true = may attend. Under an
// active KVCache (nn/kv-cache) causal self-attention appends its keys/values to the cache.
// Shapes: B batch, Tq / Tk query / key lengths, N heads, K key depth, V value depth.

import { markScratchRegion, recordedNodes } from "../../autograd/scratch-activations.js";
import { ShapeError, ValueError } from "../../core/errors.js";
import { Generator, getGenerator } from "../../core/random.js";
import {
  attentionProbabilities,
  cast,
  concat,
  linear,
  logicalAnd,
  matmul,
  mul,
  notEqual,
  reshape,
  scaledDotProductAttention,
  transpose,
} from "../../ops/index.js";
import { Tensor } from "../../tensor/tensor.js";
import {
  boolean,
  type ConfigObject,
  integer,
  numberInRange,
  optional,
  positiveInt,
  serializeOrNull,
} from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { activeKVCache, type KVCache } from "../kv-cache.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import type { MaskList } from "../mask.js";
import { registerLayer } from "../registry.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { formatSymbolicShape, isShapeList, type SymbolicShape } from "../symbolic-tensor.js";

export interface MultiHeadAttentionArgs extends LayerArgs {
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value (default keyDim). */
  valueDim?: number | null;
  /** Dropout on the attention probabilities in training (default 0). */
  dropout?: number;
  useBias?: boolean;
  /** Size of the output's last axis (default: the query's). */
  outputShape?: number | null;
  /** Each query sees only keys at or before its own position (Keras's use_causal_mask call option). */
  useCausalMask?: boolean;
  /** Also return the (B, N, Tq, Tk) attention probabilities (Keras's return_attention_scores). */
  returnAttentionScores?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  activityRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Seed of the attention dropout. */
  seed?: number | null;
}

interface Projection {
  kernel: Tensor;
  bias: Tensor | null;
}

/**
 * Multi-head attention (Vaswani et al. 2017).
 * @example
 * const mha = new MultiHeadAttention({ numHeads: 4, keyDim: 16, useCausalMask: true });
 * mha.apply(randn([2, 10, 64])).shape; // [2, 10, 64]
 */
export class MultiHeadAttention extends Layer {
  static override readonly className = "MultiHeadAttention";
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: number | null;
  readonly useCausalMask: boolean;
  readonly returnAttentionScores: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly seed: number | null;
  query: Projection | null = null;
  key: Projection | null = null;
  value: Projection | null = null;
  output: Projection | null = null;
  private readonly generator: Generator | null;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    const op = "MultiHeadAttention";
    this.supportsMasking = true;
    this.numHeads = positiveInt(op, "numHeads", args.numHeads);
    this.keyDim = positiveInt(op, "keyDim", args.keyDim);
    this.valueDim = args.valueDim == null ? this.keyDim : positiveInt(op, "valueDim", args.valueDim);
    this.dropout = optional(args.dropout, 0, (v) => numberInRange(op, "dropout", v, 0, 1));
    this.useBias = optional(args.useBias, true, (v) => boolean(op, "useBias", v));
    this.outputShape = args.outputShape == null ? null : positiveInt(op, "outputShape", args.outputShape);
    this.useCausalMask = optional(args.useCausalMask, false, (v) => boolean(op, "useCausalMask", v));
    this.returnAttentionScores = optional(args.returnAttentionScores, false, (v) =>
      boolean(op, "returnAttentionScores", v),
    );
    this.kernelInitializer = getInitializer(
      args.kernelInitializer ?? "glorot_uniform",
      `${op} kernelInitializer`,
    );
    this.biasInitializer = getInitializer(args.biasInitializer ?? "zeros", `${op} biasInitializer`);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, `${op} kernelRegularizer`);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, `${op} biasRegularizer`);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${op} activityRegularizer`);
    this.kernelConstraint = getConstraint(args.kernelConstraint, `${op} kernelConstraint`);
    this.biasConstraint = getConstraint(args.biasConstraint, `${op} biasConstraint`);
    this.seed = optional(args.seed, null, (v) => (v === null ? null : integer(op, "seed", v)));
    this.generator = this.seed === null ? null : new Generator(this.seed);
  }

  /** [query, value, key] shapes from the build/call shapes (key defaults to value, value to query). */
  private shapesOf(inputShape: LayerShape): [SymbolicShape, SymbolicShape, SymbolicShape] {
    const list = isShapeList(inputShape) ? inputShape : [inputShape];
    if (list.length < 1 || list.length > 4) {
      throw new ValueError(
        `${this.name}: expected x, [query, value], [query, value, key] or [query, value, key, mask]`,
      );
    }
    const query = list[0]!;
    const value = list[1] ?? query;
    const key = list[2] ?? value;
    for (const s of [query, value, key]) {
      if (s.length !== 3 || s[2] === null) {
        throw new ShapeError(
          `${this.name}: query, value and key must be (batch, time, features) (got ${formatSymbolicShape(s)})`,
        );
      }
    }
    return [query, value, key];
  }

  private projection(name: string, inDim: number, heads: number, depth: number): Projection {
    const kernel = this.addWeight(`${name}_kernel`, [inDim, heads, depth], {
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    const bias = this.useBias
      ? this.addWeight(`${name}_bias`, [heads, depth], {
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    return { kernel, bias };
  }

  override build(inputShape: LayerShape): void {
    const [query, value, key] = this.shapesOf(inputShape);
    const N = this.numHeads;
    this.query = this.projection("query", query[2]!, N, this.keyDim);
    this.key = this.projection("key", key[2]!, N, this.keyDim);
    this.value = this.projection("value", value[2]!, N, this.valueDim);
    const outDim = this.outputShape ?? query[2]!;
    const kernel = this.addWeight("output_kernel", [N, this.valueDim, outDim], {
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    const bias = this.useBias
      ? this.addWeight("output_bias", [outDim], {
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.output = { kernel, bias };
    super.build(inputShape);
  }

  /** x (B, T, D) projected to heads, heads last: (B, T, N, depth) (a view of the projection). */
  private heads(x: Tensor, p: Projection, depth: number): Tensor {
    const [B, T, D] = x.shape as [number, number, number];
    const N = this.numHeads;
    const w = reshape(p.kernel, [D, N * depth]);
    const b = p.bias === null ? null : reshape(p.bias, [N * depth]);
    return reshape(linear(x, w, b), [B, T, N, depth]);
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor | Tensor[] {
    const list = inputs instanceof Tensor ? [inputs] : [...inputs];
    const query = list[0]!;
    const value = list[1] ?? query;
    const key = list[2] ?? value;
    const attentionMask = list[3] ?? null;
    const masks = context.masks ?? [];
    const [B, Tq] = query.shape as [number, number];
    if (value.shape[1] !== key.shape[1])
      throw new ShapeError(
        `${this.name}: key and value lengths differ (${key.shape[1]} and ${value.shape[1]})`,
      );
    const since = recordedNodes(); // this call's region of the graph starts here
    const q = this.heads(query, this.query!, this.keyDim); // (B, Tq, N, K)
    let k = this.heads(key, this.key!, this.keyDim); // (B, Tk, N, K)
    let v = this.heads(value, this.value!, this.valueDim); // (B, Tk, N, V)
    // keys are masked by the value's padding mask and, when a separate key is given, by its mask
    const parts: Tensor[] = [];
    let valueMask = list.length > 1 ? (masks[1] ?? null) : (masks[0] ?? null);
    // incremental decoding: causal self-attention appends the new keys and values to its cache
    const cache = this.useCausalMask && list.length === 1 ? activeKVCache() : null;
    let past = 0; // positions before the first query
    if (cache !== null) ({ k, v, mask: valueMask, past } = this.appendToCache(cache, k, v, valueMask));
    const Tk = k.shape[1]!;
    if (valueMask !== null) parts.push(reshape(toBool(valueMask), [B, 1, 1, Tk]));
    // the fused causal mask is top-left aligned; queries after cached keys need it shifted by `past`
    if (past > 0 && Tq > 1) parts.push(shiftedCausalMask(Tq, Tk, past));
    const keyMask = list.length > 2 && list[2] !== list[1] ? (masks[2] ?? null) : null;
    if (keyMask !== null) parts.push(reshape(toBool(keyMask), [B, 1, 1, Tk]));
    if (attentionMask !== null) {
      if (attentionMask.rank !== 3 || attentionMask.shape[1] !== Tq || attentionMask.shape[2] !== Tk) {
        throw new ShapeError(
          `${this.name}: attentionMask must be (B, ${Tq}, ${Tk}) (got [${attentionMask.shape}])`,
        );
      }
      parts.push(reshape(toBool(attentionMask), [attentionMask.shape[0]!, 1, Tq, Tk]));
    }
    const mask = parts.length === 0 ? null : parts.slice(1).reduce((a, m) => logicalAnd(a, m), parts[0]!);
    const options = { mask, causal: this.useCausalMask && past === 0 };
    const dropping = context.training && this.dropout > 0;
    let attended: Tensor; // (B, Tq, N, V)
    let scores: Tensor | null = null;
    if (this.returnAttentionScores || dropping) {
      // the composed form works on (B, N, T, D) heads
      const swap = [0, 2, 1, 3];
      scores = attentionProbabilities(q, k, { ...options, layout: "BTND" });
      const weights = dropping ? mul(scores, this.dropoutMask(scores.shape)) : scores;
      attended = transpose(matmul(weights, transpose(v, swap)), swap);
    } else {
      // the fused kernels read the heads-last projections in place and write (B, Tq, N, V)
      attended = scaledDotProductAttention(q, k, v, { ...options, layout: "BTND" });
    }
    // padded queries (Keras folds the query mask into the attention mask) give zero rows
    const queryMask = masks[0] ?? null;
    if (queryMask !== null)
      attended = mul(attended, reshape(cast(toBool(queryMask), attended.dtype), [B, Tq, 1, 1]));
    const N = this.numHeads;
    const merged = reshape(attended, [B, Tq, N * this.valueDim]);
    const o = this.output!;
    const outDim = o.kernel.shape[2]!;
    const y = linear(merged, reshape(o.kernel, [N * this.valueDim, outDim]), o.bias);
    if (this.activityRegularizer !== null) this.addLoss(this.activityRegularizer.penalty(y));
    if (this.returnAttentionScores) return [y, scores!];
    // in training the projections and the attended values are read only by the ops leading to y,
    // so backward() may recycle them (autograd/scratch-activations); a KV cache keeps k and v
    return context.training && cache === null && this.activityRegularizer === null
      ? markScratchRegion(since, y)
      : y;
  }

  /** k, v (and the key padding mask) with the cached positions in front; stores them back. */
  private appendToCache(
    cache: KVCache,
    k: Tensor,
    v: Tensor,
    mask: Tensor | null,
  ): { k: Tensor; v: Tensor; mask: Tensor | null; past: number } {
    const entry = cache.get(this);
    if (entry === undefined) {
      cache.set(this, { key: k, value: v, mask });
      return { k, v, mask, past: 0 };
    }
    const [B, T] = k.shape as [number, number];
    if (entry.key.shape[0] !== B)
      throw new ShapeError(
        `${this.name}: the KV cache holds batch ${entry.key.shape[0]} but the call has batch ${B}`,
      );
    const past = entry.key.shape[1]!;
    const ones = (t: number) => new Tensor(new Uint8Array(B * t).fill(1), [B, t], "bool");
    const merged =
      mask === null && entry.mask === null
        ? null
        : concat(
            [entry.mask === null ? ones(past) : toBool(entry.mask), mask === null ? ones(T) : toBool(mask)],
            1,
          );
    const next = { key: concat([entry.key, k], 1), value: concat([entry.value, v], 1), mask: merged };
    cache.set(this, next);
    return { k: next.key, v: next.value, mask: merged, past };
  }

  private dropoutMask(shape: readonly number[]): Tensor {
    const g = this.generator ?? getGenerator();
    const keep = 1 - this.dropout;
    const size = shape.reduce((p, d) => p * d, 1);
    const data = this.dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = g.random() < keep ? 1 / keep : 0;
    return new Tensor(data, shape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const [query, , key] = this.shapesOf(inputShape);
    const out: SymbolicShape = [query[0]!, query[1]!, this.outputShape ?? query[2]!];
    return this.returnAttentionScores ? [out, [query[0]!, this.numHeads, query[1]!, key[1]!]] : out;
  }

  override computeMask(_inputs: LayerInputs, masks: MaskList): Tensor | null | MaskList {
    const queryMask = masks[0] ?? null;
    return this.returnAttentionScores ? [queryMask, null] : queryMask;
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.outputShape,
      useCausalMask: this.useCausalMask,
      returnAttentionScores: this.returnAttentionScores,
      kernelInitializer: this.kernelInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      kernelRegularizer: serializeOrNull(this.kernelRegularizer),
      biasRegularizer: serializeOrNull(this.biasRegularizer),
      activityRegularizer: serializeOrNull(this.activityRegularizer),
      kernelConstraint: serializeOrNull(this.kernelConstraint),
      biasConstraint: serializeOrNull(this.biasConstraint),
      seed: this.seed,
    };
  }
}
registerLayer("MultiHeadAttention", MultiHeadAttention);

/** (1, 1, Tq, Tk): query i (at position past + i) sees keys j <= past + i. */
function shiftedCausalMask(Tq: number, Tk: number, past: number): Tensor {
  const visible = new Uint8Array(Tq * Tk);
  for (let i = 0; i < Tq; i++) visible.fill(1, i * Tk, i * Tk + Math.min(Tk, past + i + 1));
  return new Tensor(visible, [1, 1, Tq, Tk], "bool");
}

function toBool(m: Tensor): Tensor {
  return m.dtype === "bool" ? m : notEqual(m, 0);
}
