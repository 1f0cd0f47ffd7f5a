// responsible/privacy-risk: k-anonymity and l-diversity of a table over chosen quasi-identifiers
// (Sweeney 2002; Machanavajjhala et al. 2007). Rows that agree on every quasi-identifier form an
// equivalence class; the table is k-anonymous when its smallest class has at least k rows, and
// l-diverse for a sensitive column when every class holds at least l distinct values of it
// ("distinct l-diversity"; the entropy form, exp of the smallest class entropy, is reported too).
// A missing value is a value of its own, "(missing)". Layer: responsible.
import { ValueError } from "../core/errors.js";
import { formatCell } from "../data/table/column.js";
import type { Table } from "../data/table/table.js";

export interface PrivacyRiskOptions {
  /** Columns an attacker may know from elsewhere (age, postcode, sex, ...). */
  quasiIdentifiers: readonly string[];
  /** Attributes to protect; l-diversity is reported for each. */
  sensitive?: readonly string[];
  /** The k to check against (default 5). */
  k?: number;
  /** The l to check against (default 2). */
  l?: number;
  /** Violating classes listed, smallest first (default 20). */
  maxListed?: number;
}

/** One equivalence class: its quasi-identifier values and size. */
export interface EquivalenceClass {
  readonly values: Readonly<Record<string, string>>;
  readonly size: number;
}

export interface LDiversity {
  readonly sensitive: string;
  /** Smallest number of distinct sensitive values in a class. */
  readonly l: number;
  /** exp(smallest entropy of the sensitive values in a class), in nats. */
  readonly entropyL: number;
  /** Classes with fewer than the asked-for l distinct values. */
  readonly classesBelowL: number;
  readonly rowsBelowL: number;
}

export interface PrivacyRiskReport {
  readonly quasiIdentifiers: readonly string[];
  readonly rows: number;
  readonly classes: number;
  /** The k the table achieves: its smallest class (0 for an empty table). */
  readonly smallestClass: number;
  readonly k: number;
  readonly kAnonymous: boolean;
  /** Classes and rows in classes smaller than k. */
  readonly violatingClasses: number;
  readonly violatingRows: number;
  /** The smallest violating classes, smallest first (at most maxListed). */
  readonly violations: readonly EquivalenceClass[];
  readonly l: number;
  readonly lDiversity: readonly LDiversity[];
}

const MISSING = "(missing)";

function checkColumns(table: Table, names: readonly string[], what: string): void {
  for (const name of names) {
    if (!table.has(name))
      throw new ValueError(
        `privacyRisk: no ${what} column "${name}" (columns: ${table.columnNames.join(", ")})`,
      );
  }
}

/**
 * k-anonymity and l-diversity figures of a table.
 * @example
 * const risk = privacyRisk(people, { quasiIdentifiers: ["age", "zip", "sex"], sensitive: ["diagnosis"], k: 5 });
 * risk.smallestClass; // the k the table achieves
 */
export function privacyRisk(table: Table, options: PrivacyRiskOptions): PrivacyRiskReport {
  const quasi = [...options.quasiIdentifiers];
  const sensitive = [...(options.sensitive ?? [])];
  const k = options.k ?? 5;
  const l = options.l ?? 2;
  if (quasi.length === 0) throw new ValueError("privacyRisk: name at least one quasi-identifier");
  if (!Number.isInteger(k) || k < 1)
    throw new ValueError(`privacyRisk: k must be an integer >= 1 (got ${k})`);
  if (!Number.isInteger(l) || l < 1)
    throw new ValueError(`privacyRisk: l must be an integer >= 1 (got ${l})`);
  checkColumns(table, quasi, "quasi-identifier");
  checkColumns(table, sensitive, "sensitive");
  const overlap = sensitive.filter((s) => quasi.includes(s));
  if (overlap.length > 0)
    throw new ValueError(`privacyRisk: "${overlap[0]}" is both a quasi-identifier and sensitive`);

  const text = (name: string) => {
    const column = table.column(name);
    return (row: number) => formatCell(column.get(row)) ?? MISSING;
  };
  const quasiText = quasi.map(text);
  const sensitiveText = sensitive.map(text);
  // Equivalence classes: key -> rows.
  const classes = new Map<string, number[]>();
  for (let r = 0; r < table.numRows; r++) {
    const key = JSON.stringify(quasiText.map((t) => t(r)));
    const rows = classes.get(key);
    if (rows === undefined) classes.set(key, [r]);
    else rows.push(r);
  }
  const all = [...classes.values()];
  const smallest = all.reduce((m, rows) => Math.min(m, rows.length), all.length === 0 ? 0 : Infinity);
  const violating = all
    .filter((rows) => rows.length < k)
    .sort((a, b) => a.length - b.length || a[0]! - b[0]!);
  const lDiversity = sensitiveText.map((t, j): LDiversity => {
    let minDistinct = Infinity;
    let minEntropy = Infinity;
    let classesBelowL = 0;
    let rowsBelowL = 0;
    for (const rows of all) {
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(t(r), (counts.get(t(r)) ?? 0) + 1);
      let entropy = 0;
      for (const c of counts.values()) entropy -= (c / rows.length) * Math.log(c / rows.length);
      minDistinct = Math.min(minDistinct, counts.size);
      minEntropy = Math.min(minEntropy, entropy);
      if (counts.size < l) {
        classesBelowL++;
        rowsBelowL += rows.length;
      }
    }
    return {
      sensitive: sensitive[j]!,
      l: all.length === 0 ? 0 : minDistinct,
      entropyL: all.length === 0 ? 0 : Math.exp(minEntropy),
      classesBelowL,
      rowsBelowL,
    };
  });
  return {
    quasiIdentifiers: quasi,
    rows: table.numRows,
    classes: all.length,
    smallestClass: smallest,
    k,
    kAnonymous: smallest >= k,
    violatingClasses: violating.length,
    violatingRows: violating.reduce((s, rows) => s + rows.length, 0),
    violations: violating.slice(0, options.maxListed ?? 20).map((rows) => ({
      values: Object.fromEntries(quasi.map((name, i) => [name, quasiText[i]!(rows[0]!)])),
      size: rows.length,
    })),
    l,
    lDiversity,
  };
}
