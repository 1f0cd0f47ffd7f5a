// The name unions of losses, metrics, optimizers and activations (issue 11): a typo fails to
// type-check (`npm run typecheck` checks the @ts-expect-error lines below), names registered at run
// time stay usable, and the unions cannot drift from the registries: each object below must list
// exactly its union's members (a missing or extra key is a compile error) and at run time every
// listed name resolves and every registered name is listed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RegisteredName } from "../../src/core/names.js";
import { sequential } from "../../src/models/sequential.js";
import {
  type ActivationName,
  getActivation,
  listActivations,
  registerActivation,
} from "../../src/nn/activations.js";
import { normalizeName } from "../../src/nn/config.js";
import { dense } from "../../src/nn/layers/index.js";
import { getOptimizer, type OptimizerName, optimizers, registerOptimizer } from "../../src/optim/registry.js";
import { sgd } from "../../src/optim/sgd.js";
import {
  getLoss,
  isLossName,
  type LossName,
  lossNames,
  registerLoss,
} from "../../src/train/losses/registry.js";
import { getMetric, type MetricName, metricNames, registerMetric } from "../../src/train/metrics/registry.js";
import "../../src/train/model-methods.js";

declare module "../../src/train/losses/registry.js" {
  interface CustomLossNames {
    merged_custom_loss: true;
  }
}

type Listed<Name, Kind extends string, Custom> = Exclude<Name, RegisteredName<Kind> | keyof Custom>;
type CustomLoss = { merged_custom_loss: true };

const LOSSES = {
  meanSquaredError: true,
  mean_squared_error: true,
  MeanSquaredError: true,
  meanAbsoluteError: true,
  mean_absolute_error: true,
  MeanAbsoluteError: true,
  meanAbsolutePercentageError: true,
  mean_absolute_percentage_error: true,
  MeanAbsolutePercentageError: true,
  meanSquaredLogarithmicError: true,
  mean_squared_logarithmic_error: true,
  MeanSquaredLogarithmicError: true,
  huber: true,
  Huber: true,
  logCosh: true,
  log_cosh: true,
  LogCosh: true,
  binaryCrossentropy: true,
  binary_crossentropy: true,
  BinaryCrossentropy: true,
  categoricalCrossentropy: true,
  categorical_crossentropy: true,
  CategoricalCrossentropy: true,
  sparseCategoricalCrossentropy: true,
  sparse_categorical_crossentropy: true,
  SparseCategoricalCrossentropy: true,
  kullbackLeiblerDivergence: true,
  kullback_leibler_divergence: true,
  KullbackLeiblerDivergence: true,
  hinge: true,
  Hinge: true,
  squaredHinge: true,
  squared_hinge: true,
  SquaredHinge: true,
  categoricalHinge: true,
  categorical_hinge: true,
  CategoricalHinge: true,
  poisson: true,
  Poisson: true,
  cosineSimilarity: true,
  cosine_similarity: true,
  CosineSimilarity: true,
  mse: true,
  mae: true,
  mape: true,
  msle: true,
  huber_loss: true,
  logcosh: true,
  bce: true,
  cce: true,
  scce: true,
  kld: true,
  kl_divergence: true,
  KLDivergence: true,
} satisfies Record<Listed<LossName, "loss", CustomLoss>, true>;

/** Metric names that are not also loss names (those are in LOSSES). */
const METRICS_ONLY = {
  accuracy: true,
  acc: true,
  binaryAccuracy: true,
  binary_accuracy: true,
  BinaryAccuracy: true,
  categoricalAccuracy: true,
  categorical_accuracy: true,
  CategoricalAccuracy: true,
  sparseCategoricalAccuracy: true,
  sparse_categorical_accuracy: true,
  SparseCategoricalAccuracy: true,
  topKCategoricalAccuracy: true,
  top_k_categorical_accuracy: true,
  TopKCategoricalAccuracy: true,
  sparseTopKCategoricalAccuracy: true,
  sparse_top_k_categorical_accuracy: true,
  SparseTopKCategoricalAccuracy: true,
  rootMeanSquaredError: true,
  root_mean_squared_error: true,
  RootMeanSquaredError: true,
  r2Score: true,
  r2_score: true,
  R2Score: true,
  mean: true,
  Mean: true,
  precision: true,
  Precision: true,
  recall: true,
  Recall: true,
  f1Score: true,
  f1_score: true,
  F1Score: true,
  auc: true,
  Auc: true,
  prAuc: true,
  pr_auc: true,
  PrAuc: true,
  rmse: true,
  r2: true,
  f1: true,
  auc_pr: true,
  AUC: true,
} satisfies Record<Exclude<Listed<MetricName, "metric", object>, LossName>, true>;

const OPTIMIZERS = {
  sgd: true,
  adam: true,
  adamw: true,
  rmsprop: true,
  adagrad: true,
  adadelta: true,
  adamax: true,
  nadam: true,
  lion: true,
  SGD: true,
  Adam: true,
  AdamW: true,
  RMSprop: true,
  Adagrad: true,
  Adadelta: true,
  Adamax: true,
  Nadam: true,
  Lion: true,
} satisfies Record<Listed<OptimizerName, "optimizer", object>, true>;

const ACTIVATIONS = {
  linear: true,
  relu: true,
  sigmoid: true,
  tanh: true,
  softmax: true,
  log_softmax: true,
  logSoftmax: true,
  elu: true,
  selu: true,
  gelu: true,
  leaky_relu: true,
  leakyRelu: true,
  softplus: true,
  softsign: true,
  silu: true,
  swish: true,
  relu6: true,
  hard_sigmoid: true,
  hardSigmoid: true,
  hard_silu: true,
  hardSilu: true,
  hard_swish: true,
  hardSwish: true,
  mish: true,
  exponential: true,
  log_sigmoid: true,
  logSigmoid: true,
  tanh_shrink: true,
  tanhShrink: true,
} satisfies Record<Listed<ActivationName, "activation", object>, true>;

/** Compiled by `npm run typecheck`, never run: what type-checks and what does not. */
function typeLevel(): void {
  const model = sequential([dense({ units: 1, inputShape: [2], activation: "relu" })]);
  model.compile({
    optimizer: "adam",
    loss: "mean_squared_error",
    metrics: ["mae", "accuracy", "binary_crossentropy"],
  });
  model.compile({ optimizer: "RMSprop", loss: "MeanSquaredError", metrics: ["rootMeanSquaredError"] });
  // @ts-expect-error a misspelt loss
  model.compile({ optimizer: "adam", loss: "mean_sqaured_error" });
  // @ts-expect-error a misspelt metric
  model.compile({ optimizer: "adam", loss: "mse", metrics: ["acuracy"] });
  // @ts-expect-error a misspelt optimizer
  model.compile({ optimizer: "adma", loss: "mse" });
  // @ts-expect-error a misspelt activation
  dense({ units: 1, activation: "rleu" });
  dense({ units: 1, activation: "leakyRelu" });

  // Names added at run time: the value register*() returns, or declaration merging.
  const focal = registerLoss("focal", () => getLoss("mse"));
  const hits = registerMetric("hits", () => getMetric("mae"));
  const mySgd = registerOptimizer("my_sgd", () => sgd());
  const square = registerActivation("square_act", (x) => x);
  model.compile({ optimizer: mySgd, loss: focal, metrics: [hits] });
  model.compile({ optimizer: "sgd", loss: "merged_custom_loss" });
  dense({ units: 1, activation: square });

  // A plain string (read from a file) is checked first, or resolved to an object.
  const fromConfig: string = "mse";
  // @ts-expect-error an unchecked string
  model.compile({ optimizer: "sgd", loss: fromConfig });
  if (isLossName(fromConfig)) model.compile({ optimizer: "sgd", loss: fromConfig });
  model.compile({
    optimizer: getOptimizer(fromConfig),
    loss: getLoss(fromConfig),
    metrics: [getMetric(fromConfig)],
  });
}
void typeLevel;

describe("name unions against the registries", () => {
  test("every name in a union resolves at run time", () => {
    for (const name of Object.keys(LOSSES)) assert.doesNotThrow(() => getLoss(name), name);
    for (const name of [...Object.keys(LOSSES), ...Object.keys(METRICS_ONLY)])
      assert.doesNotThrow(() => getMetric(name), name);
    for (const name of Object.keys(OPTIMIZERS)) assert.doesNotThrow(() => getOptimizer(name), name);
    for (const name of Object.keys(ACTIVATIONS)) assert.doesNotThrow(() => getActivation(name), name);
  });

  test("every registered built-in is in its union", () => {
    const listed = (names: object) => new Set(Object.keys(names).map(normalizeName));
    const losses = listed(LOSSES);
    for (const name of lossNames()) assert.ok(losses.has(normalizeName(name)), name);
    const metrics = listed({ ...LOSSES, ...METRICS_ONLY });
    for (const name of metricNames()) assert.ok(metrics.has(normalizeName(name)), name);
    const optimizerNames = listed(OPTIMIZERS);
    for (const name of Object.keys(optimizers)) assert.ok(optimizerNames.has(name), name);
    const activations = listed(ACTIVATIONS);
    for (const name of listActivations()) assert.ok(activations.has(normalizeName(name)), name);
  });

  test("register*() returns the name itself", () => {
    const name = registerLoss("name_unions_test_loss", () => getLoss("mae"));
    assert.equal(name, "name_unions_test_loss");
    assert.ok(isLossName(name));
    assert.equal(getLoss(name).getConfig().className, getLoss("mae").getConfig().className);
  });
});
