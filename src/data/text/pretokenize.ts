// data/text/pretokenize: splits text into the chunks a byte-level BPE merges within (words with
// their leading space, numbers, punctuation runs, whitespace). Only named patterns are allowed so
// a saved tokenizer file never carries a regular expression of its own. Layer: data.
import { ValueError } from "../../core/errors.js";

/** GPT-2's split, and GPT-4's (cl100k: numbers in groups of at most 3, case-free contractions). */
export const PRETOKENIZERS = {
  gpt2: /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu,
  gpt4: /'(?:[sStTmMdD]|[rR][eE]|[vV][eE]|[lL][lL])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu,
  /** The whole text is one chunk (merges may then cross word boundaries). */
  none: null,
} as const;

export type PretokenizerName = keyof typeof PRETOKENIZERS;

export function isPretokenizerName(value: unknown): value is PretokenizerName {
  return typeof value === "string" && Object.hasOwn(PRETOKENIZERS, value);
}

/**
 * The chunks of `text`; they always concatenate back to `text` exactly (any character the pattern
 * skips becomes a chunk of its own).
 */
export function pretokenize(text: string, name: PretokenizerName): string[] {
  const pattern = PRETOKENIZERS[name];
  if (pattern === undefined) throw new ValueError(`pretokenize: unknown pretokenizer "${String(name)}"`);
  if (pattern === null) return text.length > 0 ? [text] : [];
  const chunks: string[] = [];
  let end = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > end) chunks.push(text.slice(end, match.index));
    if (match[0].length > 0) chunks.push(match[0]);
    end = match.index + match[0].length;
  }
  if (end < text.length) chunks.push(text.slice(end));
  return chunks;
}
