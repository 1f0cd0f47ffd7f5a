// cli/scores: the figures `tessera train` and `tessera evaluate` report on held-out rows,
// computed directly from targets and predictions (so they do not depend on compile's metrics).

/** MAE, MSE, RMSE and R^2 of a regression (one output). */
export function regressionScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Record<string, number> {
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let abs = 0;
  let squared = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const error = yPred[i]! - yTrue[i]!;
    abs += Math.abs(error);
    squared += error * error;
    total += (yTrue[i]! - mean) ** 2;
  }
  const mse = squared / n;
  return { mae: abs / n, mse, rmse: Math.sqrt(mse), r2: total === 0 ? Number.NaN : 1 - squared / total };
}

/** Accuracy and macro-averaged F1 of class indices against class probabilities [n, k]. */
export function classificationScores(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  classes: number,
): Record<string, number> {
  const n = yTrue.length;
  const truePositive = new Array<number>(classes).fill(0);
  const predicted = new Array<number>(classes).fill(0);
  const actual = new Array<number>(classes).fill(0);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++)
      if (probabilities[i * classes + k]! > probabilities[i * classes + best]!) best = k;
    const label = yTrue[i]!;
    predicted[best]!++;
    actual[label]!++;
    if (best === label) {
      correct++;
      truePositive[best]!++;
    }
  }
  let f1 = 0;
  for (let k = 0; k < classes; k++) {
    const precision = predicted[k] === 0 ? 0 : truePositive[k]! / predicted[k]!;
    const recall = actual[k] === 0 ? 0 : truePositive[k]! / actual[k]!;
    f1 += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  return { accuracy: correct / n, macro_f1: f1 / classes };
}

/** "mae=2.31  rmse=3.40  r2=0.861" with 4 significant digits. */
export function formatScores(scores: Readonly<Record<string, number>>): string {
  return Object.entries(scores)
    .map(([k, v]) => `${k}=${Number.isFinite(v) ? Number(v.toPrecision(4)) : v}`)
    .join("  ");
}
