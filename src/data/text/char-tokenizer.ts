// data/text/char-tokenizer: a character-level tokenizer over Unicode code points (an emoji is one
// character, not two UTF-16 halves). Id 0 pads, id 1 is the out-of-vocabulary character, then the
// fitted characters by decreasing frequency. State saves to JSON. Layer: data.
import { ConfigError, FormatError, ValueError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";

export interface CharTokenizerOptions {
  /** Lowercase text before encoding (default false). */
  lower?: boolean;
  /** Largest vocabulary including the padding and OOV ids (default unlimited). */
  maxTokens?: number | null;
  /** A fixed list of characters (no fit needed). */
  characters?: readonly string[];
}

export interface CharTokenizerJSON {
  format: "tessera-char-tokenizer";
  version: 1;
  lower: boolean;
  maxTokens: number | null;
  characters: string[];
}

/** Id of padding and of an unknown character. */
export const CHAR_PAD_ID = 0;
export const CHAR_OOV_ID = 1;

/**
 * @example
 * const tok = new CharTokenizer().fit(["hello"]);
 * tok.encode("hell"); // [4, 3, 2, 2]  ("l" is most frequent, then "e", "h", "o" by code point)
 * tok.decode(tok.encode("hello")); // "hello"
 */
export class CharTokenizer {
  readonly lower: boolean;
  readonly maxTokens: number | null;
  private chars: string[] = [];
  private index = new Map<string, number>();

  constructor(options: CharTokenizerOptions = {}) {
    this.lower = options.lower ?? false;
    this.maxTokens = options.maxTokens ?? null;
    if (this.maxTokens !== null && (!Number.isInteger(this.maxTokens) || this.maxTokens < 3)) {
      throw new ConfigError(`CharTokenizer: maxTokens must be an integer >= 3 (got ${this.maxTokens})`);
    }
    if (options.characters !== undefined) this.setCharacters(options.characters);
  }

  /** Learns the characters of the texts: most frequent first, ties by code point. */
  fit(texts: Iterable<string>): this {
    const counts = new Map<string, number>();
    for (const text of texts) {
      for (const ch of this.prepare(text)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    let chars = [...counts.keys()].sort(
      (a, b) => counts.get(b)! - counts.get(a)! || a.codePointAt(0)! - b.codePointAt(0)!,
    );
    if (this.maxTokens !== null) chars = chars.slice(0, this.maxTokens - 2);
    this.assign(chars);
    return this;
  }

  private setCharacters(characters: readonly string[]): void {
    const seen = new Set<string>();
    for (const ch of characters) {
      if (typeof ch !== "string" || Array.from(ch).length !== 1) {
        throw new ValueError(
          `CharTokenizer: every vocabulary entry must be one character (got ${JSON.stringify(ch)})`,
        );
      }
      if (seen.has(ch)) throw new ValueError(`CharTokenizer: character ${JSON.stringify(ch)} appears twice`);
      seen.add(ch);
    }
    if (this.maxTokens !== null && characters.length + 2 > this.maxTokens) {
      throw new ValueError(
        `CharTokenizer: ${characters.length} characters + 2 special ids exceed maxTokens = ${this.maxTokens}`,
      );
    }
    this.assign([...characters]);
  }

  private assign(chars: string[]): void {
    this.chars = chars;
    this.index = new Map(chars.map((c, i) => [c, i + 2]));
  }

  private prepare(text: string): string[] {
    if (typeof text !== "string")
      throw new ValueError(`CharTokenizer: expected a string (got ${typeof text})`);
    return Array.from(this.lower ? text.toLowerCase() : text);
  }

  /** Number of ids, padding and OOV included. */
  get vocabularySize(): number {
    return this.chars.length + 2;
  }

  /** The characters in id order, starting at id 2. */
  get characters(): readonly string[] {
    return this.chars;
  }

  encode(text: string): number[] {
    return this.prepare(text).map((ch) => this.index.get(ch) ?? CHAR_OOV_ID);
  }

  /** Text for ids: padding is skipped, the OOV id becomes U+FFFD. */
  decode(ids: Iterable<number>): string {
    let out = "";
    for (const id of ids) {
      if (id === CHAR_PAD_ID) continue;
      if (id === CHAR_OOV_ID) out += "\uFFFD";
      else {
        const ch = this.chars[id - 2];
        if (ch === undefined || !Number.isInteger(id)) {
          throw new ValueError(
            `CharTokenizer.decode: id ${id} is outside the vocabulary of ${this.vocabularySize}`,
          );
        }
        out += ch;
      }
    }
    return out;
  }

  /** A batch as an int32 [B, length] tensor, padded with 0 at the end or truncated; length defaults to the longest. */
  encodeBatch(texts: readonly string[], options: { length?: number } = {}): Tensor {
    const encoded = texts.map((t) => this.encode(t));
    const length = options.length ?? Math.max(0, ...encoded.map((e) => e.length));
    if (!Number.isInteger(length) || length < 0) {
      throw new ValueError(`CharTokenizer.encodeBatch: length must be a whole number (got ${length})`);
    }
    const data = new Int32Array(texts.length * length);
    encoded.forEach((e, b) => {
      data.set(e.slice(0, length), b * length);
    });
    return new Tensor(data, [texts.length, length]);
  }

  toJSON(): CharTokenizerJSON {
    return {
      format: "tessera-char-tokenizer",
      version: 1,
      lower: this.lower,
      maxTokens: this.maxTokens,
      characters: [...this.chars],
    };
  }

  static fromJSON(json: unknown): CharTokenizer {
    const op = "CharTokenizer.fromJSON";
    if (typeof json !== "object" || json === null) throw new FormatError(`${op}: expected an object`);
    const o = json as Record<string, unknown>;
    if (o.format !== "tessera-char-tokenizer")
      throw new FormatError(`${op}: format must be "tessera-char-tokenizer"`);
    if (o.version !== 1) throw new FormatError(`${op}: unsupported version ${JSON.stringify(o.version)}`);
    if (typeof o.lower !== "boolean") throw new FormatError(`${op}: lower must be a boolean`);
    if (o.maxTokens !== null && !Number.isInteger(o.maxTokens))
      throw new FormatError(`${op}: maxTokens must be null or an integer`);
    if (!Array.isArray(o.characters) || !o.characters.every((c) => typeof c === "string")) {
      throw new FormatError(`${op}: characters must be an array of strings`);
    }
    try {
      return new CharTokenizer({
        lower: o.lower,
        maxTokens: o.maxTokens as number | null,
        characters: o.characters as string[],
      });
    } catch (error) {
      throw new FormatError(`${op}: ${(error as Error).message}`);
    }
  }
}
