// responsible/explain: the explainability toolkit's public surface (`ts.explain.*`): permutation
// importance and partial dependence (any model that predicts), Kernel SHAP (tabular, any model),
// and gradient attributions (saliency, SmoothGrad, integrated gradients) for differentiable ones.
export {
  type GradientOptions,
  type IntegratedGradientsOptions,
  type IntegratedGradientsResult,
  type IntegrationMethod,
  integratedGradients,
  integrationRule,
  type SaliencyOptions,
  type SmoothGradOptions,
  saliency,
  smoothGrad,
} from "./explain-gradients.js";
export { type Explainable, type Forward, forwardOf } from "./explain-model.js";
export {
  featureGrid,
  type PartialDependence,
  type PartialDependenceOptions,
  partialDependence,
} from "./explain-partial-dependence.js";
export {
  type PermutationImportance,
  type PermutationImportanceOptions,
  permutationImportance,
  type ScoreFunction,
} from "./explain-permutation.js";
export { type KernelShapOptions, type KernelShapResult, kernelShap } from "./explain-shap.js";
