// data/augment/text: easy data augmentation for token sequences (Wei & Zou 2019): random deletion
// and random swap of tokens, seeded. A string input is split on whitespace and joined back with
// single spaces. Layer: data.
import { ValueError } from "../../core/errors.js";
import { type RandomSource, resolveGenerator } from "../split/indexable.js";

function tokensOf(op: string, input: string | readonly string[]): string[] {
  if (typeof input === "string") return input.split(/\s+/u).filter((t) => t.length > 0);
  if (!Array.isArray(input)) throw new ValueError(`${op}: expected a string or an array of tokens`);
  return [...input];
}

/** Deletes each token with probability p; one random token survives if all would go. */
export function randomDeletion(tokens: string, options?: RandomSource & { p?: number }): string;
export function randomDeletion(tokens: readonly string[], options?: RandomSource & { p?: number }): string[];
export function randomDeletion(
  input: string | readonly string[],
  options: RandomSource & { p?: number } = {},
): string | string[] {
  const op = "randomDeletion";
  const p = options.p ?? 0.1;
  if (!(p >= 0 && p <= 1)) throw new ValueError(`${op}: p must be in [0, 1] (got ${p})`);
  const tokens = tokensOf(op, input);
  const rng = resolveGenerator(options);
  let kept = tokens.filter(() => rng.random() >= p);
  if (kept.length === 0 && tokens.length > 0) kept = [tokens[rng.int(0, tokens.length)]!];
  return typeof input === "string" ? kept.join(" ") : kept;
}

/** Swaps two random positions, `n` times (default 1). */
export function randomSwap(tokens: string, options?: RandomSource & { n?: number }): string;
export function randomSwap(tokens: readonly string[], options?: RandomSource & { n?: number }): string[];
export function randomSwap(
  input: string | readonly string[],
  options: RandomSource & { n?: number } = {},
): string | string[] {
  const op = "randomSwap";
  const n = options.n ?? 1;
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`${op}: n must be a whole number (got ${n})`);
  const tokens = tokensOf(op, input);
  const rng = resolveGenerator(options);
  if (tokens.length >= 2) {
    for (let s = 0; s < n; s++) {
      const i = rng.int(0, tokens.length);
      let j = rng.int(0, tokens.length - 1);
      if (j >= i) j++; // two distinct positions
      [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
    }
  }
  return typeof input === "string" ? tokens.join(" ") : tokens;
}
