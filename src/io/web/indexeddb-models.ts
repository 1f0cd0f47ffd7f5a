// io/web/indexeddb-models: saved models in the browser's IndexedDB, by key. A stored model is the
// bytes of a model directory (model.json, weights.safetensors, the fitted preprocessing inside
// model.json) from the same serialization as saveModel (model-to-bytes.ts), and it loads through
// the same validation as loadModel (model-from-bytes.ts). A save is one transaction over the
// models and the catalog stores: it replaces the previous copy under its key whole, or (any
// failure) leaves it as it was. The catalog lists the models without reading their weights.
// No node:* import.
import { FormatError, ValueError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import { MODEL_JSON, type ModelFile, WEIGHTS_FILE } from "../model-format.js";
import { type LoadedModel, type LoadOptions, modelFromBytes } from "../model-from-bytes.js";
import { modelToBytes } from "../model-to-bytes.js";
import type { SaveOptions } from "../save-info.js";
import { type IdbFactory, indexedDbOf, inTransaction, openDatabase, requestResult } from "./indexeddb.js";

/** The database models are kept in unless options.database names another. */
export const DEFAULT_MODEL_DATABASE = "tessera-models";
const MODELS = "models";
const CATALOG = "catalog";

export interface IndexedDbOptions {
  /** Database name (default "tessera-models"). */
  database?: string;
  /** The IndexedDB factory (default the host's `indexedDB`). */
  indexedDB?: IdbFactory;
}

/** One entry of listModelsInIndexedDb. */
export interface StoredModelInfo {
  readonly key: string;
  /** The model's name (its architecture's). */
  readonly name: string;
  /** When it was saved (ISO 8601, from model.json's metadata). */
  readonly savedAt: string;
  /** Bytes of model.json plus the weights. */
  readonly bytes: number;
  /** SHA-256 of the weights, as model.json records it. */
  readonly sha256: string;
}

interface StoredModel {
  readonly files: { readonly [MODEL_JSON]: string; readonly [WEIGHTS_FILE]: Uint8Array };
}

function checkKey(op: string, key: unknown): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new ValueError(`${op}: key must be a non-empty string (got ${JSON.stringify(key) ?? typeof key})`);
  }
  return key;
}

async function open(op: string, options: IndexedDbOptions) {
  const name = options.database ?? DEFAULT_MODEL_DATABASE;
  return { db: await openDatabase(op, indexedDbOf(op, options.indexedDB), name, [MODELS, CATALOG]), name };
}

/** A copy that owns exactly its bytes (structured clone copies a view's whole buffer). */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/**
 * Saves a model to IndexedDB under `key`, replacing what was stored there in one transaction.
 * Takes saveModel's options (preprocessing, labels, metrics, metadata...). Returns model.json.
 * @example
 * await ts.saveModelToIndexedDb(model, "digits");
 * const again = await ts.loadModelFromIndexedDb("digits"); // after a reload too
 */
export async function saveModelToIndexedDb(
  model: Model,
  key: string,
  options: SaveOptions & IndexedDbOptions = {},
): Promise<ModelFile> {
  const op = "saveModelToIndexedDb";
  checkKey(op, key);
  const { database: _database, indexedDB: _factory, ...saveOptions } = options;
  // Everything is encoded before the transaction opens (it would commit while we awaited).
  const { files, file } = await modelToBytes(model, saveOptions);
  const json = files[MODEL_JSON] as string;
  const weights = ownBytes(files[WEIGHTS_FILE] as Uint8Array);
  const record: StoredModel = { files: { [MODEL_JSON]: json, [WEIGHTS_FILE]: weights } };
  const info: StoredModelInfo = {
    key,
    name: model.name,
    savedAt: String(file.metadata.createdAt ?? ""),
    bytes: new TextEncoder().encode(json).length + weights.length,
    sha256: file.weights.sha256,
  };
  const { db } = await open(op, options);
  try {
    await inTransaction(op, db, [MODELS, CATALOG], "readwrite", (tx) => {
      tx.objectStore(MODELS).put(record, key);
      tx.objectStore(CATALOG).put(info, key);
    });
  } finally {
    db.close();
  }
  return file;
}

/** The stored files under `key`, checked to be what saveModelToIndexedDb writes. */
function storedFiles(value: unknown, where: string): { json: string; weights: Uint8Array } {
  const files = (value as { files?: Record<string, unknown> } | null)?.files;
  const json = files?.[MODEL_JSON];
  const weights = files?.[WEIGHTS_FILE];
  if (typeof json !== "string" || !(weights instanceof Uint8Array)) {
    throw new FormatError(
      `${where}: not a model stored by saveModelToIndexedDb (no ${MODEL_JSON} text and ${WEIGHTS_FILE} bytes)`,
    );
  }
  return { json, weights };
}

/**
 * Loads a model stored by saveModelToIndexedDb with everything it holds (pass it to
 * `new ModelPredictor(bundle)` to predict on raw records), validated as loadModel validates files.
 */
export async function loadModelBundleFromIndexedDb(
  key: string,
  options: LoadOptions & IndexedDbOptions = {},
): Promise<LoadedModel> {
  const op = "loadModelFromIndexedDb";
  checkKey(op, key);
  const { db, name } = await open(op, options);
  let value: unknown;
  let keys: string[] = [];
  try {
    await inTransaction(op, db, [MODELS, CATALOG], "readonly", async (tx) => {
      value = await requestResult(op, tx.objectStore(MODELS).get(key));
      if (value === undefined) keys = catalogKeys(await requestResult(op, tx.objectStore(CATALOG).getAll()));
    });
  } finally {
    db.close();
  }
  const where = `indexeddb:${name}/${key}`;
  if (value === undefined) {
    const held = keys.length === 0 ? "it holds none" : `it holds ${keys.slice(0, 10).join(", ")}`;
    throw new ValueError(`${op}: no model under key "${key}" in IndexedDB database "${name}" (${held})`);
  }
  const { json, weights } = storedFiles(value, where);
  const { database: _database, indexedDB: _factory, ...loadOptions } = options;
  return modelFromBytes(json, weights, {
    ...loadOptions,
    where: { json: `${where}/${MODEL_JSON}`, weights: `${where}/${WEIGHTS_FILE}` },
    dir: where,
  });
}

/**
 * Loads a model stored by saveModelToIndexedDb.
 * @example
 * const model = await ts.loadModelFromIndexedDb("digits");
 */
export async function loadModelFromIndexedDb(
  key: string,
  options: LoadOptions & IndexedDbOptions = {},
): Promise<Model> {
  return (await loadModelBundleFromIndexedDb(key, options)).model;
}

function catalogKeys(entries: unknown[]): string[] {
  return entries.flatMap((e) =>
    typeof (e as StoredModelInfo | null)?.key === "string" ? [(e as StoredModelInfo).key] : [],
  );
}

/** The models stored in IndexedDB (their catalog entries, weights not read), by key. */
export async function listModelsInIndexedDb(options: IndexedDbOptions = {}): Promise<StoredModelInfo[]> {
  const op = "listModelsInIndexedDb";
  const { db } = await open(op, options);
  try {
    const entries = await inTransaction(op, db, [CATALOG], "readonly", (tx) =>
      requestResult(op, tx.objectStore(CATALOG).getAll()),
    );
    return (entries as StoredModelInfo[])
      .filter((e) => typeof e?.key === "string")
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } finally {
    db.close();
  }
}

/** Deletes the model stored under `key`; true when there was one. */
export async function deleteModelFromIndexedDb(
  key: string,
  options: IndexedDbOptions = {},
): Promise<boolean> {
  const op = "deleteModelFromIndexedDb";
  checkKey(op, key);
  const { db } = await open(op, options);
  try {
    return await inTransaction(op, db, [MODELS, CATALOG], "readwrite", async (tx) => {
      const existed = (await requestResult(op, tx.objectStore(MODELS).count(key))) > 0;
      tx.objectStore(MODELS).delete(key);
      tx.objectStore(CATALOG).delete(key);
      return existed;
    });
  } finally {
    db.close();
  }
}
