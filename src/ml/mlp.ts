// ml/mlp: the multi-layer perceptron that MLPClassifier and MLPRegressor share, with scikit-learn's
// defaults: ReLU hidden layers (100 units), Glorot-uniform weights, Adam (lr 1e-3) on shuffled
// mini-batches of min(200, n) rows, L2 penalty alpha, stop when the training loss has not improved
// by tol for nIterNoChange epochs. Output: identity (regression), sigmoid (2 classes) or softmax.
// Products go through ops/linalg's matmul. Shapes: activations [B, units], weights [in, out].
import { FormatError } from "../core/errors.js";
import type { Generator } from "../core/random.js";
import { type JsonValue, stateNumbers, toNumbers } from "./estimator.js";
import {
  checkFeatures,
  type Matrix,
  type MatrixInput,
  matmulMatrix,
  takeMatrixRows,
  toMatrix,
} from "./matrix.js";
import { intOption, positiveOption } from "./params.js";

export interface MLPOptions {
  /** Units of each hidden layer (default [100]). */
  hiddenLayerSizes?: number[];
  /** L2 penalty (default 1e-4). */
  alpha?: number;
  learningRate?: number;
  /** Epochs at most (default 200). */
  maxIter?: number;
  batchSize?: number;
  tol?: number;
  nIterNoChange?: number;
  seed?: number;
}

export type MLPOutput = "identity" | "sigmoid" | "softmax";

export interface MLPNetwork {
  /** weights[l] is [in, out] row-major; biases[l] is [out]. */
  weights: Matrix[];
  biases: Float64Array[];
  output: MLPOutput;
}

/** Validated options. */
export function mlpParams(op: string, o: MLPOptions) {
  const hidden = o.hiddenLayerSizes ?? [100];
  hidden.forEach((h, i) => {
    intOption(op, `hiddenLayerSizes[${i}]`, h, 1, 1);
  });
  return {
    hidden,
    alpha: positiveOption(op, "alpha", o.alpha, 1e-4, true),
    learningRate: positiveOption(op, "learningRate", o.learningRate, 1e-3),
    maxIter: intOption(op, "maxIter", o.maxIter, 200),
    batchSize: o.batchSize === undefined ? undefined : intOption(op, "batchSize", o.batchSize, 200),
    tol: positiveOption(op, "tol", o.tol, 1e-4, true),
    nIterNoChange: intOption(op, "nIterNoChange", o.nIterNoChange, 10),
  };
}

/** Activations of every layer for rows x: [input, hidden..., output] (output after its link). */
export function forward(net: MLPNetwork, x: Matrix): Matrix[] {
  const acts: Matrix[] = [x];
  net.weights.forEach((w, l) => {
    const z = matmulMatrix(acts[l]!, w);
    const b = net.biases[l]!;
    const last = l === net.weights.length - 1;
    for (let i = 0; i < z.rows; i++) {
      for (let j = 0; j < z.cols; j++) {
        const v = z.data[i * z.cols + j]! + b[j]!;
        z.data[i * z.cols + j] = last ? v : Math.max(v, 0);
      }
      if (last && net.output === "sigmoid") z.data[i] = 1 / (1 + Math.exp(-z.data[i]!));
      if (last && net.output === "softmax") {
        const row = z.data.subarray(i * z.cols, (i + 1) * z.cols);
        const max = Math.max(...row);
        let sum = 0;
        for (let j = 0; j < row.length; j++) sum += row[j] = Math.exp(row[j]! - max);
        for (let j = 0; j < row.length; j++) row[j]! /= sum;
      }
    }
    acts.push(z);
  });
  return acts;
}

/** The network's output for X [n, outputs], X checked against its input size (predict of both MLPs). */
export function predictNetwork(op: string, net: MLPNetwork, xInput: MatrixInput): Matrix {
  const x = toMatrix(op, xInput);
  checkFeatures(op, x, net.weights[0]!.rows);
  const acts = forward(net, x);
  return acts[acts.length - 1]!;
}

/** Trains a network on (x, targets [n, outputs]) and returns it with its final training loss. */
export function trainMLP(
  x: Matrix,
  targets: Matrix,
  output: MLPOutput,
  p: ReturnType<typeof mlpParams>,
  rng: Generator,
): MLPNetwork {
  const sizes = [x.cols, ...p.hidden, targets.cols];
  const net: MLPNetwork = { weights: [], biases: [], output };
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    const bound = Math.sqrt((output === "sigmoid" && l + 2 === sizes.length ? 2 : 6) / (fanIn + fanOut));
    net.weights.push({
      rows: fanIn,
      cols: fanOut,
      data: Float64Array.from({ length: fanIn * fanOut }, () => rng.uniform(-bound, bound)),
    });
    net.biases.push(Float64Array.from({ length: fanOut }, () => rng.uniform(-bound, bound)));
  }
  const params = [...net.weights.map((w) => w.data), ...net.biases];
  const m = params.map((a) => new Float64Array(a.length));
  const v = params.map((a) => new Float64Array(a.length));
  const batch = Math.min(p.batchSize ?? 200, x.rows);
  let step = 0;
  let best = Number.POSITIVE_INFINITY;
  let stall = 0;
  for (let epoch = 0; epoch < p.maxIter; epoch++) {
    const order = rng.permutation(x.rows);
    let epochLoss = 0;
    for (let start = 0; start < x.rows; start += batch) {
      const rows = order.slice(start, start + batch);
      const xb = takeMatrixRows(x, rows);
      const yb = takeMatrixRows(targets, rows);
      const acts = forward(net, xb);
      const out = acts[acts.length - 1]!;
      const nb = rows.length;
      // delta of the last layer: (prediction - target) / B for all three output links.
      let delta: Matrix = { rows: nb, cols: out.cols, data: new Float64Array(out.data.length) };
      for (let q = 0; q < out.data.length; q++) {
        const pred = out.data[q]!;
        const t = yb.data[q]!;
        delta.data[q] = (pred - t) / nb;
        if (output === "identity") epochLoss += 0.5 * (pred - t) ** 2;
        else if (output === "sigmoid")
          epochLoss -= t * Math.log(Math.max(pred, 1e-15)) + (1 - t) * Math.log(Math.max(1 - pred, 1e-15));
        else if (t > 0) epochLoss -= t * Math.log(Math.max(pred, 1e-15));
      }
      const grads: Float64Array[] = new Array(params.length);
      for (let l = net.weights.length - 1; l >= 0; l--) {
        const w = net.weights[l]!;
        const dw = matmulMatrix(acts[l]!, delta, { transposeA: true }).data; // [in, out]
        for (let q = 0; q < dw.length; q++) dw[q]! += (p.alpha * w.data[q]!) / nb;
        const db = new Float64Array(w.cols);
        for (let i = 0; i < nb; i++) for (let j = 0; j < w.cols; j++) db[j]! += delta.data[i * w.cols + j]!;
        grads[l] = dw;
        grads[net.weights.length + l] = db;
        if (l > 0) {
          const back = matmulMatrix(delta, w, { transposeB: true }); // [B, in]
          const a = acts[l]!;
          for (let q = 0; q < back.data.length; q++) if (a.data[q]! <= 0) back.data[q] = 0;
          delta = back;
        }
      }
      step++;
      const lr = (p.learningRate * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step);
      params.forEach((param, k) => {
        const g = grads[k]!;
        const mk = m[k]!;
        const vk = v[k]!;
        for (let q = 0; q < param.length; q++) {
          mk[q] = 0.9 * mk[q]! + 0.1 * g[q]!;
          vk[q] = 0.999 * vk[q]! + 0.001 * g[q]! * g[q]!;
          param[q]! -= (lr * mk[q]!) / (Math.sqrt(vk[q]!) + 1e-8);
        }
      });
    }
    const loss = epochLoss / x.rows;
    if (loss > best - p.tol) {
      if (++stall >= p.nIterNoChange) break;
    } else stall = 0;
    best = Math.min(best, loss);
  }
  return net;
}

export function networkToJson(net: MLPNetwork): { [key: string]: JsonValue } {
  return {
    output: net.output,
    shapes: net.weights.map((w) => [w.rows, w.cols]),
    weights: net.weights.map((w) => toNumbers(w.data)),
    biases: net.biases.map(toNumbers),
  };
}

export function networkFromJson(kind: string, fitted: { [key: string]: JsonValue }): MLPNetwork {
  const { shapes, weights: w, biases: b, output } = fitted;
  const isShape = (s: JsonValue): boolean =>
    Array.isArray(s) && s.length === 2 && s.every((d) => Number.isInteger(d) && (d as number) > 0);
  if (
    !Array.isArray(shapes) ||
    !shapes.every(isShape) ||
    !Array.isArray(w) ||
    !Array.isArray(b) ||
    w.length !== shapes.length ||
    b.length !== shapes.length ||
    !["identity", "sigmoid", "softmax"].includes(output as string)
  ) {
    throw new FormatError(
      `${kind}.fromJSON: fitted network must hold matching shapes, weights, biases and an output link`,
    );
  }
  return networkArrays(kind, fitted);
}

function networkArrays(kind: string, fitted: { [key: string]: JsonValue }): MLPNetwork {
  const shapes = fitted.shapes as [number, number][];
  const weights = (fitted.weights as JsonValue[]).map((_, l) => {
    const [rows, cols] = shapes[l]!;
    return {
      rows,
      cols,
      data: stateNumbers(kind, { w: (fitted.weights as JsonValue[])[l]! }, "w", rows * cols),
    };
  });
  const biases = (fitted.biases as JsonValue[]).map((b, l) => stateNumbers(kind, { b }, "b", shapes[l]![1]));
  return { weights, biases, output: fitted.output as MLPOutput };
}
