// data/preprocess/registry: rebuilds a preprocessing object from its toJSON() state. The table is
// closed: only the classes listed in registry-entries.ts can be named by a saved file, so loading
// state never runs code the file chooses. Pipeline and ColumnTransformer get this loader passed in
// for their nested steps, so there is no import cycle with pipeline.ts. Layer: data.
import { describe } from "../../core/config.js";
import { ConfigError } from "../../core/errors.js";
import { Registry } from "../../core/registry.js";
import type { StepLoader } from "./pipeline.js";
import { coercers } from "./registry-entries.js";

export type Loaded = ReturnType<(typeof coercers)[keyof typeof coercers]>;

let types: Registry<(json: unknown) => Loaded> | undefined;

/** The closed table, type name (matched exactly) -> loader; built on first use. */
function loaders(): Registry<(json: unknown) => Loaded> {
  if (types === undefined) {
    types = new Registry({ kind: "type", match: "exact" });
    for (const [name, load] of Object.entries(coercers))
      types.register(name, (json: unknown) =>
        (load as (json: unknown, loadStep: StepLoader) => Loaded)(json, transformerFromJSON),
      );
  }
  return types;
}

/**
 * A transformer, Pipeline, ColumnTransformer or LabelEncoder from its JSON state.
 * @example
 * const again = transformerFromJSON(JSON.parse(JSON.stringify(pipeline.toJSON())));
 */
export function transformerFromJSON(json: unknown): Loaded {
  const type = typeof json === "object" && json !== null ? (json as { type?: unknown }).type : undefined;
  if (typeof type !== "string") {
    throw new ConfigError(
      `transformerFromJSON: expected a transformer's JSON state with a string "type" (got type ${describe(type)})`,
    );
  }
  return loaders().require("transformerFromJSON", type).value(json);
}
