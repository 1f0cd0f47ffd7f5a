// report/html-report: writeReport(dir, {...}) writes dir/report.html, one self-contained page (inline
// SVG charts and CSS, no script, no network; a Content-Security-Policy forbids any load) with
// the sections the inputs allow: metrics, learning curves, classification charts (confusion
// matrix, ROC, precision-recall, calibration), regression charts (predicted vs actual,
// residuals), feature importances (e.g. permutation importance), fairness by group, the data
// summary and the model summary. Layer: report.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, ValueError } from "../core/errors.js";
import type { Table } from "../data/table/table.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { FairnessReport } from "../responsible/fairness-report.js";
import { Tensor } from "../tensor/tensor.js";
import { confusionMatrix as confusionCounts } from "../train/metrics/confusion.js";
import { fairnessSectionHtml } from "./fairness-section.js";
import { escapeHtml, figure, htmlTable, page, section, tableToHtml } from "./html-parts.js";
import { type Numbers, toNumbers } from "./numbers.js";
import { calibration, confusionMatrix, prCurve, rocCurve } from "./plots-classification.js";
import { residuals, scatter } from "./plots-regression.js";
import { featureImportances, type HistoryLike, learningCurves } from "./plots-training.js";

/** A classifier's test-set outputs. */
export interface ClassificationResults {
  /** True class ids [n]. */
  yTrue: Numbers;
  /** Scores or probabilities: [n, classes], or [n] / [n, 1] for binary (probability of class 1). */
  scores: Tensor | Numbers;
  /** Display names of the classes (index = class id). */
  classNames?: readonly string[];
}

/** A regressor's test-set outputs. */
export interface RegressionResults {
  actual: Numbers;
  predicted: Numbers;
}

export interface ReportOptions {
  /** Page title (default "Training report"). */
  title?: string;
  /** A line under the title (e.g. the run name and date). */
  subtitle?: string;
  /** Metric name -> value, or split name ("train", "test") -> metric name -> value. */
  metrics?: Readonly<Record<string, number>> | Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The fit History (or its record) for the learning curves. */
  history?: HistoryLike;
  classification?: ClassificationResults;
  regression?: RegressionResults;
  /** Feature name -> importance (e.g. permutation importance). */
  featureImportances?: Readonly<Record<string, number>>;
  /** Metrics by sensitive group (ts.fairness.fairnessReport). */
  fairness?: FairnessReport;
  /** The training data: describe(), missing values per column and, with `target`, class balance. */
  data?: Table;
  /** The target column of `data` (its class balance is shown for classification). */
  target?: string;
  /** The model (its summary() is printed) or the summary text itself. */
  model?: { summary(printFn?: (line: string) => void): void } | string;
}

interface Section {
  id: string;
  title: string;
  html: string;
}

function metricsSection(metrics: NonNullable<ReportOptions["metrics"]>): string {
  if (Array.isArray(metrics) || metrics === null || typeof metrics !== "object") {
    throw new ConfigError(
      `writeReport: metrics must be a record of name -> value (got ${Array.isArray(metrics) ? "an array; evaluate(x, y, { returnDict: true }) returns a record" : String(metrics)})`,
    );
  }
  const entries = Object.entries(metrics);
  if (entries.every(([, v]) => typeof v === "number")) {
    return htmlTable(
      ["metric", "value"],
      entries.map(([k, v]) => [k, v]),
      "metrics",
    );
  }
  const splits = entries.map(([split, values]) => {
    if (values === null || typeof values !== "object") {
      throw new ConfigError(`writeReport: metrics.${split} must be a number or a record of numbers`);
    }
    return [split, values as Readonly<Record<string, number>>] as const;
  });
  const names = [...new Set(splits.flatMap(([, values]) => Object.keys(values)))];
  return htmlTable(
    ["metric", ...splits.map(([split]) => split)],
    names.map((n) => [n, ...splits.map(([, v]) => v[n] ?? null)]),
    "metrics",
  );
}

/** Numbers as a Tensor [n] (a Tensor is kept as it is). */
function asTensor(values: Tensor | Numbers, owner: string, what: string): Tensor {
  if (values instanceof Tensor) return values;
  return new Tensor(toNumbers(owner, what, values), [values.length]);
}

/**
 * A chart, or a note saying why it is missing when the data cannot give it (a test split with
 * one class has no ROC curve): a report is still written for every run.
 */
async function figureOrNote(title: string, draw: () => Promise<string>): Promise<string> {
  try {
    return figure(await draw());
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    return `<p class="note">${escapeHtml(title)} not drawn: ${escapeHtml(error.message)}</p>`;
  }
}

async function classificationSections(results: ClassificationResults): Promise<Section[]> {
  const owner = "writeReport";
  const yTrue = asTensor(results.yTrue, owner, "classification.yTrue");
  const scores = asTensor(results.scores, owner, "classification.scores");
  const binary = scores.rank === 1 || scores.shape[1] === 1;
  // Binary probabilities as [n, 1] so the confusion matrix thresholds them at 0.5.
  const predicted = scores.rank === 1 ? new Tensor(scores.data, [scores.shape[0]!, 1]) : scores;
  const matrix = confusionCounts(yTrue, predicted, binary ? { numClasses: 2 } : {});
  const names = results.classNames;
  const options = names === undefined ? {} : { classNames: names };
  const charts = [
    figure(await confusionMatrix(matrix, options)),
    await figureOrNote("ROC curve", () => rocCurve(yTrue, scores, options)),
    await figureOrNote("Precision-recall curve", () => prCurve(yTrue, scores, options)),
    await figureOrNote("Calibration", () => calibration(yTrue, scores, options)),
  ];
  return [
    {
      id: "classification",
      title: "Classification",
      html: `<div class="figures">${charts.join("\n")}</div>`,
    },
  ];
}

async function regressionSections(results: RegressionResults): Promise<Section[]> {
  const charts = [
    figure(await scatter(results.actual, results.predicted)),
    figure(await residuals(results.actual, results.predicted)),
  ];
  return [{ id: "regression", title: "Regression", html: `<div class="figures">${charts.join("\n")}</div>` }];
}

function dataSection(data: Table, target: string | undefined): Section {
  const parts = [`<p>${data.numRows} rows, ${data.columnNames.length} columns.</p>`];
  parts.push(
    "<h3>Summary statistics</h3>",
    `<div class="scroll">${tableToHtml(data.describe(), "describe")}</div>`,
  );
  const missing = data.columnNames.map((name) => [name, data.column(name).missingCount()] as const);
  parts.push(
    "<h3>Missing values</h3>",
    htmlTable(
      ["column", "missing", "share"],
      missing.map(([name, n]) => [name, n, data.numRows === 0 ? 0 : n / data.numRows]),
      "missing",
    ),
  );
  if (target !== undefined) {
    if (!data.has(target))
      throw new ConfigError(
        `writeReport: target "${target}" is not a column of data (columns: ${data.columnNames.join(", ")})`,
      );
    parts.push(
      `<h3>Class balance (${escapeHtml(target)})</h3>`,
      tableToHtml(data.valueCounts(target, { dropMissing: false }), "balance"),
    );
  }
  return { id: "data", title: "Data", html: parts.join("\n") };
}

function modelSummary(model: NonNullable<ReportOptions["model"]>): string {
  if (typeof model === "string") return model;
  const lines: string[] = [];
  model.summary((line) => lines.push(line));
  return lines.join("\n");
}

/** The report page as an HTML string (what writeReport writes). */
export async function renderReport(options: ReportOptions): Promise<string> {
  if (options === null || typeof options !== "object")
    throw new ConfigError("writeReport: options must be an object");
  const sections: Section[] = [];
  if (options.metrics !== undefined)
    sections.push({ id: "metrics", title: "Metrics", html: metricsSection(options.metrics) });
  if (options.history !== undefined) {
    sections.push({
      id: "learning-curves",
      title: "Learning curves",
      html: figure(await learningCurves(options.history, { title: "" })),
    });
  }
  if (options.classification !== undefined)
    sections.push(...(await classificationSections(options.classification)));
  if (options.regression !== undefined) sections.push(...(await regressionSections(options.regression)));
  if (options.featureImportances !== undefined) {
    sections.push({
      id: "feature-importances",
      title: "Feature importances",
      html: figure(await featureImportances(options.featureImportances)),
    });
  }
  if (options.fairness !== undefined)
    sections.push({ id: "fairness", title: "Fairness", html: fairnessSectionHtml(options.fairness) });
  if (options.data !== undefined) sections.push(dataSection(options.data, options.target));
  if (options.model !== undefined) {
    sections.push({
      id: "model",
      title: "Model",
      html: `<pre>${escapeHtml(modelSummary(options.model))}</pre>`,
    });
  }
  if (sections.length === 0)
    throw new ValueError(
      "writeReport: nothing to report (give metrics, history, classification, regression, data or model)",
    );
  const html = sections.map((s) => ({ ...s, html: section(s.id, s.title, s.html) }));
  return page(options.title ?? "Training report", options.subtitle ?? "", html);
}

/**
 * Writes `dir/report.html` (atomically) and returns its path. Open it from disk: it needs no
 * server and loads nothing.
 * @example
 * await ts.writeReport("runs/iris", { history, metrics: await model.evaluate(xTest, yTest),
 *   classification: { yTrue: yTest, scores: model.predict(xTest) }, data: table, target: "species", model });
 */
export async function writeReport(dir: string, options: ReportOptions): Promise<string> {
  if (typeof dir !== "string" || dir === "")
    throw new ConfigError(`writeReport: dir must be a folder path (got ${String(dir)})`);
  const html = await renderReport(options);
  await mkdir(dir, { recursive: true });
  const path = join(dir, "report.html");
  await writeFileAtomic(path, html);
  return path;
}
