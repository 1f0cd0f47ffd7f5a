// data/text/text-vectorizer: TextVectorizer, with Keras TextVectorization semantics: standardise,
// split, n-grams, a vocabulary learned by adapt() (most frequent first), and output as padded int
// sequences, multi-hot, counts or TF-IDF. Its state saves to JSON so it ships with a model.
// Layer: data.
import { ConfigError, FormatError, ValueError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import {
  ngrams,
  SPLIT_NAMES,
  type SplitName,
  STANDARDIZE_NAMES,
  type StandardizeName,
  splitText,
  standardizeText,
} from "./standardize.js";

export type OutputMode = "int" | "multi_hot" | "count" | "tf_idf";
const OUTPUT_MODES: readonly OutputMode[] = ["int", "multi_hot", "count", "tf_idf"];

/** The padding token (index 0 in "int" mode) and the out-of-vocabulary token. */
export const PAD_TOKEN = "";
export const OOV_TOKEN = "[UNK]";

export interface TextVectorizerOptions {
  /** Largest vocabulary, special tokens included (padding and OOV in "int" mode, OOV otherwise). */
  maxTokens?: number | null;
  /** Default "lower_and_strip_punctuation"; null for none; or a function (not saved by toJSON). */
  standardize?: StandardizeName | null | ((text: string) => string);
  /** Default "whitespace"; null keeps the whole text as one token; or a function (not saved). */
  split?: SplitName | null | ((text: string) => string[]);
  /** n: all n-grams of widths 1..n; a list: exactly those widths. Default none (unigrams). */
  ngrams?: number | readonly number[] | null;
  /** Default "int". */
  outputMode?: OutputMode;
  /** "int" mode: pad (with 0) or truncate every sequence to this length; default: the longest in the batch. */
  outputSequenceLength?: number | null;
  /** Non-int modes: output width maxTokens even when the vocabulary is smaller. */
  padToMaxTokens?: boolean;
  /** A fixed vocabulary (learned tokens; leading special tokens are recognised and skipped). */
  vocabulary?: readonly string[];
  /** "tf_idf" with a fixed vocabulary: one IDF weight per vocabulary token. */
  idfWeights?: readonly number[];
}

export interface TextVectorizerJSON {
  format: "tessera-text-vectorizer";
  version: 1;
  config: {
    maxTokens: number | null;
    standardize: StandardizeName | null;
    split: SplitName | null;
    ngrams: number[] | null;
    outputMode: OutputMode;
    outputSequenceLength: number | null;
    padToMaxTokens: boolean;
  };
  /** Learned tokens, most frequent first (special tokens not included). */
  vocabulary: string[];
  idfWeights: number[] | null;
}

/**
 * Turns strings into token ids or bag-of-words vectors.
 * @example
 * const tv = new TextVectorizer({ maxTokens: 1000, outputSequenceLength: 8 });
 * tv.adapt(["The cat sat.", "The dog sat!"]);
 * tv.transform(["the cat"]); // Tensor int32 [1, 8]: [[2, 4, 0, 0, 0, 0, 0, 0]]
 */
export class TextVectorizer {
  readonly maxTokens: number | null;
  readonly outputMode: OutputMode;
  readonly outputSequenceLength: number | null;
  readonly padToMaxTokens: boolean;
  readonly ngramWidths: number[] | null;
  private readonly standardizeOption: StandardizeName | null | ((text: string) => string);
  private readonly splitOption: SplitName | null | ((text: string) => string[]);
  private learned: string[] = [];
  private index = new Map<string, number>();
  private idf: number[] | null = null;

  constructor(options: TextVectorizerOptions = {}) {
    const op = "TextVectorizer";
    this.outputMode = options.outputMode ?? "int";
    if (!OUTPUT_MODES.includes(this.outputMode)) {
      throw new ConfigError(
        `${op}: outputMode must be one of ${OUTPUT_MODES.join(", ")} (got "${this.outputMode}")`,
      );
    }
    this.maxTokens = options.maxTokens ?? null;
    if (this.maxTokens !== null && (!Number.isInteger(this.maxTokens) || this.maxTokens <= this.tokenStart)) {
      throw new ConfigError(
        `${op}: maxTokens must be an integer > ${this.tokenStart} (got ${this.maxTokens})`,
      );
    }
    this.outputSequenceLength = options.outputSequenceLength ?? null;
    if (this.outputSequenceLength !== null) {
      if (this.outputMode !== "int")
        throw new ConfigError(`${op}: outputSequenceLength only applies to outputMode "int"`);
      if (!Number.isInteger(this.outputSequenceLength) || this.outputSequenceLength < 1) {
        throw new ConfigError(
          `${op}: outputSequenceLength must be an integer >= 1 (got ${this.outputSequenceLength})`,
        );
      }
    }
    this.padToMaxTokens = options.padToMaxTokens ?? false;
    if (this.padToMaxTokens && (this.maxTokens === null || this.outputMode === "int")) {
      throw new ConfigError(`${op}: padToMaxTokens needs maxTokens and a non-int outputMode`);
    }
    const standardize =
      options.standardize === undefined ? "lower_and_strip_punctuation" : options.standardize;
    if (typeof standardize === "string" && !STANDARDIZE_NAMES.includes(standardize)) {
      throw new ConfigError(
        `${op}: unknown standardize "${standardize}" (expected ${STANDARDIZE_NAMES.join(", ")})`,
      );
    }
    this.standardizeOption = standardize;
    const split = options.split === undefined ? "whitespace" : options.split;
    if (typeof split === "string" && !SPLIT_NAMES.includes(split)) {
      throw new ConfigError(`${op}: unknown split "${split}" (expected ${SPLIT_NAMES.join(", ")})`);
    }
    this.splitOption = split;
    this.ngramWidths = resolveNgrams(options.ngrams ?? null);
    if (options.vocabulary !== undefined) this.setVocabulary(options.vocabulary, options.idfWeights);
  }

  /** Index of the first learned token: after padding and OOV in "int" mode, after OOV otherwise. */
  private get tokenStart(): number {
    return this.outputMode === "int" ? 2 : 1;
  }

  /** Standardises, splits and builds n-grams: the tokens that are looked up. */
  tokenize(text: string): string[] {
    if (typeof text !== "string")
      throw new ValueError(`TextVectorizer: expected a string (got ${typeof text})`);
    const s = this.standardizeOption;
    const standardized = s === null ? text : typeof s === "function" ? s(text) : standardizeText(text, s);
    const p = this.splitOption;
    const tokens =
      p === null ? [standardized] : typeof p === "function" ? p(standardized) : splitText(standardized, p);
    return this.ngramWidths === null ? tokens : ngrams(tokens, this.ngramWidths);
  }

  /**
   * Learns the vocabulary from documents: tokens by decreasing count, ties broken by decreasing
   * code-point order of the token (Keras' lexsort, reversed), cut to maxTokens; for "tf_idf" also
   * idf = ln(1 + documents / (1 + documents containing the token)), the OOV token getting the mean.
   */
  adapt(documents: Iterable<string>): this {
    const tally = this.newTally();
    for (const doc of documents) tally.add(doc);
    tally.finish();
    return this;
  }

  /** adapt() over an async source, such as a Dataset of strings, read in one streaming pass. */
  async adaptAsync(documents: AsyncIterable<string> | Iterable<string>): Promise<this> {
    const tally = this.newTally();
    for await (const doc of documents) tally.add(doc);
    tally.finish();
    return this;
  }

  private newTally(): { add(doc: string): void; finish(): void } {
    const counts = new Map<string, number>();
    const docCounts = new Map<string, number>();
    let numDocuments = 0;
    return {
      add: (doc) => {
        const tokens = this.tokenize(doc);
        numDocuments++;
        for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
        if (this.outputMode === "tf_idf")
          for (const t of new Set(tokens)) docCounts.set(t, (docCounts.get(t) ?? 0) + 1);
      },
      finish: () => {
        counts.delete(OOV_TOKEN);
        if (this.outputMode === "int") counts.delete(PAD_TOKEN);
        let tokens = [...counts.keys()].sort(
          (a, b) => counts.get(b)! - counts.get(a)! || compareCodePoints(b, a),
        );
        if (this.maxTokens !== null) tokens = tokens.slice(0, this.maxTokens - this.tokenStart);
        const idf =
          this.outputMode === "tf_idf"
            ? tokens.map((t) => Math.log(1 + numDocuments / (1 + docCounts.get(t)!)))
            : undefined;
        this.assignVocabulary(tokens, idf);
      },
    };
  }

  /** Replaces the vocabulary (and for "tf_idf" the IDF weights, one per token). */
  setVocabulary(vocabulary: readonly string[], idfWeights?: readonly number[]): void {
    const op = "TextVectorizer.setVocabulary";
    let tokens = [...vocabulary];
    let weights = idfWeights === undefined ? undefined : [...idfWeights];
    const specials = this.outputMode === "int" ? [PAD_TOKEN, OOV_TOKEN] : [OOV_TOKEN];
    if (specials.every((s, i) => tokens[i] === s)) {
      tokens = tokens.slice(specials.length);
      if (weights !== undefined && weights.length === vocabulary.length)
        weights = weights.slice(specials.length);
    }
    const seen = new Set<string>();
    for (const t of tokens) {
      if (typeof t !== "string") throw new ValueError(`${op}: every token must be a string`);
      if (t === OOV_TOKEN || (this.outputMode === "int" && t === PAD_TOKEN)) {
        throw new ValueError(`${op}: the special token ${JSON.stringify(t)} may only lead the vocabulary`);
      }
      if (seen.has(t)) throw new ValueError(`${op}: token ${JSON.stringify(t)} appears twice`);
      seen.add(t);
    }
    if (this.maxTokens !== null && tokens.length + this.tokenStart > this.maxTokens) {
      throw new ValueError(
        `${op}: ${tokens.length + this.tokenStart} tokens with the special ones exceed maxTokens = ${this.maxTokens}`,
      );
    }
    if (this.outputMode === "tf_idf") {
      if (weights === undefined || weights.length !== tokens.length || !weights.every(Number.isFinite)) {
        throw new ValueError(
          `${op}: outputMode "tf_idf" needs one finite idf weight per token (${tokens.length})`,
        );
      }
    } else if (weights !== undefined) {
      throw new ValueError(`${op}: idfWeights only apply to outputMode "tf_idf"`);
    }
    this.assignVocabulary(tokens, weights);
  }

  private assignVocabulary(tokens: string[], idf: number[] | undefined): void {
    this.learned = tokens;
    this.index = new Map(tokens.map((t, i) => [t, i + this.tokenStart]));
    this.idf = idf ?? null;
  }

  /** The full vocabulary, index order, special tokens first ("" and "[UNK]" in "int" mode). */
  getVocabulary(): string[] {
    return [...(this.outputMode === "int" ? [PAD_TOKEN, OOV_TOKEN] : [OOV_TOKEN]), ...this.learned];
  }

  /** Number of indices in use, special tokens included. */
  vocabularySize(): number {
    return this.tokenStart + this.learned.length;
  }

  /** IDF weight per index ("tf_idf" only): OOV first (the mean of the others), then each token. */
  getIdfWeights(): number[] {
    if (this.idf === null)
      throw new ValueError(`TextVectorizer.getIdfWeights: only "tf_idf" has IDF weights`);
    const mean = this.idf.length === 0 ? 0 : this.idf.reduce((a, b) => a + b, 0) / this.idf.length;
    return [mean, ...this.idf];
  }

  /** Token ids for one text (no padding): OOV tokens map to 1 in "int" mode, 0 otherwise. */
  lookup(text: string): number[] {
    const oov = this.tokenStart - 1;
    return this.tokenize(text).map((t) => this.index.get(t) ?? oov);
  }

  /**
   * Vectorises texts. A string gives a rank-1 result, an array a batch: "int" -> int32 [B, L];
   * other modes -> float32 [B, V] (V the vocabulary size, or maxTokens with padToMaxTokens).
   */
  transform(texts: string | readonly string[]): Tensor {
    const batch = typeof texts === "string" ? [texts] : texts;
    const single = typeof texts === "string";
    if (this.outputMode !== "int" && this.learned.length === 0 && !this.padToMaxTokens) {
      throw new ValueError(
        `TextVectorizer.transform: outputMode "${this.outputMode}" needs a vocabulary; call adapt() first`,
      );
    }
    const sequences = batch.map((t) => this.lookup(t));
    if (this.outputMode === "int") {
      const length = this.outputSequenceLength ?? Math.max(0, ...sequences.map((s) => s.length));
      const data = new Int32Array(batch.length * length);
      sequences.forEach((s, b) => {
        data.set(s.slice(0, length), b * length);
      });
      return new Tensor(data, single ? [length] : [batch.length, length]);
    }
    const width = this.padToMaxTokens ? this.maxTokens! : this.vocabularySize();
    const data = new Float32Array(batch.length * width);
    const idf = this.outputMode === "tf_idf" ? this.getIdfWeights() : null;
    sequences.forEach((s, b) => {
      const row = b * width;
      for (const id of s) {
        if (this.outputMode === "multi_hot") data[row + id] = 1;
        else data[row + id]! += 1;
      }
      if (idf !== null) for (let j = 0; j < idf.length; j++) data[row + j]! *= idf[j]!;
    });
    return new Tensor(data, single ? [width] : [batch.length, width]);
  }

  /** The state as JSON. Throws for a custom standardize or split function, which cannot be saved. */
  toJSON(): TextVectorizerJSON {
    if (typeof this.standardizeOption === "function" || typeof this.splitOption === "function") {
      throw new ConfigError("TextVectorizer.toJSON: a custom standardize or split function cannot be saved");
    }
    return {
      format: "tessera-text-vectorizer",
      version: 1,
      config: {
        maxTokens: this.maxTokens,
        standardize: this.standardizeOption,
        split: this.splitOption,
        ngrams: this.ngramWidths,
        outputMode: this.outputMode,
        outputSequenceLength: this.outputSequenceLength,
        padToMaxTokens: this.padToMaxTokens,
      },
      vocabulary: [...this.learned],
      idfWeights: this.idf === null ? null : [...this.idf],
    };
  }

  /** Rebuilds a TextVectorizer from toJSON() output. */
  static fromJSON(json: unknown): TextVectorizer {
    const op = "TextVectorizer.fromJSON";
    if (typeof json !== "object" || json === null) throw new FormatError(`${op}: expected an object`);
    const o = json as Record<string, unknown>;
    if (o.format !== "tessera-text-vectorizer")
      throw new FormatError(`${op}: format must be "tessera-text-vectorizer"`);
    if (o.version !== 1) throw new FormatError(`${op}: unsupported version ${JSON.stringify(o.version)}`);
    const c = o.config;
    if (typeof c !== "object" || c === null) throw new FormatError(`${op}: config must be an object`);
    const config = c as Record<string, unknown>;
    if (!Array.isArray(o.vocabulary) || !o.vocabulary.every((t) => typeof t === "string")) {
      throw new FormatError(`${op}: vocabulary must be an array of strings`);
    }
    const idf = o.idfWeights;
    if (idf !== null && (!Array.isArray(idf) || !idf.every((w) => typeof w === "number"))) {
      throw new FormatError(`${op}: idfWeights must be null or an array of numbers`);
    }
    const optional = <T>(v: unknown, check: (x: unknown) => boolean, name: string): T | null => {
      if (v === null || v === undefined) return null;
      if (!check(v)) throw new FormatError(`${op}: config.${name} is invalid (got ${JSON.stringify(v)})`);
      return v as T;
    };
    try {
      return new TextVectorizer({
        maxTokens: optional<number>(config.maxTokens, Number.isInteger, "maxTokens"),
        standardize: optional<StandardizeName>(
          config.standardize,
          (v) => STANDARDIZE_NAMES.includes(v as StandardizeName),
          "standardize",
        ),
        split: optional<SplitName>(config.split, (v) => SPLIT_NAMES.includes(v as SplitName), "split"),
        ngrams: optional<number[]>(
          config.ngrams,
          (v) => Array.isArray(v) && v.every(Number.isInteger),
          "ngrams",
        ),
        outputMode:
          optional<OutputMode>(
            config.outputMode,
            (v) => OUTPUT_MODES.includes(v as OutputMode),
            "outputMode",
          ) ?? "int",
        outputSequenceLength: optional<number>(
          config.outputSequenceLength,
          Number.isInteger,
          "outputSequenceLength",
        ),
        padToMaxTokens: config.padToMaxTokens === true,
        vocabulary: o.vocabulary as string[],
        idfWeights: idf === null ? undefined : (idf as number[]),
      });
    } catch (error) {
      if (error instanceof FormatError) throw error;
      throw new FormatError(`${op}: ${(error as Error).message}`);
    }
  }
}

function resolveNgrams(option: number | readonly number[] | null): number[] | null {
  if (option === null) return null;
  const widths = typeof option === "number" ? Array.from({ length: option }, (_, i) => i + 1) : [...option];
  if (widths.length === 0 || !widths.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new ConfigError(
      `TextVectorizer: ngrams must be an integer >= 1 or a list of them (got ${JSON.stringify(option)})`,
    );
  }
  return widths;
}

/** Compares by Unicode code points (the order of UTF-8 bytes, which Keras sorts by). */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}
