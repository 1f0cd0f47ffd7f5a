// io/save-model: saveModel(model, dir), which Model.save(dir) calls (registered with
// models/model-api.ts when this file loads). The files of a model directory (model.json +
// weights.safetensors, see model-format.ts) come from the portable model-to-bytes.ts; this file
// hashes the weights with node:crypto and writes the directory atomically as a unit.
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { ValueError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import { registerSaver } from "../models/model-api.js";
import { writeDirectoryAtomic, writeDirectoryAtomicSync } from "./atomic-write.js";
import { recoverDirectory } from "./directory-recovery.js";
import { MODEL_DIR_FILES, type ModelFile } from "./model-format.js";
import { modelDirToSave } from "./model-path.js";
import { encodeModel, type ModelFiles } from "./model-to-bytes.js";
import { type ExportOnnxOptions, exportOnnx } from "./onnx/export-onnx.js";
import type { SaveOptions } from "./save-info.js";

export { attachSaveInfo, type SaveOptions, savedInfoOf } from "./save-info.js";

/** The files of a model directory, in memory (the weights hashed with node:crypto). */
export function modelFiles(model: Model, options: SaveOptions = {}): ModelFiles {
  const encoded = encodeModel(model, options);
  return encoded.finish(createHash("sha256").update(encoded.weights).digest("hex"));
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
