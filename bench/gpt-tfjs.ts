// bench/gpt-tfjs: the tiny-GPT training benchmark on TensorFlow.js 4.22 (tfjs-core with the cpu and
// wasm backends), written with tfjs-core ops: token + position embeddings, pre-norm blocks (causal
// softmax attention over 4 heads, GELU MLP 4x), final LayerNorm, linear head, softmax cross-entropy,
// tf.train.adam(1e-3) (tfjs-core has no AdamW).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export interface GptShape {
  vocab: number;
  context: number;
  width: number;
  heads: number;
  blocks: number;
  batch: number;
}

export interface TfjsResult {
  perSecond: number | null;
  note: string;
}

/** Tokens per second of `iterations` timed Adam steps (after `warmup` untimed ones) on one backend. */
export async function runTfjsGpt(
  backend: "cpu" | "wasm",
  shape: GptShape,
  options: { iterations: number; warmup: number; wasmDir: string },
): Promise<TfjsResult> {
  if (backend === "wasm")
    setWasmPaths(options.wasmDir.endsWith("/") ? options.wasmDir : `${options.wasmDir}/`);
  if (!(await tf.setBackend(backend))) return { perSecond: null, note: "backend failed to load" };
  await tf.ready();
  const { vocab, context: T, width: D, heads: N, blocks, batch: B } = shape;
  const K = D / N;
  let seed = 1;
  const weight = (shape: number[], fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(tf.randomUniform(shape, -limit, limit, "float32", seed++));
  };
  const vars: tf.Variable[] = [];
  const keep = <V extends tf.Variable>(v: V): V => {
    vars.push(v);
    return v;
  };
  const tokens = keep(tf.variable(tf.randomUniform([vocab, D], -0.05, 0.05, "float32", seed++)));
  const positions = keep(weight([T, D], T, D));
  const norm = () => ({ gamma: keep(tf.variable(tf.ones([D]))), beta: keep(tf.variable(tf.zeros([D]))) });
  const layer = (i: number, o: number) => ({
    w: keep(weight([i, o], i, o)),
    b: keep(tf.variable(tf.zeros([o]))),
  });
  const blockParams = Array.from({ length: blocks }, () => ({
    ln1: norm(),
    qkv: layer(D, 3 * D),
    proj: layer(D, D),
    ln2: norm(),
    up: layer(D, 4 * D),
    down: layer(4 * D, D),
  }));
  const lnFinal = norm();
  const head = layer(D, vocab);
  const causal = tf.linalg.bandPart(tf.ones([T, T]), -1, 0);
  const hidden = tf.mul(tf.sub(1, causal), -1e9);
  const layerNorm = (x: tf.Tensor2D, p: { gamma: tf.Variable; beta: tf.Variable }): tf.Tensor2D => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), p.gamma), p.beta);
  };
  const dense = (x: tf.Tensor2D, p: { w: tf.Variable; b: tf.Variable }): tf.Tensor2D =>
    tf.add(tf.matMul(x, p.w as tf.Variable<tf.Rank.R2>), p.b);
  const gelu = (x: tf.Tensor2D): tf.Tensor2D =>
    tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  const ids = tf.randomUniform([B, T], 0, vocab, "int32", seed++);
  const oneHotIds = tf.oneHot(tf.reshape(ids, [B * T]) as tf.Tensor1D, vocab) as tf.Tensor2D;
  const labels = tf.oneHot(
    tf.reshape(tf.randomUniform([B, T], 0, vocab, "int32", seed++), [B * T]) as tf.Tensor1D,
    vocab,
  );
  const optimizer = tf.train.adam(1e-3);
  const step = (): void => {
    const cost = optimizer.minimize(
      () => {
        // one-hot @ table rather than gather: gather's gradient (UnsortedSegmentSum) is missing on wasm
        let h = tf.add(
          tf.matMul(oneHotIds, tokens as tf.Variable<tf.Rank.R2>),
          tf.tile(positions, [B, 1]),
        ) as tf.Tensor2D;
        for (const p of blockParams) {
          const qkv = tf.transpose(
            tf.reshape(dense(layerNorm(h, p.ln1), p.qkv), [B, T, 3, N, K]),
            [2, 0, 3, 1, 4],
          );
          const [q, k, v] = tf.unstack(qkv) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
          const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(K)), hidden);
          const attended = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), v), [0, 2, 1, 3]), [
            B * T,
            D,
          ]);
          h = tf.add(h, dense(attended as tf.Tensor2D, p.proj));
          h = tf.add(h, dense(gelu(dense(layerNorm(h, p.ln2), p.up)), p.down));
        }
        const logits = dense(layerNorm(h, lnFinal), head);
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      },
      true,
      vars,
    );
    cost?.dataSync();
    cost?.dispose();
  };
  for (let i = 0; i < options.warmup; i++) step();
  const start = performance.now();
  for (let i = 0; i < options.iterations; i++) step();
  const seconds = (performance.now() - start) / 1000;
  for (const t of [...vars, causal, hidden, ids, oneHotIds, labels]) t.dispose();
  optimizer.dispose();
  return {
    perSecond: (B * T * options.iterations) / seconds,
    note: `tfjs-core ops, Adam, ${options.iterations} steps`,
  };
}
