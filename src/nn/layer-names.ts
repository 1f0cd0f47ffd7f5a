// nn/layer-names: Keras-style automatic names. The first Dense is "dense", the next "dense_1", ...
// Counters are per session (per process); resetLayerNames() restarts them (tests, notebooks).

// Keras to_snake_case lives in core/config with the other name helpers.
export { toSnakeCase } from "../core/config.js";

const counters = new Map<string, number>();

/** The next unique name for a prefix: "dense", then "dense_1", "dense_2", ... */
export function uniqueLayerName(prefix: string): string {
  const used = counters.get(prefix) ?? 0;
  counters.set(prefix, used + 1);
  return used === 0 ? prefix : `${prefix}_${used}`;
}

/** Restarts every automatic name counter (like keras.backend.clear_session()). */
export function resetLayerNames(): void {
  counters.clear();
}
