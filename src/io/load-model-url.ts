// io/load-model-url: loadModelFromUrl(baseUrl), a saved model directory over fetch (a page, a
// Worker, or Node 18+): model.json and weights.safetensors relative to the base URL, validated and
// rebuilt exactly as loadModel does (model-from-bytes.ts); or a URL ending in .zip, the one-file
// archive downloadModel gives (web/model-archive.ts). No node:* import.
// Errors name the URL: an HTTP error status, a failed request and a corrupt file are FormatErrors.
import type { Model } from "../models/model.js";
import { MODEL_JSON, WEIGHTS_FILE } from "./model-format.js";
import {
  checkModelJsonSize,
  checkWeightsSize,
  finishModel,
  type LoadedModel,
  type LoadOptions,
  parseModelJson,
  prepareModel,
  sha256Hex,
} from "./model-from-bytes.js";
import { type FetchLike, type FetchOptions, fetchBytes, fetchOf, resolveUrl } from "./web/fetch-response.js";
import { modelFromZip } from "./web/model-archive.js";

export type { FetchLike } from "./web/fetch-response.js";

export interface UrlLoadOptions extends LoadOptions, FetchOptions {}

const HINT = "is this a Tessera model directory?";

/** The directory URL, with a trailing slash; a URL ending in model.json names its directory. */
function directoryUrl(url: URL): URL {
  if (url.pathname.endsWith(`/${MODEL_JSON}`)) return new URL(".", url);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

/** A model archive (downloadModel's .zip) over fetch. */
async function loadArchive(fetcher: FetchLike, url: string, options: UrlLoadOptions): Promise<LoadedModel> {
  const bytes = await fetchBytes(fetcher, url, "the model archive", options.init, undefined, HINT);
  return modelFromZip(bytes, url, options);
}

/**
 * Loads a saved model directory over fetch with everything it holds (the model, the signature,
 * the fitted preprocessing): pass the bundle to `new ModelPredictor(bundle)` to predict on records.
 */
export async function loadModelBundleFromUrl(
  base: string | URL,
  options: UrlLoadOptions = {},
): Promise<LoadedModel> {
  const fetcher = fetchOf("loadModelFromUrl", options);
  const url = resolveUrl("loadModelFromUrl", base);
  if (url.pathname.endsWith(".zip")) return loadArchive(fetcher, url.href, options);
  const dir = directoryUrl(url);
  const jsonUrl = new URL(MODEL_JSON, dir).href;
  const weightsUrl = new URL(WEIGHTS_FILE, dir).href;
  const jsonBytes = await fetchBytes(
    fetcher,
    jsonUrl,
    "the model description",
    options.init,
    (size) => checkModelJsonSize(size, jsonUrl, options),
    HINT,
  );
  const file = parseModelJson(jsonBytes, jsonUrl);
  const weights = await fetchBytes(
    fetcher,
    weightsUrl,
    "the weights",
    options.init,
    (size) => checkWeightsSize(size, file, weightsUrl, options),
    HINT,
  );
  const prepared = prepareModel(file, weights.byteLength, jsonUrl, options);
  finishModel(prepared, weights, await sha256Hex(weights), { json: jsonUrl, weights: weightsUrl }, options);
  return { model: prepared.model, file, dir: dir.href, preprocessing: prepared.preprocessing };
}

/**
 * Loads a saved model from a URL, as loadModel loads it from a directory (or from downloadModel's
 * .zip, when the URL ends in .zip). Loading never runs code from the files: layer classes come from
 * the registry.
 * @example
 * const model = await ts.loadModelFromUrl("/models/iris/"); // model.json + weights.safetensors
 * model.predict(x);
 */
export async function loadModelFromUrl(base: string | URL, options: UrlLoadOptions = {}): Promise<Model> {
  return (await loadModelBundleFromUrl(base, options)).model;
}
