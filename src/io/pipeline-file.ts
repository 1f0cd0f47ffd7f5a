// io/pipeline-file: saves a fitted ml/model-pipeline as one directory that `tessera predict`,
// `evaluate` and `serve` read like any other model. A pipeline ending in an estimator is a
// TabularModel, so it saves as an estimator directory (io/estimator-file); one ending in a network
// saves as a regular model directory (io/save-model) whose "preprocessing" field holds its fitted
// steps and target encoder, the same field `tessera train` writes. No third format: the readers
// of both directory kinds already predict from raw records.
import { ValueError } from "../core/errors.js";
import type { ModelPipeline } from "../ml/model-pipeline.js";
import { saveEstimator } from "./estimator-file.js";
import { columnSignature } from "./preprocessing.js";
import { saveModel } from "./save-model.js";

/**
 * Writes a fitted pipeline to `dir` (atomically).
 * @example
 * await savePipeline("runs/churn", await new ModelPipeline(steps, new LogisticRegression(), { target: "churn" }).fit(table));
 */
export async function savePipeline(
  dir: string,
  pipeline: ModelPipeline,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  if (pipeline.columns === null) throw new ValueError("savePipeline: fit the pipeline first");
  if (!pipeline.isNetwork) {
    await saveEstimator(dir, pipeline.toTabularModel(), metadata);
    return;
  }
  const columns = pipeline.columns.map((c) => columnSignature(c.name, c.kind));
  const classes = pipeline.labels?.classes?.map(String) ?? null;
  await saveModel(pipeline.final as Parameters<typeof saveModel>[0], dir, {
    preprocessing: { features: pipeline.preprocess, target: pipeline.labels },
    columns,
    target: [pipeline.target],
    labels: classes,
    metadata: { task: pipeline.task, ...(JSON.parse(JSON.stringify(metadata)) as Record<string, never>) },
  });
}
