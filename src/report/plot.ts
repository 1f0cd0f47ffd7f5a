// report/plot: the `ts.plot` namespace: every chart function, each returning an SVG string.
// Layer: report.
export { calibration, confusionMatrix, prCurve, rocCurve } from "./plots-classification.js";
export { residuals, scatter } from "./plots-regression.js";
export { compareRuns, featureImportances, histogram, learningCurves } from "./plots-training.js";
