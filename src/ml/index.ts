// ml: classical estimators with scikit-learn semantics (clustering, linear models, neighbours,
// histogram gradient boosting, decomposition), clustering, forecast, ranking and calibration
// metrics, probability calibrators, decision thresholds and the estimator registry.
export {
  type AutoTrainOptions,
  type AutoTrainResult,
  autoTrain,
  formatLeaderboard,
  inferTask,
  type LeaderboardRow,
} from "./auto-train.js";
export {
  brierScore,
  type ReliabilityCurve,
  type ReliabilityOptions,
  reliabilityCurve,
} from "./calibration.js";
export { IsotonicCalibrator, PlattCalibrator } from "./calibrators.js";
export { adjustedRandScore, daviesBouldinScore, silhouetteScore } from "./cluster-metrics.js";
export { DBSCAN, type DBSCANOptions } from "./dbscan.js";
export { ElasticNet, type ElasticNetOptions } from "./elastic-net.js";
export type { EstimatorState, JsonValue } from "./estimator.js";
export {
  movingAverageForecast,
  movingAverageOneStep,
  seasonalNaiveForecast,
  seasonalNaiveOneStep,
} from "./forecast-baselines.js";
export { mase, meanAbsoluteError, smape } from "./forecast-metrics.js";
export type { HistGradientBoostingOptions } from "./hist-gradient-boosting.js";
export { HistGradientBoostingClassifier } from "./hist-gradient-boosting-classifier.js";
export { HistGradientBoostingRegressor } from "./hist-gradient-boosting-regressor.js";
export { KMeans, type KMeansOptions } from "./kmeans.js";
export { KNeighborsClassifier, type KNeighborsOptions } from "./knn-classifier.js";
export { KNeighborsRegressor } from "./knn-regressor.js";
export { Lasso, type LassoOptions } from "./lasso.js";
export { type LbfgsOptions, type LbfgsResult, minimizeLbfgs, type Objective } from "./lbfgs.js";
export { LinearRegression, type LinearRegressionOptions } from "./linear-regression.js";
export { LogisticRegression, type LogisticRegressionOptions } from "./logistic-regression.js";
export type { Matrix, MatrixInput, VectorInput } from "./matrix.js";
export { MiniBatchKMeans, type MiniBatchKMeansOptions } from "./mini-batch-kmeans.js";
export type { MLPOptions } from "./mlp.js";
export { MLPClassifier } from "./mlp-classifier.js";
export { MLPRegressor } from "./mlp-regressor.js";
export { ModelPipeline, type ModelPipelineOptions, type PipelineStep } from "./model-pipeline.js";
export { PCA, type PCAOptions } from "./pca.js";
export {
  hitRateAtK,
  type ItemId,
  mapAtK,
  ndcgAtK,
  precisionAtK,
  type RankingScores,
  type Relevant,
  rankingScores,
  recallAtK,
  topKItems,
} from "./ranking-metrics.js";
export { ESTIMATORS, type Estimator, type EstimatorKind, estimatorFromJSON } from "./registry.js";
export { Ridge, type RidgeOptions } from "./ridge.js";
export {
  GridSearch,
  RandomSearch,
  type RunOptions,
  type SearchableEstimator,
  type SearchOptions,
  type SearchResult,
  type SearchRound,
  type SearchTargets,
} from "./search.js";
export {
  type HalvingRound,
  HalvingSearch,
  Hyperband,
  type HyperbandBracket,
  type HyperbandOptions,
  type HyperbandResource,
} from "./search-halving.js";
export {
  choice,
  type Distribution,
  gridOf,
  intUniform,
  logUniform,
  type ParamValue,
  type SearchSpace,
  uniform,
} from "./search-space.js";
export {
  inlineExecutor,
  matrixTrialData,
  type TrialData,
  type TrialExecutor,
  type TrialOutcome,
  type TrialSpec,
  type TrialStore,
} from "./search-trials.js";
export { type FeatureColumns, featureColumns, preprocessFor } from "./tabular-features.js";
export {
  TabularModel,
  type TabularModelState,
  type TabularPreprocessing,
  type TabularTask,
} from "./tabular-model.js";
export { tabularTrialData } from "./tabular-trial-data.js";
export {
  type CostThreshold,
  costSensitiveThreshold,
  precisionAtRecall,
  type ThresholdCosts,
  type ThresholdPoint,
  thresholdPoints,
} from "./thresholds.js";
export { TruncatedSVD, type TruncatedSVDOptions } from "./truncated-svd.js";
