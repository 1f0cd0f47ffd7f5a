// cli/inspect-data: `tessera inspect-data FILE`: which columns of a data file look personal (the
// data toolkit's PII scan) and, over the quasi-identifiers, the k-anonymity and l-diversity
// figures (responsible/privacy-risk), before a team trains on or shares the file.
import { VERSION } from "../core/version.js";
import { type PiiColumnReport, scanPii } from "../data/pii/scan.js";
import { type PrivacyRiskReport, privacyRisk } from "../responsible/privacy-risk.js";
import { type Io, intOption, parseCommand, UsageError } from "./args.js";
import { readTable } from "./data-files.js";
import { backendFields, writeJson } from "./output.js";

export const INSPECT_DATA_HELP = `Usage: tessera inspect-data <data> [options]

Scans a data file (CSV, JSON, NDJSON or Parquet; "-" reads stdin) for personal data: per column the
kind (email, phone, card, iban, ip, date_of_birth, name, address, postcode, national_id, age,
special_category), its role (direct identifier, quasi-identifier, sensitive attribute), the share
of sampled values recognised and masked examples. Then k-anonymity (smallest group of rows that
share every quasi-identifier) and l-diversity of each sensitive column within those groups.

Options:
  --quasi <a,b,c>      quasi-identifiers (default: the columns the scan marks as quasi)
  --sensitive <col>    sensitive columns, comma-separated or repeated (default: the columns the
                       scan marks as sensitive)
  --k <K>              the k to check (default 5)
  --l <L>              the l to check (default 2)
  --sample <N>         values sampled per column (default 1000)
  --json               print one JSON document (schema/inspect-data-result.schema.json)
  -h, --help           show this help
`;

/** What --json prints. */
export interface InspectDataResult {
  command: "inspect-data";
  version: string;
  backend: string;
  backendDetail: string;
  file: string;
  rows: number;
  columns: PiiColumnReport[];
  privacy: PrivacyRiskReport | null;
}

const list = (values: readonly string[] | undefined): string[] | undefined =>
  values
    ?.flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

export async function inspectDataCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("inspect-data", args, {
    quasi: { type: "string", multiple: true },
    sensitive: { type: "string", multiple: true },
    k: { type: "string" },
    l: { type: "string" },
    sample: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.out(INSPECT_DATA_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `tessera inspect-data: expected one data file (got ${positionals.length})\n\n${INSPECT_DATA_HELP}`,
    );
  const k = intOption("inspect-data", "k", values.k) ?? 5;
  const l = intOption("inspect-data", "l", values.l) ?? 2;
  const sampleSize = intOption("inspect-data", "sample", values.sample) ?? 1000;
  const file = positionals[0]!;
  const table = await readTable(file, io);
  const columns = scanPii(table, { sampleSize });
  const quasi = list(values.quasi) ?? columns.filter((c) => c.role === "quasi").map((c) => c.column);
  const sensitive =
    list(values.sensitive) ??
    columns.filter((c) => c.role === "sensitive" && !quasi.includes(c.column)).map((c) => c.column);
  const privacy =
    quasi.length === 0 ? null : privacyRisk(table, { quasiIdentifiers: quasi, sensitive, k, l });
  if (values.json) {
    const result: InspectDataResult = {
      command: "inspect-data",
      version: VERSION,
      ...backendFields(),
      file,
      rows: table.numRows,
      columns,
      privacy,
    };
    writeJson(io, result);
    return 0;
  }
  io.out(formatInspectData(file, table.numRows, columns, privacy));
  return 0;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;

/** The text report: a table of the personal columns, then the k-anonymity and l-diversity lines. */
export function formatInspectData(
  file: string,
  rows: number,
  columns: readonly PiiColumnReport[],
  privacy: PrivacyRiskReport | null,
): string {
  const found = columns.filter((c) => c.kind !== null);
  const lines = [
    `${file}: ${plural(rows, "row")}, ${plural(columns.length, "column")}; ${found.length} look personal`,
  ];
  if (found.length > 0) {
    const table = [
      ["column", "kind", "role", "evidence", "match", "examples"],
      ...found.map((c) => [
        c.column,
        c.kind!,
        c.role!,
        c.evidence!,
        c.evidence === "name" ? "-" : percent(c.matchRate),
        c.examples.join(", "),
      ]),
    ];
    const widths = table[0]!.map((_, j) => Math.max(...table.map((row) => row[j]!.length)));
    for (const row of table)
      lines.push(`  ${row.map((cell, j) => cell.padEnd(widths[j]!)).join("  ")}`.trimEnd());
    if (found.some((c) => c.role === "direct"))
      lines.push(
        "  direct identifiers: drop, mask or pseudonymise them (DropColumns, MaskColumns, HmacPseudonymizer)",
      );
  }
  if (privacy === null) {
    lines.push("k-anonymity: no quasi-identifiers found or given (--quasi a,b,c)");
    return `${lines.join("\n")}\n`;
  }
  const p = privacy;
  lines.push(
    `k-anonymity over ${p.quasiIdentifiers.join(", ")}: ${plural(p.classes, "class")}, smallest ${plural(p.smallestClass, "row")}; ` +
      (p.kAnonymous
        ? `${p.k}-anonymous`
        : `not ${p.k}-anonymous: ${p.violatingClasses} classes (${plural(p.violatingRows, "row")}, ${percent(p.violatingRows / Math.max(p.rows, 1))}) have fewer than ${p.k} rows`),
  );
  for (const v of p.violations.slice(0, 5))
    lines.push(
      `  ${Object.entries(v.values)
        .map(([name, value]) => `${name}=${value}`)
        .join(", ")}: ${plural(v.size, "row")}`,
    );
  if (p.violations.length > 5) lines.push(`  ... (--json lists ${p.violations.length})`);
  for (const d of p.lDiversity) {
    lines.push(
      `l-diversity of ${d.sensitive}: l = ${d.l} (entropy l = ${d.entropyL.toFixed(2)}); ` +
        (d.classesBelowL === 0
          ? `every class holds at least ${p.l} values`
          : `${plural(d.classesBelowL, "class")} (${plural(d.rowsBelowL, "row")}) below l = ${p.l}`),
    );
  }
  return `${lines.join("\n")}\n`;
}
