// io/save-info: what save() writes besides the network (SaveOptions), and the extras a model
// carries from loading (attachSaveInfo/savedInfoOf) so a later save round-trips them. No node:*
// import, so the portable loader (model-from-bytes.ts) can attach them in a browser too.
import type { Model } from "../models/model.js";
import type { ModelCardInput } from "./model-card.js";
import type { ColumnSignature } from "./model-format.js";
import type { ModelPreprocessing } from "./preprocessing.js";
import type { JsonObject, JsonValue } from "./strict-json.js";

/** What save() writes besides the network itself. Values given here override what the model carries. */
export interface SaveOptions {
  /** The fitted preprocessing (or its JSON state), so raw records can be predicted on and served. */
  preprocessing?: ModelPreprocessing | JsonValue | null;
  /** Raw input columns the preprocessing takes. */
  columns?: readonly ColumnSignature[] | null;
  /** Target column name(s). */
  target?: readonly string[] | null;
  /** Class names in output order. */
  labels?: readonly string[] | null;
  /** Final metrics to record (e.g. test-set evaluation). */
  metrics?: Readonly<Record<string, number>> | null;
  /** Extra metadata (JSON data) merged into the creation metadata. */
  metadata?: JsonObject;
  /** compile() options in JSON form; by default taken from the compiled model when possible. */
  training?: JsonObject | null;
  /** A model card (io/model-card.ts); save fills its metrics, privacy and schema from the file. */
  card?: ModelCardInput | null;
}

/** Extras a model carries from loadModel() (or attachSaveInfo), so that save() round-trips them. */
const carried = new WeakMap<Model, SaveOptions>();

/** Attaches preprocessing, columns, labels, metrics or metadata that later save() calls write. */
export function attachSaveInfo(model: Model, info: SaveOptions): void {
  carried.set(model, { ...carried.get(model), ...info });
}

/** What attachSaveInfo() or loadModel() attached to a model. */
export function savedInfoOf(model: Model): SaveOptions {
  return carried.get(model) ?? {};
}
