// bench/mlp-tfjs: the MLP 784-256-256-10 training benchmark on TensorFlow.js 4.22 (tfjs-core with
// the cpu and wasm backends), built from tfjs-core ops the way tf.layers would: glorot-uniform
// kernels, zero biases, softmax cross-entropy on logits, tf.train.adam(1e-3), batch 128.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export interface TfjsResult {
  backend: string;
  samplesPerSecond: number | null;
  note: string;
}

function glorot(fanIn: number, fanOut: number): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.randomUniform([fanIn, fanOut], -limit, limit, "float32", 1));
}

/** Samples per second of `steps` timed Adam steps (after `warmup` untimed ones) on one backend. */
export async function runTfjs(
  backend: "cpu" | "wasm",
  options: { batch: number; steps: number; warmup: number; wasmDir: string },
): Promise<TfjsResult> {
  if (backend === "wasm") {
    // Load the .wasm files from node_modules (no network).
    setWasmPaths(options.wasmDir.endsWith("/") ? options.wasmDir : `${options.wasmDir}/`);
  }
  const ok = await tf.setBackend(backend);
  if (!ok) return { backend: `tfjs-${backend}`, samplesPerSecond: null, note: "backend failed to load" };
  await tf.ready();
  const { batch, steps, warmup } = options;
  const w1 = glorot(784, 256);
  const b1 = tf.variable(tf.zeros([256]));
  const w2 = glorot(256, 256);
  const b2 = tf.variable(tf.zeros([256]));
  const w3 = glorot(256, 10);
  const b3 = tf.variable(tf.zeros([10]));
  const x = tf.randomNormal([batch, 784], 0, 1, "float32", 2);
  const labels = tf.randomUniform([batch], 0, 10, "int32", 3);
  const y = tf.oneHot(labels, 10);
  const optimizer = tf.train.adam(1e-3);
  const step = (): void => {
    const cost = optimizer.minimize(
      () => {
        const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
        const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
        const logits = tf.add(tf.matMul(h2, w3), b3);
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      },
      true,
      [w1, b1, w2, b2, w3, b3],
    );
    cost?.dataSync();
    cost?.dispose();
  };
  for (let i = 0; i < warmup; i++) step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - start) / 1000;
  for (const v of [w1, b1, w2, b2, w3, b3, x, labels, y]) v.dispose();
  optimizer.dispose();
  let note = "plain JS kernels";
  if (backend === "wasm") {
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    note = `wasm${simd ? " SIMD" : ""}, ${threads ? "multi-threaded" : "single-threaded"}`;
  }
  return { backend: `tfjs-${backend}`, samplesPerSecond: (batch * steps) / seconds, note };
}
