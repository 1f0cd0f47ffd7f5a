// models/generate: autoregressive generation from a decoder model (token ids (B, T) -> logits
// (B, T, V), e.g. embeddings + TransformerDecoder blocks + a dense head). With the key/value cache
// (nn/kv-cache, the default) the prompt runs once and each new token costs one position through the
// model; without it every step re-runs the whole context. Both give the same tokens. Tokens are
// chosen by ops/sampling (greedy, temperature, top-k, top-p, repetition penalty, suppressed ids),
// streamed to a callback, and generation stops at a stop token or after maxNewTokens.
// Layer: models. Shapes: B prompts (rows), T context length, V vocabulary.
import { noGrad } from "../autograd/mode.js";
import { ValueError } from "../core/errors.js";
import { KVCache, withKVCache } from "../nn/kv-cache.js";
import type { Layer } from "../nn/layer.js";
import { type ResolvedSampler, resolveSampler, type SamplerOptions, sampleLogits } from "../ops/sampling.js";
import { Tensor } from "../tensor/tensor.js";

export interface GenerateOptions extends SamplerOptions {
  /** How many tokens to add at most (per row). */
  maxNewTokens: number;
  /** Ids that end a row (not included in `generated`). */
  stopTokens?: readonly number[];
  /**
   * The longest context the model takes (its position embedding's sequenceLength). Default:
   * unlimited. Past it the model sees only recent tokens, per `overflow`.
   */
  maxContext?: number;
  /**
   * Past maxContext: "slide" (default) keeps the last maxContext tokens at every step, which
   * re-runs that whole window each step since learned positions shift; "halve" restarts from the
   * last maxContext / 2 tokens and continues cached until the window is full again (cheaper, with
   * less context right after a restart). Cached and uncached generation agree in both modes.
   */
  overflow?: "slide" | "halve";
  /** Reuse keys and values of earlier positions (default true). */
  useCache?: boolean;
  /** Called with each new token as it is chosen; returning false (exactly) ends that row. */
  onToken?: (token: number, row: number, step: number) => unknown;
}

export type FinishReason = "stop" | "length" | "callback";

export interface GenerateResult {
  /** Per row: the new tokens (without the stop token). */
  generated: number[][];
  /** Per row: the prompt followed by the new tokens. */
  sequences: number[][];
  /** Per row: why it ended. */
  finishReasons: FinishReason[];
  /** Positions fed through the model over all steps (per row): the work done, in tokens. */
  positionsRun: number;
}

/** The prompt(s) as equal-length rows of ids. */
function promptRows(prompt: readonly number[] | readonly (readonly number[])[]): number[][] {
  const rows = prompt.length > 0 && Array.isArray(prompt[0]) ? (prompt as number[][]) : [prompt as number[]];
  const length = rows[0]?.length ?? 0;
  if (length === 0) throw new ValueError("generate: the prompt must hold at least one token");
  for (const row of rows) {
    if (row.length !== length)
      throw new ValueError(`generate: prompts must have equal lengths (got ${length} and ${row.length})`);
    for (const t of row)
      if (!Number.isInteger(t) || t < 0)
        throw new ValueError(`generate: token ids must be integers >= 0 (got ${t})`);
  }
  return rows.map((r) => [...r]);
}

function idsTensor(rows: readonly number[][], from: number): Tensor {
  const T = rows[0]!.length - from;
  const data = new Int32Array(rows.length * T);
  rows.forEach((row, b) => {
    data.set(row.slice(from), b * T);
  });
  return new Tensor(data, [rows.length, T]);
}

/** Where the model's view of the rows starts; moved when the context outgrows maxContext. */
interface ContextWindow {
  start: number;
  readonly maxContext: number;
  /** Tokens kept when the window moves: maxContext ("slide") or half of it ("halve"). */
  readonly keep: number;
}

/** One step: the logits of the next position of every row. */
function nextLogits(
  model: Layer,
  contexts: number[][],
  cache: KVCache | null,
  window: ContextWindow,
): { logits: Tensor; positions: number } {
  const length = contexts[0]!.length;
  if (length - window.start > window.maxContext) {
    // learned absolute positions shift with the window, so cached keys and values are stale
    window.start = length - window.keep;
    cache?.clear();
  }
  const from = cache === null ? window.start : window.start + cache.position;
  const x = idsTensor(contexts, from);
  const logits = cache === null ? model.apply(x) : withKVCache(cache, () => model.apply(x));
  cache?.advance(x.shape[1]!);
  return { logits, positions: x.shape[1]! };
}

/**
 * Continues `prompt` (one row of token ids, or several of equal length) with a decoder model.
 * @example
 * const { generated } = generate(gpt, tokenizer.encode("The whale "), {
 *   maxNewTokens: 200, temperature: 0.8, topK: 20, generator: new Generator(7),
 *   onToken: (t) => process.stdout.write(tokenizer.decode([t])),
 * });
 */
export function generate(
  model: Layer,
  prompt: readonly number[] | readonly (readonly number[])[],
  options: GenerateOptions,
): GenerateResult {
  const { maxNewTokens } = options;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0)
    throw new ValueError(`generate: maxNewTokens must be an integer >= 0 (got ${maxNewTokens})`);
  const maxContext = options.maxContext ?? Number.POSITIVE_INFINITY;
  if (maxContext !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxContext) || maxContext < 1))
    throw new ValueError(`generate: maxContext must be a positive integer (got ${maxContext})`);
  const overflow = options.overflow ?? "slide";
  if (overflow !== "slide" && overflow !== "halve")
    throw new ValueError(`generate: overflow must be "slide" or "halve" (got ${String(overflow)})`);
  const keep = overflow === "slide" ? maxContext : Math.max(1, Math.floor(maxContext / 2));
  const sampler: ResolvedSampler = resolveSampler(options);
  const stop = new Set(options.stopTokens ?? []);
  const contexts = promptRows(prompt);
  const promptLength = contexts[0]!.length;
  const generated: number[][] = contexts.map(() => []);
  const reasons: (FinishReason | null)[] = contexts.map(() => null);
  const cache = (options.useCache ?? true) ? new KVCache() : null;
  // a prompt longer than maxContext starts at its last maxContext tokens
  const window: ContextWindow = { start: Math.max(0, promptLength - maxContext), maxContext, keep };
  let positionsRun = 0;
  for (let step = 0; step < maxNewTokens && reasons.some((r) => r === null); step++) {
    const { logits, positions } = noGrad(() => nextLogits(model, contexts, cache, window));
    positionsRun += positions;
    const next = sampleLogits(logits, sampler, contexts);
    next.forEach((token, row) => {
      // a finished row keeps a token so the batch stays rectangular; it is not reported
      contexts[row]!.push(token);
      if (reasons[row] !== null) return;
      if (stop.has(token)) {
        reasons[row] = "stop";
        return;
      }
      generated[row]!.push(token);
      if (options.onToken?.(token, row, step) === false) reasons[row] = "callback";
    });
  }
  return {
    generated,
    sequences: contexts.map((c, row) => [...c.slice(0, promptLength), ...generated[row]!]),
    finishReasons: reasons.map((r) => r ?? "length"),
    positionsRun,
  };
}
