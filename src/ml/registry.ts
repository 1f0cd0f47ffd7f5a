// ml/registry: the closed table of estimator classes that a saved state may name, and
// estimatorFromJSON, which validates a state read from a file and rebuilds the estimator. Nothing
// in a file can name code outside this table.
import { FormatError } from "../core/errors.js";
import { DBSCAN } from "./dbscan.js";
import { ElasticNet } from "./elastic-net.js";
import type { EstimatorState } from "./estimator.js";
import { HistGradientBoostingClassifier } from "./hist-gradient-boosting-classifier.js";
import { HistGradientBoostingRegressor } from "./hist-gradient-boosting-regressor.js";
import { KMeans } from "./kmeans.js";
import { KNeighborsClassifier } from "./knn-classifier.js";
import { KNeighborsRegressor } from "./knn-regressor.js";
import { Lasso } from "./lasso.js";
import { LinearRegression } from "./linear-regression.js";
import { LogisticRegression } from "./logistic-regression.js";
import { MiniBatchKMeans } from "./mini-batch-kmeans.js";
import { MLPClassifier } from "./mlp-classifier.js";
import { MLPRegressor } from "./mlp-regressor.js";
import { PCA } from "./pca.js";
import { Ridge } from "./ridge.js";
import { TruncatedSVD } from "./truncated-svd.js";

/** Every estimator class by its state kind. */
export const ESTIMATORS = {
  DBSCAN,
  ElasticNet,
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  KMeans,
  KNeighborsClassifier,
  KNeighborsRegressor,
  Lasso,
  LinearRegression,
  LogisticRegression,
  MiniBatchKMeans,
  MLPClassifier,
  MLPRegressor,
  PCA,
  Ridge,
  TruncatedSVD,
} as const;

export type EstimatorKind = keyof typeof ESTIMATORS;
export type Estimator = InstanceType<(typeof ESTIMATORS)[EstimatorKind]>;

function isKind(kind: unknown): kind is EstimatorKind {
  return typeof kind === "string" && Object.hasOwn(ESTIMATORS, kind);
}

/**
 * Rebuilds an estimator from its toJSON() state (for example parsed from a saved model.json).
 * @example
 * const again = estimatorFromJSON(JSON.parse(JSON.stringify(kmeans.toJSON())));
 */
export function estimatorFromJSON(state: unknown): Estimator {
  const op = "estimatorFromJSON";
  if (typeof state !== "object" || state === null || Array.isArray(state))
    throw new FormatError(`${op}: expected an estimator state object`);
  const s = state as Partial<EstimatorState>;
  if (s.format !== "tessera-estimator" || s.version !== 1)
    throw new FormatError(
      `${op}: expected format "tessera-estimator" version 1 (got ${JSON.stringify(s.format)} version ${JSON.stringify(s.version)})`,
    );
  if (!isKind(s.kind))
    throw new FormatError(
      `${op}: unknown estimator kind ${JSON.stringify(s.kind)} (known: ${Object.keys(ESTIMATORS).join(", ")})`,
    );
  if (typeof s.params !== "object" || s.params === null || Array.isArray(s.params))
    throw new FormatError(`${op}: params must be an object`);
  if (s.fitted !== null && (typeof s.fitted !== "object" || Array.isArray(s.fitted)))
    throw new FormatError(`${op}: fitted must be an object or null`);
  return ESTIMATORS[s.kind].fromJSON(s as EstimatorState);
}
