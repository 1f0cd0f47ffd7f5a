// ops/sampling: drawing token ids from scores. `multinomial` draws category indices from rows of
// probabilities (torch.multinomial); `sampleLogits` turns rows of logits into next-token ids the
// way text generators do: greedy, or a draw at a temperature after top-k, top-p (nucleus),
// repetition-penalty and suppressed-token filters. Every draw comes from a seeded Generator
// (core/random), the global one unless given. Not differentiable (ids are integers).
// Shapes: B rows (batch), V categories (vocabulary).
import { ShapeError, ValueError } from "../core/errors.js";
import { type Generator, getGenerator } from "../core/random.js";
import { Tensor } from "../tensor/tensor.js";
import { type TensorLike, toTensor } from "./operand.js";
import { argsort } from "./sort.js";

export interface MultinomialOptions {
  /** Draw with replacement (default false, as torch.multinomial). */
  replacement?: boolean;
  /** The generator to draw from (default the global one). */
  generator?: Generator;
}

/** One draw from the unnormalised non-negative weights w[0..n) (total > 0). */
function drawIndex(w: ArrayLike<number>, total: number, g: Generator): number {
  let r = g.random() * total;
  let last = -1;
  for (let j = 0; j < w.length; j++) {
    const p = w[j]!;
    if (p <= 0) continue;
    last = j;
    r -= p;
    if (r < 0) return j;
  }
  return last; // rounding left r at or just above 0: the last category with weight
}

/**
 * `numSamples` category indices per row of non-negative weights (rows need not sum to 1), as
 * int32 (B, numSamples) for a (B, V) input or (numSamples) for a (V) input. Without replacement a
 * drawn category's weight is removed before the next draw.
 * @example
 * multinomial(tensor([0.1, 0.0, 0.9]), 2, { generator: new Generator(0) }); // e.g. [2, 0]
 */
export function multinomial(input: TensorLike, numSamples: number, options: MultinomialOptions = {}): Tensor {
  const x = toTensor(input);
  if (x.rank !== 1 && x.rank !== 2)
    throw new ShapeError(`multinomial: expected probabilities (V) or (B, V) (got shape [${x.shape}])`);
  const V = x.shape[x.rank - 1]!;
  const B = x.rank === 2 ? x.shape[0]! : 1;
  const replacement = options.replacement ?? false;
  if (!Number.isInteger(numSamples) || numSamples < 1)
    throw new ValueError(`multinomial: numSamples must be a positive integer (got ${numSamples})`);
  if (!replacement && numSamples > V)
    throw new ValueError(
      `multinomial: cannot draw ${numSamples} samples without replacement from ${V} categories`,
    );
  const g = options.generator ?? getGenerator();
  const out = new Int32Array(B * numSamples);
  const row = new Float64Array(V);
  for (let b = 0; b < B; b++) {
    let total = 0;
    let positive = 0;
    for (let j = 0; j < V; j++) {
      const p = x.data[b * V + j]!;
      if (!(p >= 0) || !Number.isFinite(p))
        throw new ValueError(`multinomial: row ${b} has an invalid probability ${p} at ${j}`);
      row[j] = p;
      total += p;
      if (p > 0) positive++;
    }
    if (total <= 0) throw new ValueError(`multinomial: row ${b} sums to 0`);
    if (!replacement && numSamples > positive)
      throw new ValueError(
        `multinomial: row ${b} has ${positive} categories with weight, fewer than ${numSamples} samples without replacement`,
      );
    for (let s = 0; s < numSamples; s++) {
      const j = drawIndex(row, total, g);
      out[b * numSamples + s] = j;
      if (!replacement) {
        total -= row[j]!;
        row[j] = 0;
      }
    }
  }
  return new Tensor(out, x.rank === 2 ? [B, numSamples] : [numSamples]);
}

/** How the next token is chosen from a row of logits. */
export interface SamplerOptions {
  /** Always the most likely token (default false; temperature 0 means greedy too). */
  greedy?: boolean;
  /** Logits are divided by this before the softmax (default 1; 0 = greedy). */
  temperature?: number;
  /** Keep only the k most likely tokens (default: all). */
  topK?: number | null;
  /** Keep the smallest set of most likely tokens whose probability reaches p (nucleus; default 1). */
  topP?: number;
  /**
   * Divide the positive logits (multiply the negative ones) of tokens already in the row's history
   * by this (CTRL's repetition penalty; default 1 = none).
   */
  repetitionPenalty?: number;
  /** Token ids never chosen (padding, unknown). */
  suppressTokens?: readonly number[];
  /** The generator to draw from (default the global one). */
  generator?: Generator;
}

/** Checked sampler options, with defaults filled in. */
export interface ResolvedSampler {
  readonly greedy: boolean;
  readonly temperature: number;
  readonly topK: number | null;
  readonly topP: number;
  readonly repetitionPenalty: number;
  readonly suppressTokens: readonly number[];
  readonly generator: Generator;
}

/** Validates sampler options (ValueError naming the option). */
export function resolveSampler(options: SamplerOptions = {}): ResolvedSampler {
  const temperature = options.temperature ?? 1;
  if (!(temperature >= 0) || !Number.isFinite(temperature))
    throw new ValueError(`sampler: temperature must be a finite number >= 0 (got ${temperature})`);
  const topK = options.topK ?? null;
  if (topK !== null && (!Number.isInteger(topK) || topK < 1))
    throw new ValueError(`sampler: topK must be a positive integer (got ${topK})`);
  const topP = options.topP ?? 1;
  if (!(topP > 0 && topP <= 1)) throw new ValueError(`sampler: topP must be in (0, 1] (got ${topP})`);
  const repetitionPenalty = options.repetitionPenalty ?? 1;
  if (!(repetitionPenalty > 0) || !Number.isFinite(repetitionPenalty))
    throw new ValueError(`sampler: repetitionPenalty must be a finite number > 0 (got ${repetitionPenalty})`);
  const suppressTokens = options.suppressTokens ?? [];
  for (const t of suppressTokens)
    if (!Number.isInteger(t) || t < 0)
      throw new ValueError(`sampler: suppressTokens must be non-negative integers (got ${t})`);
  return {
    greedy: (options.greedy ?? false) || temperature === 0,
    temperature,
    topK,
    topP,
    repetitionPenalty,
    suppressTokens,
    generator: options.generator ?? getGenerator(),
  };
}

/**
 * The next token for one row of logits (V), given the tokens so far (for the repetition penalty).
 * Order of filters as Hugging Face's: penalty, suppression, temperature, top-k, top-p.
 */
export function sampleRow(
  logits: ArrayLike<number>,
  sampler: ResolvedSampler,
  history: readonly number[] = [],
): number {
  const V = logits.length;
  const z = Float64Array.from(logits as ArrayLike<number>);
  if (sampler.repetitionPenalty !== 1)
    for (const t of new Set(history))
      if (t >= 0 && t < V)
        z[t] = z[t]! > 0 ? z[t]! / sampler.repetitionPenalty : z[t]! * sampler.repetitionPenalty;
  for (const t of sampler.suppressTokens) if (t < V) z[t] = Number.NEGATIVE_INFINITY;
  let best = -1;
  for (let j = 0; j < V; j++)
    if (z[j]! > Number.NEGATIVE_INFINITY && (best < 0 || z[j]! > z[best]!)) best = j;
  if (best < 0) throw new ValueError("sampler: every token is suppressed or has logit -Infinity");
  if (sampler.greedy) return best;
  // candidates by descending logit (argsort is stable: ties keep the lower id first); -Infinity is out
  let order = Array.from(argsort(new Tensor(z, [V]), { descending: true }).data).filter(
    (j) => z[j]! > Number.NEGATIVE_INFINITY,
  );
  if (sampler.topK !== null) order = order.slice(0, sampler.topK);
  const top = z[order[0]!]! / sampler.temperature;
  const weights = order.map((j) => Math.exp(z[j]! / sampler.temperature - top));
  if (sampler.topP < 1) {
    const total = weights.reduce((s, w) => s + w, 0);
    let cumulative = 0;
    let keep = 0;
    // the smallest prefix whose probability reaches topP (the token that crosses it is kept)
    while (keep < weights.length && cumulative < sampler.topP * total) cumulative += weights[keep++]!;
    order = order.slice(0, Math.max(1, keep));
    weights.length = order.length;
  }
  const total = weights.reduce((s, w) => s + w, 0);
  return order[drawIndex(weights, total, sampler.generator)]!;
}

/**
 * Next-token ids for (B, V) logits (or (B, T, V): the last step of each row is used), one per
 * row, as an Int32Array; `history` holds each row's tokens so far for the repetition penalty.
 * @example
 * sampleLogits(logits, { temperature: 0.8, topK: 40, generator: new Generator(1) });
 */
export function sampleLogits(
  input: TensorLike,
  options: SamplerOptions = {},
  history: readonly (readonly number[])[] = [],
): Int32Array {
  const x = toTensor(input);
  if (x.rank !== 2 && x.rank !== 3)
    throw new ShapeError(`sampleLogits: expected logits (B, V) or (B, T, V) (got shape [${x.shape}])`);
  const sampler = resolveSampler(options);
  const B = x.shape[0]!;
  const V = x.shape[x.rank - 1]!;
  const T = x.rank === 3 ? x.shape[1]! : 1;
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const start = (b * T + T - 1) * V;
    out[b] = sampleRow(x.data.subarray(start, start + V), sampler, history[b] ?? []);
  }
  return out;
}
