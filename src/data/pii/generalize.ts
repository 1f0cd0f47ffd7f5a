// data/pii/generalize: Generalizer, the step that coarsens quasi-identifiers so that more rows
// share each combination (k-anonymity, see responsible/privacy-risk):
// - { bands: W }      numbers into bands of width W from 0: 37 -> "30-39" (W = 10);
// - { edges: [...] }  numbers into given bands: edges [18, 30, 65] -> "<18", "18-29", "30-64", "65+";
// - { truncate: "month" | "year" }  dates to their month or year: a date column stays a date
//                     (the first day of the month/year), a text date becomes "1984-03" / "1984";
// - { prefix: N }     text (or whole numbers) to the first N characters, the rest starred:
//                     "90210" -> "902**".
// Band labels "a-b" name whole numbers; with a fractional edge or width they read "[a, b)".
// Layer: data.
import { ValueError } from "../../core/errors.js";
import { checkJSON, Transformer, type TransformerJSON } from "../preprocess/transformer.js";
import { parseDateCell } from "../table/cell-parse.js";
import { Column } from "../table/column.js";
import type { Table } from "../table/table.js";
import { mapCells, requireColumns, restoreFitted } from "./redact.js";

/** How one column is generalised. */
export type GeneralizeRule =
  | { readonly bands: number }
  | { readonly edges: readonly number[] }
  | { readonly truncate: "month" | "year" }
  | { readonly prefix: number };

function checkRule(op: string, column: string, rule: unknown): GeneralizeRule {
  const r = (typeof rule === "object" && rule !== null ? rule : {}) as Record<string, unknown>;
  const keys = Object.keys(r);
  const fail = (problem: string): never => {
    throw new ValueError(`${op}: rule for "${column}" ${problem} (got ${JSON.stringify(rule)})`);
  };
  if (keys.length !== 1) fail("must have exactly one of bands, edges, truncate, prefix");
  if ("bands" in r) {
    if (typeof r.bands !== "number" || !(r.bands > 0) || !Number.isFinite(r.bands)) fail("bands must be > 0");
    return { bands: r.bands as number };
  }
  if ("edges" in r) {
    const e = r.edges;
    if (!Array.isArray(e) || e.length === 0 || e.some((v) => typeof v !== "number" || !Number.isFinite(v)))
      fail("edges must be a non-empty list of finite numbers");
    const edges = e as number[];
    if (edges.some((v, i) => i > 0 && !(v > edges[i - 1]!))) fail("edges must increase");
    return { edges: [...edges] };
  }
  if ("truncate" in r) {
    if (r.truncate !== "month" && r.truncate !== "year") fail('truncate must be "month" or "year"');
    return { truncate: r.truncate as "month" | "year" };
  }
  if ("prefix" in r) {
    if (typeof r.prefix !== "number" || !Number.isInteger(r.prefix) || r.prefix < 0)
      fail("prefix must be an integer >= 0");
    return { prefix: r.prefix as number };
  }
  return fail("must have one of bands, edges, truncate, prefix");
}

const label = (lo: number, hi: number) =>
  Number.isInteger(lo) && Number.isInteger(hi) ? `${lo}-${hi - 1}` : `[${lo}, ${hi})`;

/** The band of a number under a bands/edges rule. */
export function bandOf(rule: { bands: number } | { edges: readonly number[] }, value: number): string {
  if ("bands" in rule) {
    const lo = Math.floor(value / rule.bands) * rule.bands;
    return label(lo, lo + rule.bands);
  }
  const { edges } = rule;
  if (value < edges[0]!) return `<${edges[0]}`;
  for (let i = 1; i < edges.length; i++) if (value < edges[i]!) return label(edges[i - 1]!, edges[i]!);
  return `${edges.at(-1)}+`;
}

/** Epoch ms of the first instant of the month or year holding `time` (UTC). */
export function truncateTime(time: number, to: "month" | "year"): number {
  const d = new Date(time);
  return Date.UTC(d.getUTCFullYear(), to === "month" ? d.getUTCMonth() : 0, 1);
}

function generalizeColumn(op: string, name: string, column: Column, rule: GeneralizeRule): Column {
  if ("bands" in rule || "edges" in rule) {
    if (!column.isNumeric)
      throw new ValueError(`${op}: "${name}" must be numeric to cut into bands (it is ${column.kind})`);
    const values = column.numbers;
    return Column.fromStrings(Array.from(values, (v) => (Number.isNaN(v) ? null : bandOf(rule, v))));
  }
  if ("truncate" in rule) {
    if (column.kind === "date") {
      return Column.fromNumbers(
        "date",
        Float64Array.from(column.numbers, (t) => (Number.isNaN(t) ? t : truncateTime(t, rule.truncate))),
      );
    }
    if (column.kind !== "string")
      throw new ValueError(`${op}: "${name}" must hold dates to truncate (it is ${column.kind})`);
    const width = rule.truncate === "month" ? 7 : 4;
    return mapCells(column, (text) => {
      const t = parseDateCell(text.trim());
      if (Number.isNaN(t))
        throw new ValueError(`${op}: "${name}" holds "${text}", which is not an ISO 8601 date`);
      return new Date(truncateTime(t, rule.truncate)).toISOString().slice(0, width);
    });
  }
  if (column.kind === "float")
    throw new ValueError(`${op}: "${name}" holds fractional numbers; a prefix needs text or whole numbers`);
  return mapCells(
    column,
    (text) => text.slice(0, rule.prefix) + "*".repeat(Math.max(text.length - rule.prefix, 0)),
  );
}

/**
 * Coarsens quasi-identifiers by a rule per column.
 * @example
 * const g = new Generalizer({ rules: { age: { bands: 10 }, birth_date: { truncate: "year" }, zip: { prefix: 3 } } });
 * g.fitTransform(table); // age 37 -> "30-39", 1984-03-12 -> 1984-01-01, "90210" -> "902**"
 */
export class Generalizer extends Transformer {
  readonly type = "Generalizer";
  readonly rules: Readonly<Record<string, GeneralizeRule>>;

  constructor(options: { rules: Readonly<Record<string, GeneralizeRule>> }) {
    super();
    const rules = options.rules;
    if (typeof rules !== "object" || rules === null || Object.keys(rules).length === 0)
      throw new ValueError("Generalizer: expected rules for at least one column ({ column: rule })");
    this.rules = Object.fromEntries(
      Object.entries(rules).map(([column, rule]) => [column, checkRule("Generalizer", column, rule)]),
    );
  }

  protected fitTable(table: Table): void {
    requireColumns("Generalizer.fit", table, Object.keys(this.rules));
  }

  protected transformTable(table: Table): Table {
    const op = "Generalizer.transform";
    requireColumns(op, table, Object.keys(this.rules));
    let out = table;
    for (const [name, rule] of Object.entries(this.rules))
      out = out.withColumn(name, generalizeColumn(op, name, table.column(name), rule));
    return out;
  }

  toJSON(): TransformerJSON {
    return {
      type: this.type,
      version: 1,
      config: { rules: JSON.parse(JSON.stringify(this.rules)) as Record<string, unknown> },
      state: this.fitted ? { featureNamesIn: this.featureNamesIn } : null,
    };
  }

  static fromJSON(json: unknown): Generalizer {
    const j = checkJSON("Generalizer", json);
    const rules = j.config.rules;
    if (typeof rules !== "object" || rules === null || Array.isArray(rules))
      throw new ValueError("Generalizer.fromJSON: rules must be an object");
    const step = new Generalizer({ rules: rules as Record<string, GeneralizeRule> });
    restoreFitted(step, j);
    return step;
  }
}
