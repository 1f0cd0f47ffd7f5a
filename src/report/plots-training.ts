// report/plots-training: charts of a training run and of plain value lists: learning curves (one
// panel per metric, train and validation lines), a histogram and feature importances. Each returns
// a standalone SVG string drawn by Vega-Lite (report/vega-render). Layer: report.
import { ValueError } from "../core/errors.js";
import type { History } from "../train/callbacks/history.js";
import { type Numbers, toNumbers } from "./numbers.js";
import { frame, type PlotOptions, renderVegaLite } from "./vega-render.js";

/** A History from fit, or its `history` record (name -> one value per epoch). */
export type HistoryLike = History | Readonly<Record<string, readonly number[]>>;

function historyRecord(history: HistoryLike): {
  values: Readonly<Record<string, readonly number[]>>;
  epochs: number[] | null;
} {
  if (history !== null && typeof history === "object" && "history" in history && "epoch" in history) {
    const h = history as History;
    return { values: h.history, epochs: h.epoch.map((e) => e + 1) };
  }
  if (history === null || typeof history !== "object") {
    throw new ValueError(
      `learningCurves: history must be a History or a record of number arrays (got ${String(history)})`,
    );
  }
  return { values: history as Readonly<Record<string, readonly number[]>>, epochs: null };
}

/** One row per (metric, split, epoch): the long format the learning-curve chart facets on. */
export function learningCurveRows(
  history: HistoryLike,
): { metric: string; split: string; epoch: number; value: number }[] {
  const { values, epochs } = historyRecord(history);
  const rows: { metric: string; split: string; epoch: number; value: number }[] = [];
  for (const [name, series] of Object.entries(values)) {
    if (!Array.isArray(series))
      throw new ValueError(`learningCurves: history.${name} must be an array of numbers`);
    const validation = name.startsWith("val_");
    const metric = validation ? name.slice(4) : name;
    series.forEach((value, i) => {
      // Non-finite values (a diverged loss) would break the scale; they are left out of the line.
      if (typeof value === "number" && Number.isFinite(value)) {
        rows.push({ metric, split: validation ? "validation" : "train", epoch: epochs?.[i] ?? i + 1, value });
      }
    });
  }
  return rows;
}

/**
 * Learning curves: one panel per logged metric (loss, accuracy, learning_rate, ...), the training
 * and validation values per epoch as two lines.
 * @example
 * const history = await model.fit(x, y, { epochs: 20, validationSplit: 0.2 });
 * writeFileSync("curves.svg", await ts.plot.learningCurves(history));
 */
export async function learningCurves(
  history: HistoryLike,
  options: PlotOptions & { columns?: number } = {},
): Promise<string> {
  const rows = learningCurveRows(history);
  if (rows.length === 0) throw new ValueError("learningCurves: the history holds no finite values");
  return epochPanels(rows, options, "Learning curves", {
    color: { field: "split", type: "nominal", scale: { domain: ["train", "validation"] }, title: null },
  });
}

/**
 * Several runs' learning curves overlaid: one panel per metric, one colour per run, validation
 * dashed. Runs are compared on the same axes, which side-by-side charts cannot do.
 * @example
 * const svg = await ts.plot.compareRuns({ baseline: h1, wider: h2 });
 */
export async function compareRuns(
  runs: Readonly<Record<string, HistoryLike>>,
  options: PlotOptions & { columns?: number } = {},
): Promise<string> {
  if (runs === null || typeof runs !== "object" || Object.keys(runs).length === 0) {
    throw new ValueError("compareRuns: runs must be a non-empty record of run name -> history");
  }
  const rows = Object.entries(runs).flatMap(([run, history]) =>
    learningCurveRows(history).map((row) => ({ run, ...row })),
  );
  if (rows.length === 0) throw new ValueError("compareRuns: the histories hold no finite values");
  return epochPanels(rows, options, "Runs compared", {
    color: { field: "run", type: "nominal", title: "run", sort: null },
    strokeDash: {
      field: "split",
      type: "nominal",
      scale: { domain: ["train", "validation"] },
      title: null,
    },
    detail: { field: "split", type: "nominal" },
  });
}

/**
 * The chart learningCurves and compareRuns share: one panel per metric (independent y scales),
 * value over epoch as lines with points; `series` adds the encodings that tell the lines apart.
 */
function epochPanels(
  rows: readonly object[],
  options: PlotOptions & { columns?: number },
  defaultTitle: string,
  series: Readonly<Record<string, unknown>>,
): Promise<string> {
  const { width, height, title } = frame({ width: 260, height: 180, ...options }, defaultTitle);
  return renderVegaLite({
    title,
    data: { values: rows },
    facet: { field: "metric", type: "nominal", title: null, sort: null },
    columns: options.columns ?? 3,
    resolve: { scale: { y: "independent" } },
    spec: {
      width,
      height,
      mark: { type: "line", point: true },
      encoding: {
        x: {
          field: "epoch",
          type: "quantitative",
          axis: { tickMinStep: 1, format: "d" },
          scale: { zero: false },
        },
        y: { field: "value", type: "quantitative", scale: { zero: false }, title: null },
        ...series,
      },
    },
  });
}

/**
 * A histogram of values (Vega-Lite's "nice" bins, at most `bins` of them).
 * @example
 * const svg = await ts.plot.histogram(table.column("age").numbers, { bins: 20, title: "Age" });
 */
export async function histogram(
  values: Numbers,
  options: PlotOptions & { bins?: number; label?: string } = {},
): Promise<string> {
  const data = toNumbers("histogram", "values", values);
  const finite = Array.from(data).filter(Number.isFinite);
  if (finite.length === 0) throw new ValueError("histogram: values holds no finite number");
  const bins = options.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1)
    throw new ValueError(`histogram: bins must be an integer >= 1 (got ${bins})`);
  const { width, height, title } = frame(options, "Histogram");
  return renderVegaLite({
    title,
    width,
    height,
    data: { values: finite.map((value) => ({ value })) },
    mark: { type: "bar", tooltip: false },
    encoding: {
      x: { field: "value", type: "quantitative", bin: { maxbins: bins }, title: options.label ?? "value" },
      y: { aggregate: "count", type: "quantitative", title: "count" },
    },
  });
}

/**
 * Feature importances as horizontal bars, largest first (the `top` largest by absolute value).
 * @example
 * const svg = await ts.plot.featureImportances({ age: 0.31, income: 0.52, tenure: 0.07 });
 */
export async function featureImportances(
  importances: Readonly<Record<string, number>>,
  options: PlotOptions & { top?: number } = {},
): Promise<string> {
  if (importances === null || typeof importances !== "object") {
    throw new ValueError(
      `featureImportances: importances must be a record of feature name -> number (got ${String(importances)})`,
    );
  }
  const rows = Object.entries(importances).map(([feature, importance]) => {
    if (typeof importance !== "number" || !Number.isFinite(importance)) {
      throw new ValueError(
        `featureImportances: the importance of "${feature}" must be a finite number (got ${String(importance)})`,
      );
    }
    return { feature, importance };
  });
  if (rows.length === 0) throw new ValueError("featureImportances: importances is empty");
  rows.sort((a, b) => Math.abs(b.importance) - Math.abs(a.importance));
  const shown = rows.slice(0, options.top ?? 20);
  const { width, title } = frame(options, "Feature importances");
  return renderVegaLite({
    title,
    width,
    height: options.height ?? Math.max(60, shown.length * 18),
    data: { values: shown },
    mark: "bar",
    encoding: {
      y: { field: "feature", type: "nominal", sort: null, title: null },
      x: { field: "importance", type: "quantitative" },
    },
  });
}
