// data/formats/json-table: from parsed JSON records (objects) to a typed Table, shared by the JSON and
// NDJSON readers. Kinds are inferred from JavaScript types with the same tolerance as the CSV
// reader (see csv-infer.ts): numbers -> int/float, booleans -> bool, ISO date strings -> date,
// other strings -> string; a value that does not fit its column (a string in a numeric column,
// a nested object or array) is an error at its line, or is skipped/coerced and reported.
// Layer: data.
import { describe } from "../../core/config.js";
import { ValueError } from "../../core/errors.js";
import { parseDateCell } from "../table/cell-parse.js";
import { Column, type ColumnKind, isColumnKind } from "../table/column.js";
import { ownValue, setOwnValue } from "../table/record-keys.js";
import { Table } from "../table/table.js";
import type { IssueSink } from "./read-report.js";

export interface JsonSchema {
  names: string[];
  kinds: ColumnKind[];
}

/** Names (first-seen key order, or `columns`) and kinds of JSON records. */
export function decideJsonSchema(
  records: readonly Record<string, unknown>[],
  options: { columns?: readonly string[]; types?: Record<string, ColumnKind> },
): JsonSchema {
  const names: string[] = options.columns ? [...options.columns] : [];
  if (!options.columns) {
    const seen = new Set<string>();
    for (const record of records) {
      for (const key of Object.keys(record)) {
        if (!seen.has(key)) {
          seen.add(key);
          names.push(key);
        }
      }
    }
  }
  for (const [name, kind] of Object.entries(options.types ?? {})) {
    if (!isColumnKind(kind)) throw new ValueError(`json: unknown kind ${JSON.stringify(kind)} for "${name}"`);
  }
  const kinds = names.map((name): ColumnKind => {
    const given =
      options.types === undefined ? undefined : (ownValue(options.types, name) as ColumnKind | undefined);
    if (given !== undefined) return given;
    let present = 0;
    let bools = 0;
    let ints = 0;
    let floats = 0;
    let dates = 0;
    for (const record of records) {
      const v = ownValue(record, name);
      if (v === null || v === undefined) continue;
      present++;
      if (typeof v === "boolean") bools++;
      else if (typeof v === "number") Number.isSafeInteger(v) ? ints++ : floats++;
      else if (typeof v === "string") {
        if (v.length >= 10 && !Number.isNaN(parseDateCell(v))) dates++;
      }
    }
    if (present === 0) return "float";
    const allowed = Math.min(Math.max(1, Math.floor(present * 0.01)), Math.floor(present * 0.1));
    const need = present - allowed;
    if (bools >= need && bools > 0) return "bool";
    if (ints >= need && ints > 0) return "int";
    if (ints + floats >= need && ints + floats > 0) return "float";
    if (dates >= need && dates > 0) return "date";
    return "string";
  });
  return { names, kinds };
}

/** The number stored for `value` in a column of `kind`, or NaN when it does not fit. */
function toStored(kind: ColumnKind, value: unknown): number {
  switch (kind) {
    case "float":
      return typeof value === "number" ? value : Number.NaN;
    case "int":
      return typeof value === "number" && Number.isSafeInteger(value) ? value : Number.NaN;
    case "bool":
      return typeof value === "boolean" ? (value ? 1 : 0) : Number.NaN;
    case "date":
      return typeof value === "string" ? parseDateCell(value) : Number.NaN;
    default:
      return Number.NaN;
  }
}

/**
 * Converts records to a Table with `schema`; `lines[i]` is where record i is in its source.
 * With `reportUnknownKeys`, a key outside the schema is a problem (streaming NDJSON, where the
 * schema came from the first batch); otherwise such keys were deselected by the caller.
 */
export function objectsToTable(
  records: readonly Record<string, unknown>[],
  lines: readonly number[],
  schema: JsonSchema,
  sink: IssueSink,
  reportUnknownKeys: boolean,
): Table {
  const n = records.length;
  const width = schema.names.length;
  const numbers = schema.kinds.map((k) => (k === "string" ? undefined : new Float64Array(n)));
  const strings = schema.kinds.map((k) => (k === "string" ? new Array<string | null>(n) : undefined));
  const skip = sink.onError === "skip";
  const known = new Set(schema.names);
  let out = 0;
  for (let r = 0; r < n; r++) {
    const record = records[r]!;
    const line = lines[r]!;
    sink.report.rowsRead++;
    let keep = true;
    for (const key of reportUnknownKeys ? Object.keys(record) : []) {
      if (!known.has(key)) {
        sink.problem(
          line,
          key,
          `key not in the schema [${schema.names.join(", ")}]${skip ? "" : "; dropped"}`,
        );
        if (skip) keep = false;
        break;
      }
    }
    for (let c = 0; c < width && keep; c++) {
      const name = schema.names[c]!;
      const kind = schema.kinds[c]!;
      const value = ownValue(record, name);
      const present = value !== null && value !== undefined;
      let fits = true;
      if (kind === "string") {
        fits = !present || typeof value === "string";
        strings[c]![out] = present && fits ? (value as string) : null;
      } else {
        const stored = present ? toStored(kind, value) : Number.NaN;
        fits = !present || !Number.isNaN(stored);
        numbers[c]![out] = stored;
      }
      if (!fits) {
        const shown = typeof value === "object" ? JSON.stringify(value) : String(value);
        sink.problem(line, name, `expected ${kind} (got ${describe(value)})`, shown.slice(0, 80), c + 1);
        if (skip) keep = false;
      }
    }
    if (keep) out++;
  }
  sink.report.rowsKept += out;
  const entries: [string, Column][] = schema.names.map((name, c) => {
    const kind = schema.kinds[c]!;
    if (kind === "string") {
      const values = strings[c]!;
      values.length = out;
      return [name, Column.fromStrings(values)];
    }
    return [name, Column.fromNumbers(kind, numbers[c]!.slice(0, out))];
  });
  return Table.fromEntries(entries, out);
}

/** A record as a JSON-ready object: missing -> null, dates -> ISO strings, NaN/Infinity -> null. */
export function rowToJson(table: Table, columns: readonly Column[], row: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  table.columnNames.forEach((name, c) => {
    const value = columns[c]!.get(row);
    const json =
      value instanceof Date
        ? value.toISOString()
        : typeof value === "number" && !Number.isFinite(value)
          ? null
          : value;
    setOwnValue(out, name, json);
  });
  return out;
}
