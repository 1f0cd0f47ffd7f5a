// data/preprocess/registry: rebuilds a preprocessing object from its toJSON() state. The table is
// closed: only the classes listed here can be named by a saved file, so loading state never runs
// code the file chooses. Entries are functions so the module cycle with pipeline.ts is harmless.
// Layer: data.
import { ValueError } from "../../core/errors.js";
import { coercers } from "./registry-entries.js";

export type Loaded = ReturnType<(typeof coercers)[keyof typeof coercers]>;

/**
 * A transformer, Pipeline, ColumnTransformer or LabelEncoder from its JSON state.
 * @example
 * const again = transformerFromJSON(JSON.parse(JSON.stringify(pipeline.toJSON())));
 */
export function transformerFromJSON(json: unknown): Loaded {
  const type = typeof json === "object" && json !== null ? (json as { type?: unknown }).type : undefined;
  if (typeof type !== "string" || !Object.hasOwn(coercers, type)) {
    throw new ValueError(
      `transformerFromJSON: unknown type ${JSON.stringify(type)} (known: ${Object.keys(coercers).join(", ")})`,
    );
  }
  return coercers[type as keyof typeof coercers](json);
}
