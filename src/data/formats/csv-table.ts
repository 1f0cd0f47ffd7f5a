// data/formats/csv-table: from text records to a typed Table. Decides the schema (header, names,
// kinds) from a sample of records, then converts records to columns under the error policy:
// a ragged record or a cell that does not fit its column's kind is an error at its line, or is
// skipped or coerced (cell -> missing; ragged row padded with missing or cut) and reported.
// Layer: data.
import { ValueError } from "../../core/errors.js";
import { parseAs } from "../table/cell-parse.js";
import { Column, type ColumnKind, isColumnKind } from "../table/column.js";
import { ownValue } from "../table/record-keys.js";
import { Table } from "../table/table.js";
import { isUnsafeInteger, KindTally, looksLikeHeader, uniqueNames } from "./csv-infer.js";
import type { IssueSink } from "./read-report.js";

/** Names and kinds of a CSV's columns. */
export interface CsvSchema {
  names: string[];
  kinds: ColumnKind[];
}

export interface SchemaOptions {
  /** true: the first record names the columns; false: it is data; "auto" (default): guess. */
  header?: boolean | "auto";
  /** Column names to use (replacing the header's when there is one). */
  columns?: readonly string[];
  /** Kinds by column name, overriding inference. */
  types?: Record<string, ColumnKind>;
  /** Infer kinds from the values (default true); false reads every column as string. */
  inferTypes?: boolean;
}

export const SCHEMA_OPTIONS = [
  "header",
  "columns",
  "types",
  "inferTypes",
] as const satisfies readonly (keyof SchemaOptions)[];

/**
 * The schema, and whether the first record is a header, from the first records of the input.
 * Kinds are inferred from `sample` (every record for a whole-file read; the first batch when
 * streaming).
 */
export function decideSchema(
  sample: readonly (readonly string[])[],
  options: SchemaOptions,
  isMissing: (text: string) => boolean,
): { schema: CsvSchema; hasHeader: boolean } {
  const first = sample[0] ?? [];
  const hasHeader =
    options.header === "auto" || options.header === undefined
      ? sample.length > 0 && looksLikeHeader(first, sample.slice(1), isMissing)
      : options.header;
  const width = options.columns?.length ?? (sample.length === 0 ? 0 : first.length);
  const raw = options.columns
    ? [...options.columns]
    : hasHeader
      ? [...first]
      : Array.from({ length: width }, (_, i) => `column_${i + 1}`);
  const names = options.columns ? [...options.columns] : uniqueNames(raw);
  if (new Set(names).size !== names.length) throw new ValueError("csv: `columns` holds duplicate names");
  for (const [name, kind] of Object.entries(options.types ?? {})) {
    if (!names.includes(name)) {
      throw new ValueError(
        `csv: types names column ${JSON.stringify(name)}, which is not in [${names.join(", ")}]`,
      );
    }
    if (!isColumnKind(kind)) throw new ValueError(`csv: unknown kind ${JSON.stringify(kind)} for "${name}"`);
  }
  const data = hasHeader ? sample.slice(1) : sample;
  const kinds = names.map((name, c) => {
    const given =
      options.types === undefined ? undefined : (ownValue(options.types, name) as ColumnKind | undefined);
    if (given !== undefined) return given;
    if (options.inferTypes === false) return "string";
    const tally = new KindTally();
    for (const record of data) {
      const cell = record[c];
      if (cell !== undefined && !isMissing(cell)) tally.add(cell);
    }
    return tally.kind();
  });
  return { schema: { names, kinds }, hasHeader };
}

/**
 * Converts records [from, records.length) to a Table with `schema`. Problems go to `sink`
 * (which throws under onError "error").
 */
export function recordsToTable(
  records: readonly (readonly string[])[],
  lines: readonly number[],
  from: number,
  schema: CsvSchema,
  isMissing: (text: string) => boolean,
  sink: IssueSink,
): Table {
  const width = schema.names.length;
  const capacity = records.length - from;
  const numbers: (Float64Array | undefined)[] = schema.kinds.map((k) =>
    k === "string" ? undefined : new Float64Array(capacity),
  );
  const strings: ((string | null)[] | undefined)[] = schema.kinds.map((k) =>
    k === "string" ? new Array<string | null>(capacity) : undefined,
  );
  const skip = sink.onError === "skip";
  let out = 0;
  for (let r = from; r < records.length; r++) {
    const record = records[r]!;
    const line = lines[r]!;
    sink.report.rowsRead++;
    if (record.length !== width) {
      const problem = `${record.length} fields (expected ${width})`;
      const consequence =
        sink.onError !== "coerce"
          ? ""
          : record.length < width
            ? "; the missing cells read as missing"
            : `; extra fields [${record.slice(width).join(", ")}] dropped`;
      sink.problem(line, undefined, problem + consequence);
      if (skip) continue;
    }
    let keep = true;
    for (let c = 0; c < width; c++) {
      const text = record[c];
      const kind = schema.kinds[c]!;
      const present = text !== undefined && !isMissing(text);
      if (kind === "string") {
        strings[c]![out] = present ? text : null;
        continue;
      }
      let value = Number.NaN;
      if (present) {
        value = parseAs(kind, text);
        const inexact = isUnsafeInteger(Number.isNaN(value) ? Number(text) : value, text);
        if (Number.isNaN(value) || inexact) {
          const expected = inexact
            ? `expected ${kind}; an integer beyond 2^53 would be rounded (read the column as string)`
            : `expected ${kind}`;
          value = Number.NaN;
          sink.problem(line, schema.names[c], expected, text, c + 1);
          if (skip) {
            keep = false;
            break;
          }
        }
      }
      numbers[c]![out] = value;
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
    const values = numbers[c]!;
    return [name, Column.fromNumbers(kind, out === capacity ? values : values.slice(0, out))];
  });
  return Table.fromEntries(entries, out);
}
