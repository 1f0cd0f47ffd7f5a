// io/tfjs/keras2-hard-sigmoid: TensorFlow.js (like Keras 2) defines hard_sigmoid as
// clip(0.2 x + 0.5, 0, 1), Tessera (like Keras 3) as clip(x / 6 + 0.5, 0, 1). Since
// 0.2 x = (1.2 x) / 6, a tfjs layer's hard_sigmoid equals Tessera's applied to pre-activations
// scaled by 1.2, and pre-activations are linear in the weights: scaling the kernel, recurrent
// kernel and bias columns that feed a hard_sigmoid by 1.2 makes the imported layer exact. This
// is what tfjs's default LSTM/GRU (recurrent_activation "hard_sigmoid") needs.
import { ConfigError } from "../../core/errors.js";
import type { Layer } from "../../nn/layer.js";

const SCALE = 1.2;

/** Gate blocks fed through each activation option, by class (G blocks of `units` columns). */
const BLOCKS: Readonly<Record<string, { blocks: number; activation: number[] | null; recurrent: number[] }>> =
  {
    LSTM: { blocks: 4, activation: null, recurrent: [0, 1, 3] }, // [i f c o]; activation also acts on c
    GRU: { blocks: 3, activation: [2], recurrent: [0, 1] }, // [z r h]
    SimpleRNN: { blocks: 1, activation: [0], recurrent: [] },
  };
const PLAIN = new Set(["Dense", "Conv1D", "Conv2D"]);

function scaleColumns(layer: Layer, width: number, scaled: (column: number) => boolean): void {
  for (const weight of layer.weights) {
    const data = weight.data as Float32Array | Float64Array;
    for (let i = 0; i < data.length; i++) if (scaled(i % width)) data[i] = data[i]! * SCALE;
  }
}

/** Rewrites a loaded tfjs layer's weights so Tessera's hard_sigmoid reproduces tfjs's. */
export function adaptKeras2HardSigmoid(layer: Layer): void {
  const config = layer.getConfig();
  const onActivation = config.activation === "hard_sigmoid";
  const onRecurrent = config.recurrentActivation === "hard_sigmoid";
  if (!onActivation && !onRecurrent) return;
  const gates = BLOCKS[layer.className];
  if (gates !== undefined) {
    const units = Number(config.units);
    if (onActivation && gates.activation === null) {
      throw new ConfigError(
        `layer "${layer.name}" (${layer.className}): a tfjs hard_sigmoid activation cannot be imported`,
      );
    }
    const blocks = new Set([
      ...(onActivation ? (gates.activation ?? []) : []),
      ...(onRecurrent ? gates.recurrent : []),
    ]);
    scaleColumns(layer, gates.blocks * units, (column) => blocks.has(Math.floor(column / units)));
    return;
  }
  if (onActivation && PLAIN.has(layer.className)) {
    const kernel = layer.weights[0];
    scaleColumns(layer, kernel?.shape[kernel.shape.length - 1] ?? 1, () => true);
    return;
  }
  throw new ConfigError(
    `layer "${layer.name}" (${layer.className}): a tfjs hard_sigmoid activation cannot be imported`,
  );
}
