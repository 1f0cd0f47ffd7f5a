// test/helpers/tiny-regression: the small fit the training-callback checks run (dashboard,
// tensorBoard, the Python tfevents reader): 2 inputs, target x0 + x1, a one-hidden-layer dense
// regressor compiled with mse and mae. Each caller picks the hidden size, activation and optimizer.
import {
  type ActivationName,
  layers,
  type Model,
  type Optimizer,
  sequential,
  type Tensor,
  tensor,
} from "../../src/index.js";

const INPUTS = [
  [0, 1],
  [1, 0],
  [1, 1],
  [0, 0],
  [2, 1],
  [1, 2],
  [2, 2],
  [0, 2],
];

/** The first `rows` (at most 8) rows of the data: x [rows, 2] and y = x0 + x1 [rows, 1]. */
export function tinyRegressionData(rows = INPUTS.length): { x: Tensor; y: Tensor } {
  const inputs = INPUTS.slice(0, rows);
  return { x: tensor(inputs), y: tensor(inputs.map(([a, b]) => [a! + b!])) };
}

/** dense(units, activation) -> dense(1) on 2 inputs, compiled with loss mse and metric mae. */
export function tinyRegressor(units: number, activation: ActivationName, optimizer: Optimizer): Model {
  const model = sequential([
    layers.dense({ units, inputShape: [2], activation }),
    layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer, loss: "mse", metrics: ["mae"] });
  return model;
}
