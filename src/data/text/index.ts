// data/text: text vectorisation and tokenizers (TextVectorizer, CharTokenizer, byte-level BPE).
export {
  type BpeEncodeOptions,
  BpeTokenizer,
  type BpeTokenizerJSON,
  type BpeTrainOptions,
} from "./bpe-tokenizer.js";
export type { Merge } from "./bpe-train.js";
export {
  CHAR_OOV_ID,
  CHAR_PAD_ID,
  CharTokenizer,
  type CharTokenizerJSON,
  type CharTokenizerOptions,
} from "./char-tokenizer.js";
export { type PretokenizerName, pretokenize } from "./pretokenize.js";
export { ngrams, type SplitName, type StandardizeName, splitText, standardizeText } from "./standardize.js";
export { TextColumnVectorizer, type TextColumnVectorizerOptions } from "./text-column.js";
export {
  OOV_TOKEN,
  type OutputMode,
  PAD_TOKEN,
  TextVectorizer,
  type TextVectorizerJSON,
  type TextVectorizerOptions,
} from "./text-vectorizer.js";
