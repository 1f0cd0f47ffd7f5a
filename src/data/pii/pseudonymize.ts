// data/pii/pseudonymize: HmacPseudonymizer replaces identifiers by keyed HMAC-SHA256 digests
// (hex, truncated): the same value under the same key always gives the same pseudonym, so joins
// and counts still work, and without the key nobody can recompute one from a guessed value (a
// plain hash of an e-mail address can be reversed by hashing a list of addresses).
//
// The key is never written: toJSON() records a key id and a 64-bit key check (the HMAC of a fixed
// label), so a saved pipeline says which key it needs and can tell a wrong key from the right one.
// A step loaded without its key refuses to transform with a ConfigError until supplyKey() (or
// loadModel's `keys` option, or the TESSERA_KEY_<ID> variable) gives it. Layer: data.
import { ConfigError, ValueError } from "../../core/errors.js";
import { checkJSON, configColumns, Transformer, type TransformerJSON } from "../preprocess/transformer.js";
import type { Table } from "../table/table.js";
import { givenColumns, mapCells, requireColumns, restoreFitted } from "./redact.js";
import { HmacSha256, toBytes } from "./sha256.js";

/** The shortest key accepted, bytes (128 bits). */
export const MIN_KEY_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The environment variable that may hold the key with this id: TESSERA_KEY_<ID>, "-" as "_". */
export function keyVariable(keyId: string): string {
  return `TESSERA_KEY_${keyId.toUpperCase().replace(/-/g, "_")}`;
}

/** The 16 hex digits that identify a key without revealing it. */
function keyCheckOf(hmac: HmacSha256, keyId: string): string {
  return hmac.hex(`tessera-key-check:${keyId}`).slice(0, 16);
}

export interface HmacPseudonymizerOptions {
  columns: readonly string[];
  /** The secret (text as UTF-8, or bytes), at least 16 bytes; leave out only when loading. */
  key?: string | Uint8Array;
  /** A name for the key, saved instead of it (default "default"). */
  keyId?: string;
  /** Hex digits kept of each digest, 8..64 (default 16, 64 bits). */
  length?: number;
}

/**
 * Replaces values by keyed pseudonyms.
 * @example
 * const p = new HmacPseudonymizer({ columns: ["email"], key: process.env.PII_KEY!, keyId: "crm" });
 * p.fitTransform(table); // "ada@example.com" -> "3f0c9d41a2b7e815"
 */
export class HmacPseudonymizer extends Transformer {
  readonly type = "HmacPseudonymizer";
  readonly columns: string[];
  readonly keyId: string;
  readonly length: number;
  /** The key check of the key this step was built or saved with. */
  keyCheck: string | undefined;
  private hmac: HmacSha256 | undefined;

  constructor(options: HmacPseudonymizerOptions) {
    super();
    this.columns = givenColumns("HmacPseudonymizer", options.columns);
    this.keyId = options.keyId ?? "default";
    if (!KEY_ID.test(this.keyId))
      throw new ValueError(
        `HmacPseudonymizer: keyId must be 1-64 letters, digits, "_" or "-" (got ${JSON.stringify(this.keyId)})`,
      );
    this.length = options.length ?? 16;
    if (!Number.isInteger(this.length) || this.length < 8 || this.length > 64)
      throw new ValueError(`HmacPseudonymizer: length must be an integer in 8..64 (got ${this.length})`);
    if (options.key !== undefined) this.supplyKey(options.key);
  }

  /** Whether the key is present (a step loaded from a file has none until it is supplied). */
  get hasKey(): boolean {
    return this.hmac !== undefined;
  }

  /** Gives the step its key; a key whose check differs from the saved one is refused. */
  supplyKey(key: string | Uint8Array): this {
    const bytes = toBytes(key);
    if (bytes.length < MIN_KEY_BYTES) {
      throw new ConfigError(
        `HmacPseudonymizer: key "${this.keyId}" has ${bytes.length} bytes; use at least ${MIN_KEY_BYTES} random bytes`,
      );
    }
    const hmac = new HmacSha256(bytes);
    const check = keyCheckOf(hmac, this.keyId);
    if (this.keyCheck !== undefined && check !== this.keyCheck) {
      throw new ConfigError(
        `HmacPseudonymizer: the key given for "${this.keyId}" is not the one this pipeline was fitted with`,
      );
    }
    this.keyCheck = check;
    this.hmac = hmac;
    return this;
  }

  /** The pseudonym of one value. */
  pseudonym(value: string): string {
    return this.requireKey("HmacPseudonymizer.pseudonym").hex(value).slice(0, this.length);
  }

  private requireKey(op: string): HmacSha256 {
    if (this.hmac === undefined) {
      throw new ConfigError(
        `${op}: key "${this.keyId}" is needed and is never saved with a pipeline; pass it with loadModel(dir, { keys: { "${this.keyId}": ... } }), set ${keyVariable(this.keyId)}, or call supplyKey()`,
      );
    }
    return this.hmac;
  }

  protected fitTable(table: Table): void {
    this.requireKey("HmacPseudonymizer.fit");
    requireColumns("HmacPseudonymizer.fit", table, this.columns);
  }

  protected transformTable(table: Table): Table {
    const op = "HmacPseudonymizer.transform";
    const hmac = this.requireKey(op);
    requireColumns(op, table, this.columns);
    let out = table;
    for (const name of this.columns)
      out = out.withColumn(
        name,
        mapCells(table.column(name), (v) => hmac.hex(v).slice(0, this.length)),
      );
    return out;
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: {
        columns: this.columns,
        keyId: this.keyId,
        length: this.length,
        keyCheck: this.keyCheck ?? null,
      },
      state: this.fitted ? { featureNamesIn: this.featureNamesIn } : null,
    };
  }

  static fromJSON(json: unknown): HmacPseudonymizer {
    const j = checkJSON("HmacPseudonymizer", json);
    const { keyId, length, keyCheck } = j.config;
    if (typeof keyId !== "string") throw new ValueError("HmacPseudonymizer.fromJSON: keyId must be a string");
    if (typeof length !== "number")
      throw new ValueError("HmacPseudonymizer.fromJSON: length must be a number");
    if (keyCheck !== null && (typeof keyCheck !== "string" || !/^[0-9a-f]{16}$/.test(keyCheck)))
      throw new ValueError("HmacPseudonymizer.fromJSON: keyCheck must be 16 hex digits or null");
    const step = new HmacPseudonymizer({ columns: configColumns(j) ?? [], keyId, length });
    step.keyCheck = keyCheck ?? undefined;
    restoreFitted(step, j);
    return step;
  }
}
