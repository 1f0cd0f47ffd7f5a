// data/pii/keys: finding the pseudonymisers inside a fitted preprocessing (a step, a Pipeline or a
// ColumnTransformer, nested) and giving them their keys after a pipeline was loaded. Keys come
// from the map given, then from the TESSERA_KEY_<ID> environment variable. Layer: data.
import { envVariable } from "../../core/env.js";
import { ConfigError } from "../../core/errors.js";
import { ColumnTransformer, Pipeline } from "../preprocess/pipeline.js";
import type { Transformer } from "../preprocess/transformer.js";
import { HmacPseudonymizer, keyVariable } from "./pseudonymize.js";

/** Every HmacPseudonymizer inside a preprocessing object. */
export function pseudonymizersIn(step: Transformer | ColumnTransformer): HmacPseudonymizer[] {
  if (step instanceof HmacPseudonymizer) return [step];
  if (step instanceof Pipeline) return step.steps.flatMap(([, s]) => pseudonymizersIn(s));
  if (step instanceof ColumnTransformer)
    return step.groups.flatMap(([, s]) => (typeof s === "string" ? [] : pseudonymizersIn(s)));
  return [];
}

/** The key ids a preprocessing object needs and does not hold yet. */
export function missingKeys(step: Transformer | ColumnTransformer): string[] {
  return [
    ...new Set(
      pseudonymizersIn(step)
        .filter((p) => !p.hasKey)
        .map((p) => p.keyId),
    ),
  ];
}

/**
 * Gives each keyless pseudonymiser its key (from `keys`, else TESSERA_KEY_<ID>). With `require`
 * (the default) a key found nowhere is a ConfigError naming both ways to give it; a wrong key is
 * always one. `where` prefixes the messages.
 */
export function supplyKeys(
  step: Transformer | ColumnTransformer,
  keys: Readonly<Record<string, string | Uint8Array>> = {},
  options: { require?: boolean; where?: string } = {},
): void {
  const prefix = options.where === undefined ? "" : `${options.where}: `;
  for (const p of pseudonymizersIn(step)) {
    if (p.hasKey) continue;
    const key = Object.hasOwn(keys, p.keyId) ? keys[p.keyId] : envVariable(keyVariable(p.keyId));
    if (key === undefined) {
      if (options.require === false) continue;
      throw new ConfigError(
        `${prefix}the preprocessing pseudonymises with key "${p.keyId}", which is never saved; pass it with loadModel(dir, { keys: { "${p.keyId}": ... } }) or set ${keyVariable(p.keyId)}`,
      );
    }
    try {
      p.supplyKey(key);
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(`${prefix}${error.message}`);
      throw error;
    }
  }
}
