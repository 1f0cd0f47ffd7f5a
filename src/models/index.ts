// models: Sequential, functional Model, summary().
export { Functional, type FunctionalArgs, model } from "./functional.js";
export { type InferencePlanStats, inferencePlanStats, setInferencePlanning } from "./inference-plans.js";
export { Model, type ModelArgs } from "./model.js";
export type { ModelApiTypes, ModelSaver, ModelTrainer } from "./model-api.js";
export type { StepBatch, StepLogs } from "./model-data.js";
export { Sequential, type SequentialArgs, sequential } from "./sequential.js";
export { formatBytes, formatCount, type SummaryOptions } from "./summary.js";
