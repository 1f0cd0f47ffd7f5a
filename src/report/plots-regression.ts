// report/plots-regression: a regressor's charts: predicted against actual values (with the y = x
// line a perfect model would sit on) and residuals (actual - predicted) against the prediction.
// Drawn by Vega-Lite through report/vega-render. Layer: report.
import { type Numbers, pairedNumbers } from "./numbers.js";
import { diagonalLayer, frame, overDiagonal, type PlotOptions, renderVegaLite } from "./vega-render.js";

const POINT = { type: "point", filled: true, size: 18, opacity: 0.7 } as const;

/**
 * Predicted against actual values, one point per sample, with the y = x diagonal.
 * @example
 * const svg = await ts.plot.scatter(yTest, model.predict(xTest));
 */
export async function scatter(
  actual: Numbers,
  predicted: Numbers,
  options: PlotOptions = {},
): Promise<string> {
  const [a, p] = pairedNumbers("scatter", ["actual", "predicted"], actual, predicted);
  const rows = Array.from(a, (value, i) => ({ actual: value, predicted: p[i]! }));
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const v of [...a, ...p]) {
    if (Number.isFinite(v)) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
  }
  return overDiagonal(options, "Predicted vs actual", diagonalLayer(low, high, "actual", "predicted"), {
    data: { values: rows },
    mark: POINT,
    encoding: {
      x: { field: "actual", type: "quantitative", scale: { zero: false } },
      y: { field: "predicted", type: "quantitative", scale: { zero: false } },
    },
  });
}

/**
 * Residuals (actual - predicted) against the predicted value, with the zero line.
 * @example
 * const svg = await ts.plot.residuals(yTest, model.predict(xTest));
 */
export async function residuals(
  actual: Numbers,
  predicted: Numbers,
  options: PlotOptions = {},
): Promise<string> {
  const [a, p] = pairedNumbers("residuals", ["actual", "predicted"], actual, predicted);
  const rows = Array.from(a, (value, i) => ({ predicted: p[i]!, residual: value - p[i]! }));
  const { width, height, title } = frame({ width: 300, height: 240, ...options }, "Residuals");
  return renderVegaLite({
    title,
    width,
    height,
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule", color: "#999", strokeDash: [4, 4] },
        encoding: { y: { field: "zero", type: "quantitative" } },
      },
      {
        data: { values: rows },
        mark: POINT,
        encoding: {
          x: { field: "predicted", type: "quantitative", scale: { zero: false } },
          y: { field: "residual", type: "quantitative", title: "residual (actual - predicted)" },
        },
      },
    ],
  });
}
