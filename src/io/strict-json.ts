// io/strict-json: a small, strict JSON parser for untrusted file headers and model files. Unlike
// JSON.parse it rejects duplicate object keys (JSON.parse silently keeps the last one) and integer
// literals beyond 2^53 (JSON.parse silently rounds them), and can refuse fractions and exponents.
import { FormatError } from "../core/errors.js";
import { checkOptionKeys } from "../data/formats/read-report.js";

/** A parsed JSON value. Objects are null-prototype records, so a "__proto__" key is plain data. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface StrictJsonOptions {
  /** Reject numbers written with a fraction, an exponent or a minus sign (for sizes and offsets). */
  nonNegativeIntegersOnly?: boolean;
  /** Deepest nesting accepted (default 64), so a hostile file cannot exhaust the stack. */
  maxDepth?: number;
}

/**
 * Parses `text` as JSON, strictly. `where` names the source in error messages (a file path).
 * @example
 * parseStrictJson('{"a": [1, 2]}', "x.json"); // { a: [1, 2] }
 */
export function parseStrictJson(text: string, where: string, options: StrictJsonOptions = {}): JsonValue {
  checkOptionKeys("parseStrictJson", options, ["nonNegativeIntegersOnly", "maxDepth"]);
  const parser = new Parser(text, where, options.nonNegativeIntegersOnly ?? false, options.maxDepth ?? 64);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  parser.skipWhitespace();
  if (parser.pos !== text.length) parser.fail("unexpected text after the JSON value");
  return value;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly where: string,
    readonly integersOnly: boolean,
    readonly maxDepth: number,
  ) {}

  fail(problem: string): never {
    throw new FormatError(`${this.where}: invalid JSON: ${problem} (at character ${this.pos})`);
  }

  skipWhitespace(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  parseValue(depth: number): JsonValue {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    const c = this.text[this.pos];
    if (c === "{") return this.parseObject(depth);
    if (c === "[") return this.parseArray(depth);
    if (c === '"') return this.parseString();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.parseNumber();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail(
      c === undefined ? "unexpected end of text" : `unexpected character ${JSON.stringify(c)}`,
    );
  }

  parseObject(depth: number): JsonObject {
    const result: JsonObject = Object.create(null) as JsonObject;
    const seen = new Set<string>();
    this.pos++; // {
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail("expected a string key");
      const key = this.parseString();
      if (seen.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`);
      seen.add(key);
      this.skipWhitespace();
      if (this.text[this.pos] !== ":") this.fail("expected ':' after a key");
      this.pos++;
      this.skipWhitespace();
      result[key] = this.parseValue(depth + 1);
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === "}") return result;
      if (next !== ",") {
        this.pos--;
        this.fail("expected ',' or '}' in an object");
      }
    }
  }

  parseArray(depth: number): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++; // [
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      result.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === "]") return result;
      if (next !== ",") {
        this.pos--;
        this.fail("expected ',' or ']' in an array");
      }
    }
  }

  parseString(): string {
    const start = this.pos;
    const { text } = this;
    let i = start + 1;
    let escaped = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) break; // closing quote
      if (c < 0x20) {
        this.pos = i;
        this.fail("control character inside a string");
      }
      if (c === 0x5c) {
        escaped = true;
        i += 2;
      } else i++;
    }
    if (i >= text.length) {
      this.pos = text.length;
      this.fail("unterminated string");
    }
    this.pos = i + 1;
    const raw = text.slice(start, i + 1);
    if (!escaped) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string; // only escapes remain to decode; the token is a lone string
    } catch {
      this.pos = start;
      return this.fail("bad escape sequence in a string");
    }
  }

  parseNumber(): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail("malformed number");
    const token = match[0];
    const isPlainInteger = /^-?[0-9]+$/.test(token);
    if (this.integersOnly && (!isPlainInteger || token.startsWith("-"))) {
      this.fail(`expected a non-negative integer (got ${token})`);
    }
    const value = Number(token);
    if (isPlainInteger && !Number.isSafeInteger(value)) {
      this.fail(`integer ${token} is beyond 2^53 and cannot be represented exactly`);
    }
    this.pos += token.length;
    return value;
  }
}

/** Whether a parsed value is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
