// io/web/load-model-file: loadModelFromFile(file), a saved model from what the user picked or
// dropped: the .zip of downloadModel (or any zip of a model directory), or the directory's files
// themselves (model.json and weights.safetensors picked together, or a folder picked with
// <input webkitdirectory>). Validated as loadModel validates a directory; sizes are checked before
// the weights are read. No node:* import: Node 20 has Blob and File (fs.openAsBlob gives one).
import { FormatError, ValueError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import { MODEL_JSON, WEIGHTS_FILE } from "../model-format.js";
import {
  checkModelJsonSize,
  checkWeightsSize,
  type LoadedModel,
  type LoadOptions,
  modelFromBytes,
  parseModelJson,
} from "../model-from-bytes.js";
import { isZip, modelFromZip } from "./model-archive.js";

/** A picked file, or the files picked together (a FileList, an array). */
export type ModelFileInput = Blob | ArrayLike<Blob> | Iterable<Blob>;

function nameOf(blob: Blob): string {
  const name = (blob as { name?: unknown }).name;
  return typeof name === "string" && name !== "" ? name : "<blob>";
}

function filesOf(input: ModelFileInput): Blob[] {
  if (typeof Blob === "function" && input instanceof Blob) return [input];
  if (typeof input === "object" && input !== null) {
    const files = Array.from(input as ArrayLike<Blob>);
    if (files.length > 0 && files.every((f) => typeof Blob === "function" && f instanceof Blob)) return files;
  }
  throw new ValueError(
    "loadModelFromFile: expected a File or Blob, or the files of a model directory (a FileList or array)",
  );
}

async function fromArchive(blob: Blob, options: LoadOptions): Promise<LoadedModel> {
  const name = nameOf(blob);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (!isZip(bytes)) {
    const hint = name.endsWith(".json")
      ? `; pick ${MODEL_JSON} and ${WEIGHTS_FILE} together, or the .zip from downloadModel`
      : "";
    throw new FormatError(`${name}: not a zip archive of a model directory${hint}`);
  }
  return modelFromZip(bytes, name, options);
}

/**
 * Loads a saved model from a picked file or files, with everything it holds (pass it to
 * `new ModelPredictor(bundle)` to predict on raw records).
 */
export async function loadModelBundleFromFile(
  input: ModelFileInput,
  options: LoadOptions = {},
): Promise<LoadedModel> {
  const files = filesOf(input);
  const byName = (wanted: string) => files.filter((f) => nameOf(f) === wanted);
  const [json, ...moreJson] = byName(MODEL_JSON);
  if (json === undefined) {
    if (files.length === 1) return fromArchive(files[0]!, options);
    throw new FormatError(
      `loadModelFromFile: no ${MODEL_JSON} among the ${files.length} files (${files.slice(0, 5).map(nameOf).join(", ")})`,
    );
  }
  const [weights, ...moreWeights] = byName(WEIGHTS_FILE);
  if (moreJson.length > 0 || moreWeights.length > 0) {
    throw new FormatError(
      `loadModelFromFile: the files hold more than one model; pick one model's directory`,
    );
  }
  if (weights === undefined)
    throw new FormatError(`loadModelFromFile: ${MODEL_JSON} was picked without ${WEIGHTS_FILE}`);
  checkModelJsonSize(json.size, MODEL_JSON, options);
  const jsonBytes = new Uint8Array(await json.arrayBuffer());
  checkWeightsSize(weights.size, parseModelJson(jsonBytes, MODEL_JSON), WEIGHTS_FILE, options);
  return modelFromBytes(jsonBytes, new Uint8Array(await weights.arrayBuffer()), options);
}

/**
 * Loads a saved model from a picked file: downloadModel's .zip, or a directory's files together.
 * @example
 * input.onchange = async () => { model = await ts.loadModelFromFile(input.files); };
 */
export async function loadModelFromFile(input: ModelFileInput, options: LoadOptions = {}): Promise<Model> {
  return (await loadModelBundleFromFile(input, options)).model;
}
