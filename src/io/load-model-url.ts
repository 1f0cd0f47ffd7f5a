// io/load-model-url: loadModelFromUrl(baseUrl), a saved model directory over fetch (a page, a
// Worker, or Node 18+): model.json and weights.safetensors relative to the base URL, validated and
// rebuilt exactly as loadModel does (model-from-bytes.ts). No node:* import.
// Errors name the URL: an HTTP error status, a failed request and a corrupt file are FormatErrors.
import { FormatError, ValueError } from "../core/errors.js";
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

/** The subset of fetch() the loader calls. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface UrlLoadOptions extends LoadOptions {
  /** The fetch to use (default globalThis.fetch), e.g. one that adds credentials. */
  fetch?: FetchLike;
  /** Options passed to every request (headers, credentials, signal). */
  init?: RequestInit;
}

/** The directory URL, with a trailing slash; a URL ending in model.json names its directory. */
function directoryUrl(base: string | URL): URL {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(base, page);
  } catch {
    throw new ValueError(
      `loadModelFromUrl: "${String(base)}" is not a URL (and no page URL to resolve it against)`,
    );
  }
  if (url.pathname.endsWith(`/${MODEL_JSON}`)) return new URL(".", url);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

async function fetchBytes(
  fetcher: FetchLike,
  url: string,
  what: string,
  init: RequestInit | undefined,
  limit: ((size: number) => void) | undefined,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetcher(url, init);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FormatError(`${url}: cannot fetch ${what} (${reason})`);
  }
  if (!response.ok) {
    throw new FormatError(
      `${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""} (${what}); is this a Tessera model directory?`,
    );
  }
  const length = response.headers.get("content-length");
  if (limit !== undefined && length !== null && /^\d+$/.test(length)) limit(Number(length));
  let body: ArrayBuffer;
  try {
    body = await response.arrayBuffer();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FormatError(`${url}: reading ${what} failed (${reason})`);
  }
  const bytes = new Uint8Array(body);
  limit?.(bytes.byteLength);
  return bytes;
}

/**
 * Loads a saved model directory over fetch with everything it holds (the model, the signature,
 * the fitted preprocessing): pass the bundle to `new ModelPredictor(bundle)` to predict on records.
 */
export async function loadModelBundleFromUrl(
  base: string | URL,
  options: UrlLoadOptions = {},
): Promise<LoadedModel> {
  const fetcher = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (fetcher === undefined)
    throw new ValueError("loadModelFromUrl: this host has no fetch(); pass options.fetch");
  const dir = directoryUrl(base);
  const jsonUrl = new URL(MODEL_JSON, dir).href;
  const weightsUrl = new URL(WEIGHTS_FILE, dir).href;
  const jsonBytes = await fetchBytes(fetcher, jsonUrl, "the model description", options.init, (size) =>
    checkModelJsonSize(size, jsonUrl, options),
  );
  const file = parseModelJson(jsonBytes, jsonUrl);
  const weights = await fetchBytes(fetcher, weightsUrl, "the weights", options.init, (size) =>
    checkWeightsSize(size, file, weightsUrl, options),
  );
  const prepared = prepareModel(file, weights.byteLength, jsonUrl, options);
  finishModel(prepared, weights, await sha256Hex(weights), { json: jsonUrl, weights: weightsUrl }, options);
  return { model: prepared.model, file, dir: dir.href, preprocessing: prepared.preprocessing };
}

/**
 * Loads a saved model from a URL, as loadModel loads it from a directory. Loading never runs code
 * from the files: layer classes come from the registry.
 * @example
 * const model = await ts.loadModelFromUrl("/models/iris/"); // model.json + weights.safetensors
 * model.predict(x);
 */
export async function loadModelFromUrl(base: string | URL, options: UrlLoadOptions = {}): Promise<Model> {
  return (await loadModelBundleFromUrl(base, options)).model;
}
