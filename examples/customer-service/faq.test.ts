// The help-desk example at reduced size: answer retrieval over the whole FAQ as in the full run, and
// topic routing with 2 folds and 15 epochs (the full run: 4 folds, 60 epochs). Floors sit below the
// README's figures and far above chance.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { FaqIndex, loadFaq, normaliseRows, scoreRetrieval, scoreRouting } from "./faq.js";

const csv = join(dirname(fileURLToPath(import.meta.url)), "debian-faq.csv");

test("loadFaq reads 147 entries of the Debian FAQ in 16 topics", async () => {
  const entries = await loadFaq(csv);
  assert.equal(entries.length, 147);
  assert.equal(new Set(entries.map((e) => e.topic)).size, 16);
  assert.deepEqual(
    { topic: entries[0]!.topic, question: entries[0]!.question },
    { topic: "Definitions and overview", question: "What is this FAQ?" },
  );
  assert.ok(entries.every((e) => e.answer.length > 0));
});

test("normaliseRows gives unit rows and leaves zero rows alone", () => {
  const rows = Array.from(normaliseRows(Float32Array.from([3, 4, 0, 0]), 2));
  assert.deepEqual(
    rows.map((v) => Math.round(v * 1e6) / 1e6),
    [0.6, 0.8, 0, 0],
  );
});

test("each question finds its own answer far above chance (147 answers)", async () => {
  const entries = await loadFaq(csv);
  const scores = scoreRetrieval(new FaqIndex(entries));
  // README: top-1 0.293, top-5 0.585, MRR 0.434; random ranking: top-5 0.034
  assert.ok(scores.top1 >= 0.25, `top-1 ${scores.top1}`);
  assert.ok(scores.top5 >= 0.5, `top-5 ${scores.top5}`);
  assert.ok(scores.mrr >= 0.38, `MRR ${scores.mrr}`);
  const [hit] = new FaqIndex(entries).search("where do I report a bug in a package", 1);
  assert.equal(entries[hit!.index]!.question, "How do I report a bug in Debian?");
});

test("the routing classifier beats the majority topic on held-out questions", async () => {
  const entries = await loadFaq(csv);
  const scores = await scoreRouting(entries, { folds: 2, epochs: 15 });
  assert.equal(scores.folds, 2);
  assert.ok(scores.majority < 0.15, `majority ${scores.majority}`);
  assert.ok(scores.classifier >= scores.majority + 0.1, `classifier ${scores.classifier}`);
});
