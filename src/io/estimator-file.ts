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

/**
 * What a model directory holds, from its model.json's `format`: a network ("tessera-model") or an
 * estimator ("tessera-estimator"). Lets `tessera predict`/`evaluate`/`serve` take either.
 */
export async function modelDirectoryFormat(dir: string): Promise<"tessera-model" | "tessera-estimator"> {
  const path = join(dir, "model.json");
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (error) {
    throw new FormatError(`${dir}: not a model directory (cannot read ${path}: ${(error as Error).message})`);
  }
  const value = parseStrictJson(text, path);
  const format =
    typeof value === "object" && value !== null && !Array.isArray(value) ? value.format : undefined;
  if (format === "tessera-model" || format === "tessera-estimator") return format;
  throw new FormatError(
    `${path}: expected "format": "tessera-model" or "tessera-estimator" (got ${JSON.stringify(format)})`,
  );
}

/** Loads an estimator directory that predicts from raw records (what `tessera train --target` and `tessera tune` save). */
export async function loadTabularModel(dir: string): Promise<TabularModel> {
  const loaded = await loadEstimator(dir);
  if (!(loaded instanceof TabularModel))
    throw new FormatError(
      `${dir}: holds a bare ${loaded.constructor.name} (saved without its preprocessing and target), which takes a feature matrix; predict, evaluate and serve need a TabularModel directory such as \`tessera train data.csv --target COLUMN\` or \`tessera tune\` write`,
    );
  return loaded;
}

/** True when `dir/model.json` reads as an estimator directory; false otherwise (the model loader then reports what is wrong). */
export async function isEstimatorDirectory(dir: string): Promise<boolean> {
  return modelDirectoryFormat(dir).then(
    (format) => format === "tessera-estimator",
    () => false,
  );
}
