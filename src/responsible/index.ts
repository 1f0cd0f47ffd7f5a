// responsible: privacy, fairness and explainability, re-exported for src/index.ts.

export * as explain from "./explain.js";
export * as fairness from "./fairness.js";
