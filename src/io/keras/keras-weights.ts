// io/keras/keras-weights: where Keras 3 keeps each layer's weights in model.weights.h5 and how they
// map onto a Tessera layer's weights. Keras saves the model's layer list under layers/<key>, the key
// being the layer's class name in snake_case, de-duplicated in model order (dense, dense_1, ...;
// not the layer's own name). A layer's variables sit in <key>/vars/0, 1, ... and those of its
// sub-layers in named sub-groups (an RNN's cell, an attention layer's query_dense, ...). Tessera
// stores the same tensors with the same layouts, in the order listed here. A model used as a layer
// keeps its own layers/ group inside its key, read the same way.
import { FormatError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import type { Layer } from "../../nn/layer.js";
import { Tensor } from "../../tensor/tensor.js";
import { type Hdf5Group, hdf5Get } from "../hdf5/hdf5-file.js";
import type { KerasLayerRef } from "./convert-model.js";

/** Keras's naming.to_snake_case. */
export function snakeCase(name: string): string {
  return name
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** Sub-layer groups in the order Tessera creates the matching weights; others follow by name. */
const SUBLAYER_ORDER = [
  "cell",
  "forward_layer",
  "backward_layer",
  "query_dense",
  "key_dense",
  "value_dense",
  "output_dense",
];

function rank(name: string): number {
  const i = SUBLAYER_ORDER.indexOf(name);
  return i < 0 ? SUBLAYER_ORDER.length : i;
}

/** Every variable under `group`, its own vars first, then its sub-layers'. */
function collect(group: Hdf5Group, out: Tensor[]): void {
  const vars = group.child("vars");
  if (vars?.kind === "group") {
    const names = vars.names().sort((a, b) => Number(a) - Number(b));
    for (const name of names) {
      const dataset = vars.child(name);
      if (dataset?.kind !== "dataset") throw new FormatError(`${vars.path}/${name}: expected a dataset`);
      out.push(new Tensor(Float32Array.from(dataset.read()), [...dataset.shape]));
    }
  }
  const subgroups = group
    .names()
    .filter((n) => n !== "vars")
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const name of subgroups) {
    const child = group.child(name);
    if (child?.kind === "group") collect(child, out);
  }
}

/** The h5 keys of the model's layers, in order (Sequential models leave their InputLayer out). */
export function layerKeys(layers: readonly KerasLayerRef[], sequential: boolean): (string | null)[] {
  const used = new Map<string, number>();
  return layers.map(({ kerasClass }) => {
    if (sequential && kerasClass === "InputLayer") return null;
    const base = snakeCase(kerasClass);
    const seen = used.get(base);
    used.set(base, seen === undefined ? 0 : seen + 1);
    return seen === undefined ? base : `${base}_${seen + 1}`;
  });
}

/** Fills each Tessera layer with its Keras weights; FormatError on a missing group or a count mismatch. */
export function assignKerasWeights(
  root: Hdf5Group,
  layers: readonly KerasLayerRef[],
  sequential: boolean,
  find: (name: string) => Layer,
): void {
  const keys = layerKeys(layers, sequential);
  layers.forEach((ref, i) => {
    const key = keys[i];
    if (key === null || key === undefined) return;
    const layer = find(ref.name);
    const group = hdf5Get(root, `layers/${key}`);
    if (ref.nested !== undefined) {
      if (group?.kind !== "group")
        throw new FormatError(`model.weights.h5: no group layers/${key} for model "${ref.name}"`);
      const inner = layer as Model;
      const sequentialInner = ref.nested.serialized.className === "Sequential";
      assignKerasWeights(group, ref.nested.layers, sequentialInner, (name) => inner.getLayer(name));
      return;
    }
    const values: Tensor[] = [];
    if (group?.kind === "group") collect(group, values);
    else if (layer.weights.length > 0) {
      throw new FormatError(`model.weights.h5: no group layers/${key} for layer "${ref.name}"`);
    }
    if (values.length !== layer.weights.length) {
      throw new FormatError(
        `model.weights.h5: layer "${ref.name}" (${ref.kerasClass}) has ${values.length} weights in layers/${key}, Tessera's layer has ${layer.weights.length}`,
      );
    }
    layer.setWeights(values);
  });
}
