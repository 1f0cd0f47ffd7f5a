// io/save-model: saveModel(model, dir), which Model.save(dir) calls (registered with
// models/model-api.ts when this file loads). Builds the files of a model directory (model.json +
// weights.safetensors, see model-format.ts) and writes them atomically as a unit.
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { arch, platform } from "node:os";
import { getBackend } from "../backend/registry.js";
import type { DType } from "../core/dtype.js";
import { FormatError, ValueError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { Functional } from "../models/functional.js";
import { Model } from "../models/model.js";
import { registerSaver } from "../models/model-api.js";
import { Sequential } from "../models/sequential.js";
import { InputLayer } from "../nn/layers/input.js";
import { serializeLayer } from "../nn/registry.js";
import type { Tensor } from "../tensor/tensor.js";
import { privacySpentOf } from "../train/privacy/private-fit.js";
import { writeDirectoryAtomic, writeDirectoryAtomicSync } from "./atomic-write.js";
import { recoverDirectory } from "./directory-recovery.js";
import { withCard } from "./model-card.js";
import { checkModelConsistency } from "./model-consistency.js";
import {
  MODEL_DIR_FILES,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  MODEL_JSON,
  type ModelFile,
  type ModelSignature,
  type TensorSignature,
  validateModelFile,
  WEIGHTS_FILE,
} from "./model-format.js";
import { modelDirToSave } from "./model-path.js";
import { type ExportOnnxOptions, exportOnnx } from "./onnx/export-onnx.js";
import { type ModelPreprocessing, preprocessingFromJson, preprocessingToJson } from "./preprocessing.js";
import { encodeSafetensors } from "./safetensors.js";
import { type SaveOptions, savedInfoOf } from "./save-info.js";
import type { JsonObject, JsonValue } from "./strict-json.js";
import { compileConfigOf } from "./training-config.js";

export { attachSaveInfo, type SaveOptions, savedInfoOf } from "./save-info.js";

function inputSignature(model: Model): TensorSignature[] {
  const shapes = model.inputShapes;
  const names = model.inputNames;
  const dtypes: DType[] =
    model instanceof Functional
      ? model.inputs.map((t) => t.dtype)
      : shapes.map(() => {
          const first = model instanceof Sequential ? model.getConfig().layers : undefined;
          const entry = Array.isArray(first)
            ? (first[0] as { className?: string; config?: { dtype?: DType } })
            : undefined;
          return entry?.className === InputLayer.className ? (entry.config?.dtype ?? "float32") : "float32";
        });
  return shapes.map((shape, i) => ({
    name: names[i] ?? `input_${i}`,
    dtype: dtypes[i] ?? "float32",
    shape: [...shape],
  }));
}

function outputSignature(model: Model): TensorSignature[] {
  const shapes = model.outputShapes;
  const names = model.outputNames;
  const lastLayer = model.layers[model.layers.length - 1];
  return shapes.map((shape, i) => ({
    name: names[i] ?? `output_${i}`,
    dtype: model instanceof Functional ? model.outputs[i]!.dtype : (lastLayer?.dtype ?? "float32"),
    shape: [...shape],
  }));
}

function isModelPreprocessing(value: unknown): value is ModelPreprocessing {
  if (typeof value !== "object" || value === null || !("features" in value)) return false;
  const features = (value as { features: unknown }).features;
  return (
    typeof features === "object" &&
    features !== null &&
    typeof (features as { toJSON?: unknown }).toJSON === "function"
  );
}

/** The weights of a model by stable path, refusing duplicate paths. */
export function namedWeights(model: Model): [string, Tensor][] {
  const seen = new Set<string>();
  return model.weightEntries().map((entry) => {
    if (seen.has(entry.path)) {
      throw new ValueError(`save: two weights are named "${entry.path}"; give the layers distinct names`);
    }
    seen.add(entry.path);
    return [entry.path, entry.tensor];
  });
}

/** { privacy: what DP-SGD spent } for a model trained with fit's privacy option, else nothing. */
function privacyMetadata(model: Model): JsonObject {
  const spent = privacySpentOf(model);
  return spent === null ? {} : { privacy: { ...spent } };
}

/** The files of a model directory, in memory. */
export function modelFiles(
  model: Model,
  options: SaveOptions = {},
): { files: Record<string, Uint8Array | string>; file: ModelFile } {
  if (!(model instanceof Model)) throw new ValueError("save: expected a Model");
  if (!model.built || model.inputShapes.length === 0) {
    throw new ValueError(
      `save: model "${model.name}" is not built; give its first layer an inputShape or call it once before saving`,
    );
  }
  const info = { ...savedInfoOf(model), ...options };
  const pre = info.preprocessing ?? null;
  const live = isModelPreprocessing(pre) ? pre : null;
  const preprocessingJson = live !== null ? preprocessingToJson(live) : (pre as JsonValue | null);
  const classes = live?.target?.classes;
  const labels = info.labels ?? (classes === undefined ? null : classes.map((c) => String(c)));
  const weights = namedWeights(model);
  const weightBytes = encodeSafetensors(weights, { format: "tessera", model: model.name });
  const signature: ModelSignature = {
    inputs: inputSignature(model),
    outputs: outputSignature(model),
    columns: info.columns ?? null,
    target: info.target ?? null,
    labels,
  };
  const metrics = info.metrics === undefined || info.metrics === null ? null : { ...info.metrics };
  const file = withCard(info.card, {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    architecture: serializeLayer(model) as unknown as ModelFile["architecture"],
    weights: {
      file: WEIGHTS_FILE,
      sha256: createHash("sha256").update(weightBytes).digest("hex"),
      bytes: weightBytes.length,
      tensors: weights.map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape] })),
    },
    training: info.training !== undefined ? info.training : compileConfigOf(model),
    preprocessing: preprocessingJson,
    signature,
    metrics: metrics as ModelFile["metrics"],
    metadata: {
      createdAt: new Date().toISOString(),
      tessera: VERSION,
      node: process.version,
      platform: `${platform()}-${arch()}`,
      backend: getBackend(),
      ...(info.metadata ?? {}),
      // the (epsilon, delta) guarantee of a differentially private fit (train/privacy)
      ...privacyMetadata(model),
    },
  });
  const text = `${JSON.stringify(file, null, 2)}\n`;
  checkLoadable(text, model, live);
  return { files: { [MODEL_JSON]: text, [WEIGHTS_FILE]: weightBytes }, file };
}

/**
 * Runs the checks loadModel runs on model.json (field by field, then against the architecture), so
 * save refuses with a ValueError what load would refuse with a FormatError.
 */
function checkLoadable(text: string, model: Model, live: ModelPreprocessing | null): void {
  const where = "save: model.json";
  try {
    const file = validateModelFile(JSON.parse(text) as JsonValue, where);
    const pre =
      live ?? (file.preprocessing === null ? null : preprocessingFromJson(file.preprocessing, where));
    checkModelConsistency(file, model, pre, where);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    throw new ValueError(`${error.message} (loadModel would refuse this file, so nothing was written)`);
  }
}

function checkReplaceable(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const foreign = entries.filter((e) => !(MODEL_DIR_FILES as readonly string[]).includes(e));
  if (foreign.length > 0) {
    throw new ValueError(
      `save: ${dir} already holds files that are not part of a model (${foreign.slice(0, 3).join(", ")}); choose an empty or new directory`,
    );
  }
}

/**
 * Saves a model directory atomically: a crash leaves the old directory or the new one, never a mix
 * (a kill between atomic-write's two renames is finished by the next save or load, see
 * directory-recovery.ts, which also removes the temporary folders of killed saves).
 * @example
 * await saveModel(model, "runs/house-prices/model"); // or "file://./runs/house-prices/model"
 */
export async function saveModel(
  model: Model,
  location: string | URL,
  options: SaveOptions = {},
): Promise<ModelFile> {
  const dir = modelDirToSave(location);
  const { files, file } = modelFiles(model, options);
  recoverDirectory(dir);
  checkReplaceable(dir);
  await writeDirectoryAtomic(dir, files);
  return file;
}

/** saveModel, synchronously (for training callbacks), with extra files (checkpoint state). */
export function saveModelSync(
  model: Model,
  dir: string,
  options: SaveOptions = {},
  extraFiles: Readonly<Record<string, Uint8Array | string>> = {},
): ModelFile {
  const { files, file } = modelFiles(model, options);
  recoverDirectory(dir);
  checkReplaceable(dir);
  writeDirectoryAtomicSync(dir, { ...files, ...extraFiles });
  return file;
}

// Local names: inside the augmentation, SaveOptions and ModelFile would name model-api's own aliases.
type IoSaveOptions = SaveOptions;
type IoModelFile = ModelFile;
type IoExportOnnxOptions = ExportOnnxOptions;

declare module "../models/model-api.js" {
  interface ModelApiTypes {
    SaveOptions: IoSaveOptions;
    ModelFile: IoModelFile;
    ExportOnnxOptions: IoExportOnnxOptions;
  }
}

// Model.save() and Model.exportOnnx() call saveModel and exportOnnx through models/model-api.ts.
registerSaver({
  save: (model, dir, options) => saveModel(model, dir, options),
  exportOnnx: (model, path, options) => exportOnnx(model, path, options),
});
