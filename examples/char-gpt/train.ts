// examples/char-gpt/train: a character-level GPT on Melville's Moby-Dick (datasets/moby-dick.txt,
// 1.2 M characters). Token + learned position embeddings, pre-norm TransformerDecoder blocks
// (causal self-attention, GELU MLP 4x), a final LayerNorm and a linear head over the characters.
// The first 90 % of the text trains (random windows each step), the last 10 % validates (fixed
// windows); validation loss is reported in nats per character against training time, then the
// model samples text. Run from the repository root:
//   npx tsx examples/char-gpt/train.ts
// Sizes through the environment: LAYERS (4), WIDTH (128), HEADS (4), CONTEXT (64), BATCH (32),
// STEPS (600), EVAL_EVERY (50), LR (2e-3); TESSERA_BACKEND=reference|native picks the backend.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

const SEED = 42;

export interface GptConfig {
  vocabularySize: number;
  context: number;
  width: number;
  layers: number;
  heads: number;
}

/** Token + position embeddings, `layers` pre-norm decoder blocks, final norm, linear head. */
export function charGpt(config: GptConfig): ts.Sequential {
  const { vocabularySize, context, width, layers, heads } = config;
  return ts.sequential([
    // any length up to `context`, so sampling can start from a short prompt
    ts.input({ shape: [null], dtype: "int32" }),
    ts.layers.tokenAndPositionEmbedding({ vocabularySize, sequenceLength: context, embeddingDim: width }),
    ...Array.from({ length: layers }, () =>
      ts.layers.transformerDecoder({
        intermediateDim: 4 * width,
        numHeads: heads,
        normalizeFirst: true,
        activation: "gelu",
      }),
    ),
    ts.layers.layerNormalization({ epsilon: 1e-5 }),
    ts.layers.dense({ units: vocabularySize }),
  ]);
}

/** Inputs and next-character targets for windows of `context` characters starting at `offsets`. */
export function windows(
  ids: Int32Array,
  offsets: readonly number[],
  context: number,
): { x: ts.Tensor; y: ts.Tensor } {
  const x = new Int32Array(offsets.length * context);
  const y = new Int32Array(offsets.length * context);
  offsets.forEach((o, b) => {
    x.set(ids.subarray(o, o + context), b * context);
    y.set(ids.subarray(o + 1, o + context + 1), b * context);
  });
  return {
    x: ts.tensor(x, { shape: [offsets.length, context] }),
    y: ts.tensor(y, { shape: [offsets.length, context] }),
  };
}

/**
 * Samples `length` characters after `prompt` with the library's generate(): temperature-scaled,
 * from a seeded generator, ids 0 (padding) and 1 (unknown) never drawn.
 */
export function sample(
  model: ts.Model,
  tokenizer: ts.CharTokenizer,
  prompt: string,
  length: number,
  context: number,
  temperature: number,
  generator: ts.Generator,
): string {
  const { sequences } = ts.generate(model, tokenizer.encode(prompt), {
    maxNewTokens: length,
    maxContext: context,
    temperature,
    suppressTokens: [0, 1],
    generator,
  });
  return tokenizer.decode(sequences[0]!);
}

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const layers = envNumber("LAYERS", 4);
  const width = envNumber("WIDTH", 128);
  const heads = envNumber("HEADS", 4);
  const context = envNumber("CONTEXT", 64);
  const batch = envNumber("BATCH", 32);
  const steps = envNumber("STEPS", 600);
  const evalEvery = envNumber("EVAL_EVERY", 50);
  const learningRate = envNumber("LR", 2e-3);
  ts.seed(SEED);
  const text = readFileSync(join(here, "..", "..", "datasets", "moby-dick.txt"), "utf8");
  const tokenizer = new ts.CharTokenizer().fit([text]);
  const ids = Int32Array.from(tokenizer.encode(text));
  const split = Math.floor(ids.length * 0.9);
  const train = ids.subarray(0, split);
  const valid = ids.subarray(split);
  // 64 fixed validation windows spread over the held-out tenth
  const validOffsets = Array.from({ length: 64 }, (_, i) =>
    Math.floor((i * (valid.length - context - 1)) / 64),
  );
  const validation = windows(valid, validOffsets, context);
  const model = charGpt({ vocabularySize: tokenizer.vocabularySize, context, width, layers, heads });
  const lossFn = ts.losses.sparseCategoricalCrossentropy({ fromLogits: true });
  const schedule = ts.schedules.cosineDecay({
    initialLearningRate: learningRate / 10,
    warmupTarget: learningRate,
    warmupSteps: Math.min(100, Math.floor(steps / 10)),
    decaySteps: steps,
    alpha: 0.1,
  });
  const optimizer = ts.optimizers.adamw({
    learningRate: schedule,
    weightDecay: 0.01,
    globalClipNorm: 1,
    params: model.trainableWeights,
  });
  console.log(
    `backend ${ts.getBackend()}; ${ids.length} characters, vocabulary ${tokenizer.vocabularySize}; ` +
      `${layers} layers, width ${width}, ${heads} heads, context ${context}, batch ${batch}; ` +
      `${model.countParams().toLocaleString("en-US")} parameters`,
  );
  const validationLoss = (): number =>
    ts.noGrad(() => ts.computeLoss(lossFn, validation.y, model.apply(validation.x)).item());
  const g = new ts.Generator(SEED);
  console.log(`step     0  train -       valid ${validationLoss().toFixed(3)} nats/char  0.0 min`);
  const started = performance.now();
  let recent = 0;
  for (let step = 1; step <= steps; step++) {
    const offsets = Array.from({ length: batch }, () => g.int(0, train.length - context - 1));
    const { x, y } = windows(train, offsets, context);
    const loss = ts.computeLoss(lossFn, y, model.apply(x, { training: true }));
    ts.backward(loss);
    optimizer.step();
    optimizer.zeroGrad();
    recent += loss.item();
    if (step % evalEvery === 0 || step === steps) {
      const minutes = (performance.now() - started) / 60000;
      const count = step % evalEvery === 0 ? evalEvery : step % evalEvery;
      console.log(
        `step ${String(step).padStart(5)}  train ${(recent / count).toFixed(3)}  valid ${validationLoss().toFixed(3)} nats/char  ${minutes.toFixed(1)} min`,
      );
      recent = 0;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${steps} steps in ${seconds.toFixed(0)} s: ${((steps * batch * context) / seconds).toFixed(0)} training tokens/s`,
  );
  console.log("\nsample (temperature 0.8):\n");
  console.log(sample(model, tokenizer, "The whale ", 400, context, 0.8, new ts.Generator(7)));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
