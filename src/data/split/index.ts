// data/split: train/validation/test splits, cross-validation folds, crossValidate and the
// recommenders' per-user leave-last-out split.
export {
  type CrossValidatable,
  type CrossValidateOptions,
  type CrossValidationResult,
  crossValidate,
  type FoldResult,
} from "./cross-validate.js";
export { type Indexable, numRows, type RandomSource, type RowTakeable, takeRows } from "./indexable.js";
export {
  type FoldIndices,
  type GroupKFoldOptions,
  groupKFold,
  type KFoldOptions,
  kFold,
  stratifiedKFold,
  type TimeSeriesSplitOptions,
  timeSeriesSplit,
} from "./kfold.js";
export { encodeLabels, type Labels, type LabelValue } from "./labels.js";
export {
  type LeaveLastOutIndices,
  type LeaveLastOutOptions,
  leaveLastOut,
  leaveLastOutIndices,
} from "./leave-last-out.js";
export {
  type SplitOptions,
  type SplitSize,
  type TrainTestSplit,
  type TrainTestSplitOptions,
  type TrainValTestSplit,
  type TrainValTestSplitOptions,
  trainTestSplit,
  trainValTestSplit,
} from "./train-test-split.js";
