// The Austen GPT at reduced size: a 300-token BPE vocabulary on the first 60,000 characters, a
// one-block model of width 32 trained for 100 steps (the full run: 1,024 tokens, 4 blocks of width
// 128, 600 steps) must beat the unigram token model on the held-out text; that training runs on the
// native backend only (CI requires it; about 0.7 s of CPU there, 11 s on the reference backend).
// Generation with the key/value cache must give the same tokens as without, for less work.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";
import { continuePrompt, countModelLosses, prepareCorpus, trainGpt } from "./train.js";

const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "pride-and-prejudice.txt"), "utf8");

test("the text is the whole novel; the BPE round-trips it", () => {
  assert.ok(text.startsWith("PRIDE AND PREJUDICE"));
  assert.ok(text.includes("It is a truth universally acknowledged, that a single man in possession"));
  const corpus = prepareCorpus(text.slice(0, 20000), 300);
  assert.equal(corpus.tokenizer.vocabSize, 300);
  assert.equal(
    corpus.tokenizer.decode(corpus.train) + corpus.tokenizer.decode(corpus.valid),
    text.slice(0, 20000),
  );
  assert.ok(corpus.charsPerToken > 1.2, `${corpus.charsPerToken} characters per token`);
});

test("countModelLosses: the bigram model beats the unigram one on real text", () => {
  const corpus = prepareCorpus(text.slice(0, 60000), 300);
  const { unigram, bigram } = countModelLosses(corpus.train, corpus.valid, 300);
  assert.ok(bigram < unigram && unigram < Math.log(300), `${unigram} ${bigram}`);
});

test("generation with the key/value cache gives the same tokens as without, for less work", () => {
  const corpus = prepareCorpus(text.slice(0, 20000), 300);
  const config = { layers: 1, width: 16, heads: 2, context: 16, batch: 8, steps: 1, learningRate: 1e-3 };
  const { model } = trainGpt(corpus, config);
  const cached = continuePrompt(model, corpus.tokenizer, "Mr. Darcy", 40, config.context, true);
  const uncached = continuePrompt(model, corpus.tokenizer, "Mr. Darcy", 40, config.context, false);
  assert.deepEqual(cached.tokens, uncached.tokens);
  assert.equal(cached.tokens.length, 40);
  assert.ok(cached.text.startsWith("Mr. Darcy"));
  assert.ok(
    cached.positionsRun < uncached.positionsRun / 2,
    `${cached.positionsRun} vs ${uncached.positionsRun}`,
  );
});

test("100 training steps of a small GPT beat the unigram token model on held-out text", {
  skip:
    ts.getBackend() === "reference"
      ? "needs the native backend (about 11 s of CPU on the reference one)"
      : false,
}, () => {
  const corpus = prepareCorpus(text.slice(0, 60000), 300);
  const config = { layers: 1, width: 32, heads: 2, context: 16, batch: 32, steps: 100, learningRate: 2e-2 };
  const { validLoss } = trainGpt(corpus, config);
  const { unigram } = countModelLosses(corpus.train, corpus.valid, 300);
  // measured: 3.896 nats/token against the unigram model's 4.176
  assert.ok(validLoss < unigram - 0.15, `GPT ${validLoss} vs unigram ${unigram}`);
});
