// io/model-to-bytes: the portable half of saving a model directory, shared by saveModel (files,
// save-model.ts) and the browser's IndexedDB store and download (io/web/). From a built model: the
// weights encoded as safetensors, then model.json (architecture, weights manifest with its SHA-256,
// training config, preprocessing, signature, metrics, metadata) checked exactly as loading checks
// it. The SHA-256 is a step of its own so Node hashes with node:crypto and a page with WebCrypto.
// Mirrors model-from-bytes.ts. No node:* import (it runs in a browser).
import { getBackend } from "../backend/registry.js";
import type { DType } from "../core/dtype.js";
import { FormatError, ValueError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { Functional } from "../models/functional.js";
import { Model } from "../models/model.js";
import { Sequential } from "../models/sequential.js";
import { InputLayer } from "../nn/layers/input.js";
import { serializeLayer } from "../nn/registry.js";
import type { Tensor } from "../tensor/tensor.js";
import { privacySpentOf } from "../train/privacy/private-fit.js";
import { withCard } from "./model-card.js";
import { checkModelConsistency } from "./model-consistency.js";
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  MODEL_JSON,
  type ModelFile,
  type ModelSignature,
  type TensorSignature,
  validateModelFile,
  WEIGHTS_FILE,
} from "./model-format.js";
import { sha256Hex } from "./model-from-bytes.js";
import { type ModelPreprocessing, preprocessingFromJson, preprocessingToJson } from "./preprocessing.js";
import { encodeSafetensors } from "./safetensors.js";
import { type SaveOptions, savedInfoOf } from "./save-info.js";
import type { JsonObject, JsonValue } from "./strict-json.js";
import { compileConfigOf } from "./training-config.js";

/** The files of a model directory in memory (model.json as text, the weights as bytes), and model.json parsed. */
export interface ModelFiles {
  files: Record<string, Uint8Array | string>;
  file: ModelFile;
}

/** A model's weights encoded; `finish` builds model.json around them once their SHA-256 is known. */
export interface EncodedModel {
  readonly weights: Uint8Array;
  finish(sha256Hex: string): ModelFiles;
}

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

/**
 * Where the model was saved: Node's version and `platform-arch` under Node (what saveModel has
 * always written), `platform: "browser"` elsewhere.
 */
function runtimeMetadata(): JsonObject {
  const proc = (globalThis as { process?: { version?: unknown; platform?: unknown; arch?: unknown } })
    .process;
  if (proc !== undefined && typeof proc.version === "string" && typeof proc.platform === "string") {
    return { node: proc.version, platform: `${proc.platform}-${String(proc.arch)}` };
  }
  return { platform: "browser" };
}

/**
 * Encodes a built model's weights and prepares model.json: the first step of every save.
 * Refuses (ValueError) a model that is not built, duplicate weight names, and anything loadModel
 * would refuse.
 */
export function encodeModel(model: Model, options: SaveOptions = {}): EncodedModel {
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
  const finish = (sha256: string): ModelFiles => {
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
        sha256,
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
        ...runtimeMetadata(),
        backend: getBackend(),
        ...(info.metadata ?? {}),
        // the (epsilon, delta) guarantee of a differentially private fit (train/privacy)
        ...privacyMetadata(model),
      },
    });
    const text = `${JSON.stringify(file, null, 2)}\n`;
    checkLoadable(text, model, live);
    return { files: { [MODEL_JSON]: text, [WEIGHTS_FILE]: weightBytes }, file };
  };
  return { weights: weightBytes, finish };
}

/**
 * The files of a model directory in memory, the weights hashed with WebCrypto where the host has
 * it: what saveModel writes, for hosts without a file system.
 * @example
 * const { files } = await modelToBytes(model); // files["model.json"], files["weights.safetensors"]
 */
export async function modelToBytes(model: Model, options: SaveOptions = {}): Promise<ModelFiles> {
  const encoded = encodeModel(model, options);
  return encoded.finish(await sha256Hex(encoded.weights));
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
