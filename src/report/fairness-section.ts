// report/fairness-section: the report's "Fairness" section from a responsible/fairnessReport:
// each group's rows and metrics, the largest difference and smallest ratio between groups per
// metric, and for binary tasks the summary measures with the four-fifths rule. Layer: report.
import type { FairnessReport } from "../responsible/fairness-report.js";
import { escapeHtml, htmlTable } from "./html-parts.js";

/** The section's HTML. */
export function fairnessSectionHtml(report: FairnessReport): string {
  const parts = [
    `<p>By ${report.sensitive.map(escapeHtml).join(" x ")}${
      report.positiveLabel === null ? "" : `; positive class ${escapeHtml(report.positiveLabel)}`
    }.</p>`,
    htmlTable(
      ["group", "rows", ...report.metrics],
      [
        ["overall", null, ...report.metrics.map((m) => report.overall[m] ?? null)],
        ...report.groups.map((g) => [g.group, g.rows, ...report.metrics.map((m) => g.metrics[m] ?? null)]),
      ],
      "fairness-groups",
    ),
    "<h3>Between groups</h3>",
    htmlTable(
      ["metric", "largest difference", "smallest ratio"],
      report.metrics.map((m) => [m, report.difference[m] ?? null, report.ratio[m] ?? null]),
      "fairness-between",
    ),
  ];
  const s = report.summary;
  if (s !== null) {
    parts.push(
      "<h3>Fairness measures</h3>",
      htmlTable(
        ["measure", "value"],
        [
          ["demographic parity difference", s.demographicParityDifference],
          ["demographic parity ratio", s.demographicParityRatio],
          ["equalized odds difference", s.equalizedOddsDifference],
          ["equalized odds ratio", s.equalizedOddsRatio],
          ["equal opportunity difference", s.equalOpportunityDifference],
          ["disparate impact", s.disparateImpact],
          ["passes the four-fifths rule", s.passesFourFifths ? "yes" : "no"],
        ],
        "fairness-summary",
      ),
    );
  }
  return parts.join("\n");
}
