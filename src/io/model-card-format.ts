// io/model-card-format: a model card (model-card.ts) as Markdown, for `tessera inspect MODEL
// --card card.md` and for sharing next to a model, and as the indented text `tessera inspect`
// prints. Both show the same sections in the same order; empty sections are left out.

import type { ModelCard } from "./model-card.js";
import type { JsonObject, JsonValue } from "./strict-json.js";

const number = (v: JsonValue | undefined) =>
  typeof v === "number"
    ? String(Number(v.toPrecision(4)))
    : v === null || v === undefined
      ? "n/a"
      : String(v);

/** One fairness report as a header row and a row per group (metric columns in report order). */
function fairnessRows(report: JsonObject): {
  title: string;
  header: string[];
  rows: string[][];
  summary: string[];
} {
  const sensitive = (report.sensitive as string[]).join(", ");
  const groups = report.groups as JsonObject[];
  const metrics = Array.isArray(report.metrics)
    ? (report.metrics as string[])
    : Object.keys((groups[0]?.metrics as JsonObject | undefined) ?? {});
  const rows = groups.map((g) => [
    String(g.group),
    ...metrics.map((m) => number((g.metrics as JsonObject)[m])),
  ]);
  const summary: string[] = [];
  const s = report.summary;
  if (s !== null && typeof s === "object" && !Array.isArray(s)) {
    for (const [k, v] of Object.entries(s))
      summary.push(`${k}: ${typeof v === "boolean" ? (v ? "yes" : "no") : number(v)}`);
  }
  return {
    title: `by ${sensitive}${report.task ? ` (${String(report.task)})` : ""}${typeof report.data === "string" ? `, on ${report.data}` : ""}`,
    header: ["group", ...metrics],
    rows,
    summary,
  };
}

function privacyLine(privacy: JsonObject): string {
  const { epsilon, delta, ...rest } = privacy;
  const extra = Object.entries(rest).map(([k, v]) => `${k} ${number(v)}`);
  return `(epsilon ${number(epsilon)}, delta ${number(delta)})-differential privacy${extra.length > 0 ? `; ${extra.join(", ")}` : ""}`;
}

/** The card as a Markdown document titled with the model's name. */
export function cardMarkdown(card: ModelCard, name: string): string {
  const out: string[] = [`# Model card: ${name}`, ""];
  const section = (title: string, body: string[]) => {
    if (body.length > 0) out.push(`## ${title}`, "", ...body, "");
  };
  const text = (v: string | undefined) => (v === undefined ? [] : [v]);
  const bullets = (v: readonly string[] | undefined) => (v ?? []).map((x) => `- ${x}`);
  section("Description", text(card.description));
  section("Intended use", [
    ...text(card.intendedUse),
    ...(card.outOfScope ? ["", `Out of scope: ${card.outOfScope}`] : []),
  ]);
  const schema = card.schema;
  section("Data", [
    ...(card.data?.training ? [`- Training: ${card.data.training}`] : []),
    ...(card.data?.evaluation ? [`- Evaluation: ${card.data.evaluation}`] : []),
    ...(schema.columns ? [`- Input columns: ${schema.columns.join(", ")}`] : []),
    ...(schema.target ? [`- Target: ${schema.target.join(", ")}`] : []),
    ...(schema.labels ? [`- Classes: ${schema.labels.join(", ")}`] : []),
  ]);
  const metrics = Object.entries(card.metrics ?? {});
  section(
    "Metrics",
    metrics.length === 0
      ? []
      : ["| metric | value |", "| --- | --- |", ...metrics.map(([k, v]) => `| ${k} | ${number(v)} |`)],
  );
  const fairness: string[] = [];
  for (const report of card.fairness ?? []) {
    const f = fairnessRows(report);
    fairness.push(
      `### ${f.title}`,
      "",
      `| ${f.header.join(" | ")} |`,
      `| ${f.header.map(() => "---").join(" | ")} |`,
    );
    fairness.push(...f.rows.map((r) => `| ${r.join(" | ")} |`), "");
    if (f.summary.length > 0) fairness.push(...f.summary.map((x) => `- ${x}`), "");
  }
  section("Fairness", fairness.length > 0 && fairness.at(-1) === "" ? fairness.slice(0, -1) : fairness);
  section("Privacy", card.privacy === null ? [] : [privacyLine(card.privacy)]);
  section("Limitations", bullets(card.limitations));
  section("Ethical considerations", text(card.ethicalConsiderations));
  section("Owners and licence", [
    ...bullets(card.owners),
    ...(card.license ? [`- Licence: ${card.license}`] : []),
  ]);
  section("References", bullets(card.references));
  return `${out.join("\n").trimEnd()}\n`;
}

/** The card as the indented lines `tessera inspect` prints under "Card:". */
export function cardLines(card: ModelCard): string[] {
  const lines: string[] = ["Card:"];
  const field = (label: string, v: string | undefined) => {
    if (v !== undefined) lines.push(`  ${label}: ${v}`);
  };
  field("description", card.description);
  field("intended use", card.intendedUse);
  field("out of scope", card.outOfScope);
  field("training data", card.data?.training);
  field("evaluation data", card.data?.evaluation);
  for (const report of card.fairness ?? []) {
    const f = fairnessRows(report);
    lines.push(`  fairness ${f.title}:`);
    const table = [f.header, ...f.rows];
    const widths = f.header.map((_, j) => Math.max(...table.map((r) => r[j]!.length)));
    for (const r of table) lines.push(`    ${r.map((c, j) => c.padEnd(widths[j]!)).join("  ")}`.trimEnd());
    if (f.summary.length > 0) lines.push(`    ${f.summary.join(", ")}`);
  }
  lines.push(
    `  privacy: ${card.privacy === null ? "no differential privacy guarantee recorded" : privacyLine(card.privacy)}`,
  );
  for (const l of card.limitations ?? []) lines.push(`  limitation: ${l}`);
  field("ethical considerations", card.ethicalConsiderations);
  if (card.owners !== undefined && card.owners.length > 0) field("owners", card.owners.join(", "));
  field("licence", card.license);
  return lines;
}
