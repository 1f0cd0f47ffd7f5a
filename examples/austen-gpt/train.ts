// examples/austen-gpt/train: content generation with subword tokens. A byte-level BPE tokenizer
// (ts.BpeTokenizer, trained on the text) and a small GPT (the decoder of examples/char-gpt, here over
// BPE tokens) learn Jane Austen's "Pride and Prejudice" (see DATA-LICENSE.md); the last 10 % of the
// text validates. Validation loss is reported in nats per token and in bits per character (so it
// compares with character models), against unigram and bigram token models fitted on the training
// text. Then ts.generate continues a prompt with nucleus sampling, with and without the key/value
// cache: the same tokens, at a different cost. Run from the repository root:
//   npx tsx --conditions=tessera-source examples/austen-gpt/train.ts
// Sizes through the environment: VOCAB (1024), LAYERS (4), WIDTH (128), HEADS (4), CONTEXT (64),
// BATCH (32), STEPS (600), LR (2e-3).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";
import { charGpt, windows } from "../char-gpt/train.js";

export interface Corpus {
  tokenizer: ts.BpeTokenizer;
  train: Int32Array;
  valid: Int32Array;
  /** Characters per token over the validation text. */
  charsPerToken: number;
}

/** Trains the tokenizer on the first 90 % of `text` and encodes both parts. */
export function prepareCorpus(text: string, vocabSize: number): Corpus {
  const split = Math.floor(text.length * 0.9);
  const trainText = text.slice(0, split);
  const validText = text.slice(split);
  const tokenizer = ts.BpeTokenizer.train([trainText], { vocabSize });
  const valid = Int32Array.from(tokenizer.encode(validText));
  return {
    tokenizer,
    train: Int32Array.from(tokenizer.encode(trainText)),
    valid,
    charsPerToken: validText.length / valid.length,
  };
}

/**
 * Cross-entropy (nats per token) on `valid` of a unigram and an interpolated bigram token model
 * counted on `train` (add-one smoothing for the unigram; bigram = 0.9 p(b|a) + 0.1 p(b)).
 */
export function countModelLosses(train: Int32Array, valid: Int32Array, vocab: number) {
  const unigram = new Float64Array(vocab).fill(1);
  for (const t of train) unigram[t]!++;
  const total = train.length + vocab;
  const pair = new Map<number, number>();
  for (let i = 1; i < train.length; i++) {
    const key = train[i - 1]! * vocab + train[i]!;
    pair.set(key, (pair.get(key) ?? 0) + 1);
  }
  let uni = 0;
  let bi = 0;
  for (let i = 1; i < valid.length; i++) {
    const [a, b] = [valid[i - 1]!, valid[i]!];
    const pUni = unigram[b]! / total;
    const pBi = (pair.get(a * vocab + b) ?? 0) / (unigram[a]! - 1 || 1);
    uni -= Math.log(pUni);
    bi -= Math.log(0.9 * pBi + 0.1 * pUni);
  }
  return { unigram: uni / (valid.length - 1), bigram: bi / (valid.length - 1) };
}

export interface TrainConfig {
  layers: number;
  width: number;
  heads: number;
  context: number;
  batch: number;
  steps: number;
  learningRate: number;
  seed?: number;
}

/** Trains the GPT on random training windows; returns it with the validation loss (nats/token). */
export function trainGpt(corpus: Corpus, config: TrainConfig, log?: (step: number, valid: number) => void) {
  const { layers, width, heads, context, batch, steps, learningRate } = config;
  ts.seed(config.seed ?? 42);
  const vocabularySize = corpus.tokenizer.vocabSize;
  const model = charGpt({ vocabularySize, context, width, layers, heads });
  const validOffsets = Array.from({ length: 64 }, (_, i) =>
    Math.floor((i * (corpus.valid.length - context - 1)) / 64),
  );
  const validation = windows(corpus.valid, validOffsets, context);
  const lossFn = ts.losses.sparseCategoricalCrossentropy({ fromLogits: true });
  const optimizer = ts.optimizers.adamw({
    learningRate: ts.schedules.cosineDecay({
      initialLearningRate: learningRate / 10,
      warmupTarget: learningRate,
      warmupSteps: Math.min(100, Math.floor(steps / 10)),
      decaySteps: steps,
      alpha: 0.1,
    }),
    weightDecay: 0.01,
    globalClipNorm: 1,
    params: model.trainableWeights,
  });
  const validationLoss = (): number =>
    ts.noGrad(() => ts.computeLoss(lossFn, validation.y, model.apply(validation.x)).item());
  const g = new ts.Generator(config.seed ?? 42);
  for (let step = 1; step <= steps; step++) {
    const offsets = Array.from({ length: batch }, () => g.int(0, corpus.train.length - context - 1));
    const { x, y } = windows(corpus.train, offsets, context);
    const loss = ts.computeLoss(lossFn, y, model.apply(x, { training: true }));
    loss.backward();
    optimizer.step();
    optimizer.zeroGrad();
    if (log !== undefined && (step % 100 === 0 || step === steps)) log(step, validationLoss());
  }
  return { model, validLoss: validationLoss() };
}

export interface Continuation {
  text: string;
  tokens: number[];
  seconds: number;
  positionsRun: number;
}

/**
 * Continues `prompt` by `length` tokens with nucleus sampling (top-p 0.9, temperature 0.8). Past the
 * model's context the window restarts from its last half ("halve"), so the cache keeps paying off.
 */
export function continuePrompt(
  model: ts.Model,
  tokenizer: ts.BpeTokenizer,
  prompt: string,
  length: number,
  context: number,
  useCache: boolean,
  seed = 7,
): Continuation {
  const started = performance.now();
  const result = ts.generate(model, tokenizer.encode(prompt), {
    maxNewTokens: length,
    maxContext: context,
    temperature: 0.8,
    topP: 0.9,
    overflow: "halve",
    useCache,
    generator: new ts.Generator(seed),
  });
  return {
    text: tokenizer.decode(result.sequences[0]!),
    tokens: result.generated[0]!,
    seconds: (performance.now() - started) / 1000,
    positionsRun: result.positionsRun,
  };
}

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const config: TrainConfig = {
    layers: envNumber("LAYERS", 4),
    width: envNumber("WIDTH", 128),
    heads: envNumber("HEADS", 4),
    context: envNumber("CONTEXT", 64),
    batch: envNumber("BATCH", 32),
    steps: envNumber("STEPS", 600),
    learningRate: envNumber("LR", 2e-3),
  };
  const text = readFileSync(join(here, "pride-and-prejudice.txt"), "utf8");
  let started = performance.now();
  const corpus = prepareCorpus(text, envNumber("VOCAB", 1024));
  const vocab = corpus.tokenizer.vocabSize;
  console.log(
    `backend ${ts.getBackend()}; ${text.length} characters -> ${corpus.train.length + corpus.valid.length} BPE tokens ` +
      `(vocabulary ${vocab}, ${corpus.charsPerToken.toFixed(2)} characters per validation token; tokenizer ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const bits = (nats: number) => nats / corpus.charsPerToken / Math.LN2;
  const counts = countModelLosses(corpus.train, corpus.valid, vocab);
  for (const [name, nats] of [
    ["unigram tokens", counts.unigram],
    ["bigram tokens", counts.bigram],
  ] as const) {
    console.log(
      `${name.padEnd(16)} valid ${nats.toFixed(3)} nats/token = ${bits(nats).toFixed(3)} bits/char`,
    );
  }
  started = performance.now();
  const { model, validLoss } = trainGpt(corpus, config, (step, valid) => {
    const minutes = (performance.now() - started) / 60000;
    console.log(
      `step ${String(step).padStart(5)}  valid ${valid.toFixed(3)} nats/token  ${minutes.toFixed(1)} min`,
    );
  });
  console.log(
    `GPT (${model.countParams().toLocaleString("en-US")} parameters) valid ${validLoss.toFixed(3)} nats/token = ${bits(validLoss).toFixed(3)} bits/char`,
  );
  const prompt = "It is a truth universally acknowledged";
  continuePrompt(model, corpus.tokenizer, prompt, 8, config.context, true); // warm-up, not timed
  const cached = continuePrompt(model, corpus.tokenizer, prompt, 120, config.context, true);
  const uncached = continuePrompt(model, corpus.tokenizer, prompt, 120, config.context, false);
  console.log(`\n${cached.text}\n`);
  console.log(
    `generate 120 tokens: with the KV cache ${cached.seconds.toFixed(2)} s (${cached.positionsRun} positions run), ` +
      `without ${uncached.seconds.toFixed(2)} s (${uncached.positionsRun}); same tokens: ${cached.tokens.join() === uncached.tokens.join()}`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
