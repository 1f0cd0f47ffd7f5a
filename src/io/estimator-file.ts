// io/estimator-file: saves a fitted ml/ estimator as a model directory (model.json holding its
// JSON state, written atomically) and loads one back through ml/registry's closed table, so a file
// can never name code to run. A TabularModel (zero-config training's result) saves the same way.
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { FormatError } from "../core/errors.js";
import { type Estimator, estimatorFromJSON } from "../ml/registry.js";
import { TabularModel } from "../ml/tabular-model.js";
import { writeDirectoryAtomic } from "./atomic-write.js";
import { parseStrictJson } from "./strict-json.js";

/** The model.json of an estimator directory. */
export interface EstimatorFile {
  format: "tessera-estimator";
  version: 1;
  kind: string;
  params: unknown;
  fitted: unknown;
  /** Free-form metadata the caller attached (data set, metrics...). */
  metadata?: Record<string, unknown>;
}

/**
 * Writes `dir/model.json` with the estimator's state (the whole directory atomically).
 * @example
 * await saveEstimator("runs/iris-kmeans", new KMeans({ nClusters: 3 }).fit(x));
 */
export async function saveEstimator(
  dir: string,
  estimator: Estimator | TabularModel,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  const state = { ...estimator.toJSON(), metadata };
  await writeDirectoryAtomic(dir, { "model.json": `${JSON.stringify(state)}\n` });
}

/** Reads an estimator directory written by saveEstimator (a TabularModel keeps its preprocessing). */
export async function loadEstimator(dir: string): Promise<Estimator | TabularModel> {
  const path = join(dir, "model.json");
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (error) {
    throw new FormatError(`loadEstimator: cannot read ${path} (${(error as Error).message})`);
  }
  const value = parseStrictJson(text, path);
  const kind = typeof value === "object" && value !== null && !Array.isArray(value) ? value.kind : undefined;
  return kind === TabularModel.kind ? TabularModel.fromJSON(value) : estimatorFromJSON(value);
}
