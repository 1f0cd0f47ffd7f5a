// data/text/bpe-tokenizer: a byte-level BPE tokenizer (GPT-2 style). Text becomes WTF-8 bytes, so
// every string (emoji, any script, lone surrogates) encodes and decodes back exactly; learned
// merges join frequent byte pairs within pretokenized chunks. Special tokens are whole strings
// with ids of their own. State saves to plain JSON (no code, no regular expressions). Layer: data.
import { FormatError, ValueError } from "../../core/errors.js";
import { learnMerges, type Merge } from "./bpe-train.js";
import { isPretokenizerName, type PretokenizerName, pretokenize } from "./pretokenize.js";
import { decodeWtf8, encodeWtf8 } from "./wtf8.js";

// Id layout: 0..255 the bytes, 256..256+M-1 the merges in learned order, then the special tokens.

export interface BpeTrainOptions {
  /** Size of the final vocabulary: 256 bytes + merges + special tokens. */
  vocabSize: number;
  /** Whole strings that get ids of their own and are never split (e.g. "<|endoftext|>"). */
  specialTokens?: readonly string[];
  /** Pair frequency below which training stops early (default 2). */
  minFrequency?: number;
  /** How text is cut into chunks that merges stay within (default "gpt2"). */
  pretokenizer?: PretokenizerName;
}

export interface BpeEncodeOptions {
  /** Recognise special-token strings in the text (default true); when false they are plain text. */
  allowSpecial?: boolean;
}

/** The JSON form of a BpeTokenizer. */
export interface BpeTokenizerJSON {
  format: "tessera-bpe";
  version: 1;
  pretokenizer: PretokenizerName;
  merges: Merge[];
  specialTokens: string[];
}

const CACHE_LIMIT = 20000;

/**
 * Byte-level BPE.
 * @example
 * const bpe = BpeTokenizer.train(texts, { vocabSize: 1000, specialTokens: ["<|endoftext|>"] });
 * const ids = bpe.encode("héllo 👋");
 * bpe.decode(ids); // "héllo 👋"
 * const again = BpeTokenizer.fromJSON(JSON.parse(JSON.stringify(bpe)));
 */
export class BpeTokenizer {
  readonly merges: readonly Merge[];
  readonly specialTokens: readonly string[];
  readonly pretokenizer: PretokenizerName;
  private readonly ranks = new Map<number, number>();
  private readonly tokenBytes: Uint8Array[] = [];
  private readonly specialIds = new Map<string, number>();
  /** Specials by decreasing length, so the longest match wins. */
  private readonly specialOrder: string[];
  private readonly cache = new Map<string, number[]>();

  constructor(
    merges: readonly Merge[],
    specialTokens: readonly string[] = [],
    pretokenizer: PretokenizerName = "gpt2",
  ) {
    for (let b = 0; b < 256; b++) this.tokenBytes.push(Uint8Array.of(b));
    merges.forEach(([a, b], m) => {
      const id = 256 + m;
      if (!isId(a, id) || !isId(b, id)) {
        throw new ValueError(`BpeTokenizer: merge ${m} joins ids ${a} and ${b}; both must be below ${id}`);
      }
      const key = pairKey(a, b);
      if (this.ranks.has(key)) throw new ValueError(`BpeTokenizer: merge ${m} repeats the pair (${a}, ${b})`);
      this.ranks.set(key, m);
      const left = this.tokenBytes[a]!;
      const right = this.tokenBytes[b]!;
      const bytes = new Uint8Array(left.length + right.length);
      bytes.set(left);
      bytes.set(right, left.length);
      this.tokenBytes.push(bytes);
    });
    specialTokens.forEach((token, j) => {
      if (typeof token !== "string" || token.length === 0) {
        throw new ValueError(`BpeTokenizer: special token ${j} must be a non-empty string`);
      }
      if (this.specialIds.has(token))
        throw new ValueError(`BpeTokenizer: special token "${token}" appears twice`);
      this.specialIds.set(token, 256 + merges.length + j);
    });
    this.merges = merges.map(([a, b]) => [a, b] as Merge);
    this.specialTokens = [...specialTokens];
    this.specialOrder = [...specialTokens].sort((x, y) => y.length - x.length);
    this.pretokenizer = pretokenizer;
  }

  /** Learns merges from a corpus until the vocabulary has `vocabSize` entries (or no pair repeats). */
  static train(corpus: Iterable<string>, options: BpeTrainOptions): BpeTokenizer {
    const specials = options.specialTokens ?? [];
    const pretokenizer = options.pretokenizer ?? "gpt2";
    if (!isPretokenizerName(pretokenizer)) {
      throw new ValueError(`BpeTokenizer.train: unknown pretokenizer "${String(pretokenizer)}"`);
    }
    const { vocabSize } = options;
    if (!Number.isInteger(vocabSize) || vocabSize < 256 + specials.length) {
      throw new ValueError(
        `BpeTokenizer.train: vocabSize must be an integer >= 256 + ${specials.length} special tokens (got ${vocabSize})`,
      );
    }
    const merges = learnMerges(corpus, {
      maxMerges: vocabSize - 256 - specials.length,
      minFrequency: options.minFrequency,
      pretokenizer,
      exclude: specials,
    });
    return new BpeTokenizer(merges, specials, pretokenizer);
  }

  /** Number of ids: bytes, merges and special tokens. */
  get vocabSize(): number {
    return 256 + this.merges.length + this.specialTokens.length;
  }

  /** The id of a special token, or undefined. */
  specialTokenId(token: string): number | undefined {
    return this.specialIds.get(token);
  }

  /** Token ids for a text. */
  encode(text: string, options: BpeEncodeOptions = {}): number[] {
    if (typeof text !== "string")
      throw new ValueError(`BpeTokenizer.encode: expected a string (got ${typeof text})`);
    const ids: number[] = [];
    const allowSpecial = options.allowSpecial ?? true;
    if (!allowSpecial || this.specialOrder.length === 0) {
      this.encodeOrdinary(text, ids);
      return ids;
    }
    let start = 0;
    let i = 0;
    outer: while (i < text.length) {
      for (const special of this.specialOrder) {
        if (text.startsWith(special, i)) {
          this.encodeOrdinary(text.slice(start, i), ids);
          ids.push(this.specialIds.get(special)!);
          i += special.length;
          start = i;
          continue outer;
        }
      }
      i++;
    }
    this.encodeOrdinary(text.slice(start), ids);
    return ids;
  }

  /** The text of some ids. Ids that end mid-character decode to U+FFFD for the dangling bytes. */
  decode(ids: Iterable<number>): string {
    let text = "";
    let pending: number[] = [];
    const firstSpecial = 256 + this.merges.length;
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new ValueError(`BpeTokenizer.decode: id ${id} is outside the vocabulary of ${this.vocabSize}`);
      }
      if (id >= firstSpecial) {
        text += decodeWtf8(pending) + this.specialTokens[id - firstSpecial]!;
        pending = [];
      } else for (const b of this.tokenBytes[id]!) pending.push(b);
    }
    return text + decodeWtf8(pending);
  }

  /** The bytes an id stands for (a special token's UTF-8 bytes for specials). */
  tokenToBytes(id: number): Uint8Array {
    const firstSpecial = 256 + this.merges.length;
    if (id >= firstSpecial && id < this.vocabSize) return encodeWtf8(this.specialTokens[id - firstSpecial]!);
    const bytes = this.tokenBytes[id];
    if (bytes === undefined)
      throw new ValueError(`BpeTokenizer.tokenToBytes: id ${id} is outside the vocabulary`);
    return bytes.slice();
  }

  toJSON(): BpeTokenizerJSON {
    return {
      format: "tessera-bpe",
      version: 1,
      pretokenizer: this.pretokenizer,
      merges: this.merges.map(([a, b]) => [a, b]),
      specialTokens: [...this.specialTokens],
    };
  }

  /** Rebuilds a tokenizer from toJSON() output, validating every field. */
  static fromJSON(json: unknown): BpeTokenizer {
    const op = "BpeTokenizer.fromJSON";
    if (typeof json !== "object" || json === null) throw new FormatError(`${op}: expected an object`);
    const o = json as Record<string, unknown>;
    if (o.format !== "tessera-bpe")
      throw new FormatError(`${op}: format must be "tessera-bpe" (got ${JSON.stringify(o.format)})`);
    if (o.version !== 1) throw new FormatError(`${op}: unsupported version ${JSON.stringify(o.version)}`);
    if (!isPretokenizerName(o.pretokenizer)) {
      throw new FormatError(`${op}: unknown pretokenizer ${JSON.stringify(o.pretokenizer)}`);
    }
    if (!Array.isArray(o.merges)) throw new FormatError(`${op}: merges must be an array`);
    const merges = o.merges.map((m: unknown, i: number): Merge => {
      if (!Array.isArray(m) || m.length !== 2 || !m.every((v) => Number.isInteger(v))) {
        throw new FormatError(`${op}: merge ${i} must be a pair of integer ids`);
      }
      return [m[0] as number, m[1] as number];
    });
    if (!Array.isArray(o.specialTokens) || !o.specialTokens.every((s) => typeof s === "string")) {
      throw new FormatError(`${op}: specialTokens must be an array of strings`);
    }
    try {
      return new BpeTokenizer(merges, o.specialTokens as string[], o.pretokenizer);
    } catch (error) {
      throw new FormatError(`${op}: ${(error as Error).message}`);
    }
  }

  private encodeOrdinary(text: string, out: number[]): void {
    for (const chunk of pretokenize(text, this.pretokenizer)) {
      let ids = this.cache.get(chunk);
      if (ids === undefined) {
        ids = this.mergeChunk(chunk);
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(chunk, ids);
      }
      for (const id of ids) out.push(id);
    }
  }

  /** Applies merges to one chunk, lowest rank (earliest learned) first, as in training. */
  private mergeChunk(chunk: string): number[] {
    const ids = Array.from(encodeWtf8(chunk));
    for (;;) {
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rank = this.ranks.get(pairKey(ids[i]!, ids[i + 1]!));
        if (rank !== undefined && rank < bestRank) bestRank = rank;
      }
      if (bestRank === Number.POSITIVE_INFINITY) return ids;
      const [a, b] = this.merges[bestRank]!;
      const id = 256 + bestRank;
      let w = 0;
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          ids[w++] = id;
          i++;
        } else ids[w++] = ids[i]!;
      }
      ids.length = w;
    }
  }
}

function isId(v: number, below: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < below;
}

function pairKey(a: number, b: number): number {
  return a * 2097152 + b;
}
