// nn/layers: every built-in layer class, and camelCase factories for the public `layers`
// namespace (ts.layers.dense({ units: 8 })).
import { Dense, type DenseArgs } from "./dense.js";
import { type InputArgs, InputLayer } from "./input.js";

export { Dense, type DenseArgs } from "./dense.js";
export { type InputArgs, InputLayer, input } from "./input.js";

/** A Dense layer: activation(x @ kernel + bias). */
export const dense = (args: DenseArgs): Dense => new Dense(args);
/** An InputLayer (for the first position of a sequential model); input() gives its placeholder. */
export const inputLayer = (args: InputArgs): InputLayer => new InputLayer(args);
