// examples/digits-cnn/model: the digits CNN, in a file of its own with no node:* import so that
// the browser demo (examples/browser) trains the same network in a page's Web Worker.
import * as ts from "tessera-ml";

/** conv 3x3 (32) -> conv 3x3 (32) -> max-pool 2 -> conv 3x3 (64) -> max-pool 2 -> dense 128 -> dense 10. */
export function digitsCnn(): ts.Sequential {
  return ts.sequential([
    ts.layers.conv2d({
      filters: 32,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      inputShape: [8, 8, 1],
    }),
    ts.layers.conv2d({ filters: 32, kernelSize: 3, padding: "same", activation: "relu" }),
    ts.layers.maxPooling2d(), // 4x4
    ts.layers.conv2d({ filters: 64, kernelSize: 3, padding: "same", activation: "relu" }),
    ts.layers.maxPooling2d(), // 2x2
    ts.layers.flatten(),
    ts.layers.dropout({ rate: 0.3 }),
    ts.layers.dense({ units: 128, activation: "relu" }),
    ts.layers.dense({ units: 10 }),
  ]);
}
