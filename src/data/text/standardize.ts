// data/text/standardize: the text standardisation and splitting steps of TextVectorizer (Keras
// TextVectorization semantics) and n-gram building. Layer: data.
import { ValueError } from "../../core/errors.js";

/** Keras' DEFAULT_STRIP_REGEX: every ASCII punctuation character (Python's string.punctuation). */
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

export type StandardizeName = "lower_and_strip_punctuation" | "lower" | "strip_punctuation";
export type SplitName = "whitespace" | "character";

export const STANDARDIZE_NAMES: readonly StandardizeName[] = [
  "lower_and_strip_punctuation",
  "lower",
  "strip_punctuation",
];
export const SPLIT_NAMES: readonly SplitName[] = ["whitespace", "character"];

/**
 * Applies a named standardisation. NOTE: lowercasing is Unicode-aware (String.toLowerCase), where
 * Keras' tf.strings.lower only lowercases ASCII; punctuation stripping is ASCII-only, as in Keras.
 */
export function standardizeText(text: string, mode: StandardizeName): string {
  switch (mode) {
    case "lower_and_strip_punctuation":
      return text.toLowerCase().replace(PUNCTUATION, "");
    case "lower":
      return text.toLowerCase();
    case "strip_punctuation":
      return text.replace(PUNCTUATION, "");
    default:
      throw new ValueError(
        `standardize: unknown mode "${String(mode)}" (expected ${STANDARDIZE_NAMES.join(", ")})`,
      );
  }
}

/** "whitespace": runs of whitespace separate tokens, empty tokens dropped; "character": code points. */
export function splitText(text: string, mode: SplitName): string[] {
  switch (mode) {
    case "whitespace":
      return text.split(/\s+/u).filter((t) => t.length > 0);
    case "character":
      return Array.from(text);
    default:
      throw new ValueError(`split: unknown mode "${String(mode)}" (expected ${SPLIT_NAMES.join(", ")})`);
  }
}

/**
 * The n-grams of a token list for each width in `widths`, widths in the given order, tokens joined
 * by a space (tf.strings.ngrams with separator " ").
 * @example
 * ngrams(["a", "b", "c"], [1, 2]); // ["a", "b", "c", "a b", "b c"]
 */
export function ngrams(tokens: readonly string[], widths: readonly number[]): string[] {
  const out: string[] = [];
  for (const n of widths) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(" "));
  }
  return out;
}
