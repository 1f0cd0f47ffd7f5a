// bench/cnn-tfjs: the CNN training benchmark on TensorFlow.js 4.22 (tfjs-core with the cpu and
// wasm backends), built from tfjs-core ops the way tf.layers would: 28x28x1 -> conv 3x3 (32) + ReLU
// -> max-pool 2 -> conv 3x3 (64) + ReLU -> max-pool 2 -> dense 128 + ReLU -> dense 10, glorot-uniform
// kernels, zero biases, softmax cross-entropy on logits, tf.train.adam(1e-3).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export interface TfjsCnnResult {
  backend: string;
  samplesPerSecond: number | null;
  note: string;
}

function glorot(shape: number[], fanIn: number, fanOut: number, seed: number): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.randomUniform(shape, -limit, limit, "float32", seed));
}

/** Samples per second of `steps` timed Adam steps (after `warmup` untimed ones) on one backend. */
export async function runTfjsCnn(
  backend: "cpu" | "wasm",
  options: { batch: number; steps: number; warmup: number; wasmDir: string },
): Promise<TfjsCnnResult> {
  if (backend === "wasm")
    setWasmPaths(options.wasmDir.endsWith("/") ? options.wasmDir : `${options.wasmDir}/`);
  const ok = await tf.setBackend(backend);
  if (!ok) return { backend: `tfjs-${backend}`, samplesPerSecond: null, note: "backend failed to load" };
  await tf.ready();
  const { batch, steps, warmup } = options;
  const k1 = glorot([3, 3, 1, 32], 9, 9 * 32, 1);
  const b1 = tf.variable(tf.zeros([32]));
  const k2 = glorot([3, 3, 32, 64], 9 * 32, 9 * 64, 2);
  const b2 = tf.variable(tf.zeros([64]));
  const w3 = glorot([1600, 128], 1600, 128, 3);
  const b3 = tf.variable(tf.zeros([128]));
  const w4 = glorot([128, 10], 128, 10, 4);
  const b4 = tf.variable(tf.zeros([10]));
  const vars = [k1, b1, k2, b2, w3, b3, w4, b4];
  const x = tf.randomNormal([batch, 28, 28, 1], 0, 1, "float32", 5) as tf.Tensor4D;
  const labels = tf.randomUniform([batch], 0, 10, "int32", 6);
  const y = tf.oneHot(labels as tf.Tensor1D, 10);
  const optimizer = tf.train.adam(1e-3);
  const step = (): void => {
    const cost = optimizer.minimize(
      () => {
        const c1 = tf.relu(tf.add(tf.conv2d(x, k1 as tf.Tensor4D, 1, "valid"), b1)) as tf.Tensor4D;
        const p1 = tf.maxPool(c1, 2, 2, "valid");
        const c2 = tf.relu(tf.add(tf.conv2d(p1, k2 as tf.Tensor4D, 1, "valid"), b2)) as tf.Tensor4D;
        const p2 = tf.maxPool(c2, 2, 2, "valid");
        const h = tf.relu(tf.add(tf.matMul(tf.reshape(p2, [batch, 1600]), w3), b3));
        const logits = tf.add(tf.matMul(h, w4), b4);
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      },
      true,
      vars,
    );
    cost?.dataSync();
    cost?.dispose();
  };
  try {
    for (let i = 0; i < warmup; i++) step();
    const start = performance.now();
    for (let i = 0; i < steps; i++) step();
    const seconds = (performance.now() - start) / 1000;
    let note = "plain JS kernels";
    if (backend === "wasm") {
      const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
      note = `wasm${simd ? " SIMD" : ""}, ${threads ? "multi-threaded" : "single-threaded"}`;
    }
    return { backend: `tfjs-${backend}`, samplesPerSecond: (batch * steps) / seconds, note };
  } finally {
    for (const v of [...vars, x, labels, y]) v.dispose();
    optimizer.dispose();
  }
}
