// bench/lstm-tfjs: the LSTM training benchmark on TensorFlow.js 4.22 (tfjs-core with the cpu and
// wasm backends), built from tfjs-core ops the way tf.layers would run it: tf.basicLSTMCell over
// 32 steps (one fused [x, h] @ W GEMM per step), then a dense output, MSE loss, tf.train.adam(1e-3).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export interface TfjsResult {
  perSecond: number | null;
  note: string;
}

export interface LstmShape {
  batch: number;
  steps: number;
  features: number;
  units: number;
}

/** Samples per second of `iterations` timed Adam steps (after `warmup` untimed ones) on one backend. */
export async function runTfjsLstm(
  backend: "cpu" | "wasm",
  shape: LstmShape,
  options: { iterations: number; warmup: number; wasmDir: string },
): Promise<TfjsResult> {
  if (backend === "wasm")
    setWasmPaths(options.wasmDir.endsWith("/") ? options.wasmDir : `${options.wasmDir}/`);
  if (!(await tf.setBackend(backend))) return { perSecond: null, note: "backend failed to load" };
  await tf.ready();
  const { batch, steps, features, units } = shape;
  const limit = Math.sqrt(6 / (features + units + 4 * units));
  const kernel = tf.variable(
    tf.randomUniform([features + units, 4 * units], -limit, limit, "float32", 1),
  ) as tf.Variable<tf.Rank.R2>;
  const bias = tf.variable(tf.zeros([4 * units])) as tf.Variable<tf.Rank.R1>;
  const dense = tf.variable(tf.randomUniform([units, 1], -0.2, 0.2, "float32", 2));
  const denseBias = tf.variable(tf.zeros([1]));
  const forgetBias = tf.scalar(1);
  const xs = tf.unstack(tf.randomNormal([steps, batch, features], 0, 1, "float32", 3)) as tf.Tensor2D[];
  const y = tf.randomNormal([batch, 1], 0, 1, "float32", 4);
  const optimizer = tf.train.adam(1e-3);
  const step = (): void => {
    const cost = optimizer.minimize(
      () => {
        let c = tf.zeros([batch, units]) as tf.Tensor2D;
        let h = tf.zeros([batch, units]) as tf.Tensor2D;
        for (const x of xs) [c, h] = tf.basicLSTMCell(forgetBias, kernel, bias, x, c, h);
        const out = tf.add(tf.matMul(h, dense), denseBias);
        return tf.losses.meanSquaredError(y, out) as tf.Scalar;
      },
      true,
      [kernel, bias, dense, denseBias],
    );
    cost?.dataSync();
    cost?.dispose();
  };
  for (let i = 0; i < options.warmup; i++) step();
  const start = performance.now();
  for (let i = 0; i < options.iterations; i++) step();
  const seconds = (performance.now() - start) / 1000;
  for (const t of [kernel, bias, dense, denseBias, forgetBias, y, ...xs]) t.dispose();
  optimizer.dispose();
  return {
    perSecond: (batch * options.iterations) / seconds,
    note: `tf.basicLSTMCell, ${options.iterations} steps`,
  };
}
