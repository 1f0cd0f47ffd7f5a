// examples/customer-service/faq: the two language tasks of a help desk on a real FAQ, the Debian
// GNU/Linux FAQ (147 questions with their answers in 16 chapters; see DATA-LICENSE.md):
//  1. routing: which topic (chapter) does a question belong to? A softmax classifier over TF-IDF
//     features, trained on the questions and answers of the other folds and tested on held-out
//     questions (stratified 4-fold cross-validation), against the majority topic and against
//     "the topic of the most similar answer";
//  2. answering: embed every answer (TF-IDF, and LSA: TF-IDF reduced by truncated SVD), embed the
//     user's question the same way, and return the nearest answers by cosine similarity; scored by
//     where each FAQ question's own answer ranks among all 147.
// Run from the repository root:   npx tsx --conditions=tessera-source examples/customer-service/faq.ts
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

export interface FaqEntry {
  topic: string;
  question: string;
  answer: string;
}

export async function loadFaq(path: string): Promise<FaqEntry[]> {
  const table = await ts.readCsv(path);
  const topics = table.column("topic").toArray();
  const questions = table.column("question").toArray();
  const answers = table.column("answer").toArray();
  return topics.map((topic, i) => ({
    topic: String(topic),
    question: String(questions[i]),
    answer: String(answers[i]),
  }));
}

/**
 * TF-IDF rows of `texts` with column 0, the out-of-vocabulary count, set to zero: left in, it makes
 * any two texts with many rare words look alike.
 */
export function tfidfWithoutOov(vectorizer: ts.TextVectorizer, texts: readonly string[]): ts.Tensor {
  const x = vectorizer.transform(texts);
  const data = Float32Array.from(x.data);
  const cols = x.shape[1]!;
  for (let r = 0; r < texts.length; r++) data[r * cols] = 0;
  return ts.tensor(data, { shape: [texts.length, cols] });
}

/** Rows scaled to unit length (zero rows stay zero), so a dot product is the cosine similarity. */
export function normaliseRows(data: Float32Array, cols: number): Float32Array {
  const out = Float32Array.from(data);
  for (let r = 0; r < out.length / cols; r++) {
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += out[r * cols + c]! ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let c = 0; c < cols; c++) out[r * cols + c]! /= norm;
  }
  return out;
}

/** An answer index: TF-IDF over the answers, optionally reduced to `lsaDims` by truncated SVD. */
export class FaqIndex {
  private readonly vectorizer: ts.TextVectorizer;
  private readonly svd: ts.ml.TruncatedSVD | null;
  private readonly embedded: Float32Array;
  readonly dims: number;

  constructor(
    readonly entries: readonly FaqEntry[],
    options: { maxTokens?: number; lsaDims?: number } = {},
  ) {
    this.vectorizer = new ts.TextVectorizer({
      outputMode: "tf_idf",
      maxTokens: options.maxTokens ?? 4000,
      ngrams: 2,
    });
    const documents = entries.map((e) => e.answer);
    this.vectorizer.adapt(documents);
    const tfidf = tfidfWithoutOov(this.vectorizer, documents);
    this.svd =
      options.lsaDims === undefined
        ? null
        : new ts.ml.TruncatedSVD({ nComponents: options.lsaDims }).fit(tfidf);
    const base = this.svd === null ? tfidf : this.svd.transform(tfidf);
    this.dims = base.shape[1]!;
    this.embedded = normaliseRows(Float32Array.from(base.data), this.dims);
  }

  /** Unit-length embeddings of the given texts, (texts, dims). */
  embed(texts: readonly string[]): Float32Array {
    const tfidf = tfidfWithoutOov(this.vectorizer, texts);
    const base = this.svd === null ? tfidf : this.svd.transform(tfidf);
    return normaliseRows(Float32Array.from(base.data), this.dims);
  }

  /** Indices of the answers, most similar to `query` first, with their cosine similarities. */
  search(query: string, k = 5): { index: number; score: number }[] {
    const q = this.embed([query]);
    const scores = this.entries.map((_, i) => {
      let dot = 0;
      for (let c = 0; c < this.dims; c++) dot += q[c]! * this.embedded[i * this.dims + c]!;
      return { index: i, score: dot };
    });
    scores.sort((a, b) => b.score - a.score || a.index - b.index);
    return scores.slice(0, k);
  }
}

export interface RetrievalScores {
  top1: number;
  top5: number;
  /** Mean reciprocal rank of each question's own answer. */
  mrr: number;
}

/** Queries the index with every FAQ question and scores where its own answer ranks. */
export function scoreRetrieval(index: FaqIndex): RetrievalScores {
  let top1 = 0;
  let top5 = 0;
  let mrr = 0;
  index.entries.forEach((entry, i) => {
    const ranked = index.search(entry.question, index.entries.length);
    const rank = ranked.findIndex((r) => r.index === i) + 1;
    if (rank === 1) top1++;
    if (rank <= 5) top5++;
    mrr += 1 / rank;
  });
  const n = index.entries.length;
  return { top1: top1 / n, top5: top5 / n, mrr: mrr / n };
}

export interface RoutingScores {
  /** Accuracy of the softmax classifier on held-out questions. */
  classifier: number;
  /** Accuracy of "the topic of the most similar training answer". */
  nearestAnswer: number;
  /** Accuracy of always answering the most frequent training topic. */
  majority: number;
  folds: number;
}

/**
 * Stratified k-fold routing accuracy. Each fold trains on the questions and answers of the other
 * folds (each as its own example) and predicts the topic of the held-out questions.
 */
export async function scoreRouting(
  entries: readonly FaqEntry[],
  options: { folds?: number; epochs?: number; seed?: number } = {},
): Promise<RoutingScores> {
  const seed = options.seed ?? 42;
  const topics = [...new Set(entries.map((e) => e.topic))];
  const topicOf = entries.map((e) => topics.indexOf(e.topic));
  const folds = ts.stratifiedKFold(topicOf, { nSplits: options.folds ?? 4, shuffle: true, seed });
  let right = { classifier: 0, nearestAnswer: 0, majority: 0 };
  for (const [trainRows, testRows] of folds) {
    ts.seed(seed);
    const train = trainRows.map((i) => entries[i]!);
    const texts = train.flatMap((e) => [e.question, e.answer]);
    const labels = train.flatMap((_, k) => [topicOf[trainRows[k]!]!, topicOf[trainRows[k]!]!]);
    const vectorizer = new ts.TextVectorizer({ outputMode: "tf_idf", maxTokens: 3000, ngrams: 2 });
    vectorizer.adapt(texts);
    const x = vectorizer.transform(texts);
    const width = x.shape[1]!;
    const model = ts.sequential([
      ts.layers.dense({
        units: topics.length,
        activation: "softmax",
        inputShape: [width],
        kernelRegularizer: ts.regularizers.l2({ l2: 1e-4 }),
      }),
    ]);
    model.compile({
      optimizer: ts.optimizers.adam({ learningRate: 0.05 }),
      loss: "sparse_categorical_crossentropy",
    });
    const y = ts.tensor(Int32Array.from(labels), { shape: [labels.length] });
    await model.fit(x, y, { epochs: options.epochs ?? 60, batchSize: 32, shuffle: true, verbose: 0 });
    const testQuestions = testRows.map((i) => entries[i]!.question);
    const probabilities = model.predict(vectorizer.transform(testQuestions), { verbose: 0 });
    const predicted = ts.argmax(probabilities, -1).data;
    const index = new FaqIndex(train);
    const counts = new Array<number>(topics.length).fill(0);
    for (const i of trainRows) counts[topicOf[i]!]!++;
    const majority = counts.indexOf(Math.max(...counts));
    testRows.forEach((i, k) => {
      if (predicted[k] === topicOf[i]) right.classifier++;
      const nearest = index.search(entries[i]!.question, 1)[0]!.index;
      if (topicOf[trainRows[nearest]!] === topicOf[i]) right.nearestAnswer++;
      if (majority === topicOf[i]) right.majority++;
    });
  }
  const n = entries.length;
  right = {
    classifier: right.classifier / n,
    nearestAnswer: right.nearestAnswer / n,
    majority: right.majority / n,
  };
  return { ...right, folds: folds.length };
}

/** Questions a user might type, none of them worded as in the FAQ (a demonstration, not a score). */
const USER_QUESTIONS = [
  "how can I upgrade my system to the new release",
  "where do I report a bug in a package",
  "can I sell CDs with Debian on them",
  "which kernel does debian use and how do i compile my own",
];

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const started = performance.now();
  const entries = await loadFaq(join(here, "debian-faq.csv"));
  console.log(
    `backend ${ts.getBackend()}; ${entries.length} FAQ entries in ${new Set(entries.map((e) => e.topic)).size} topics`,
  );
  const routing = await scoreRouting(entries);
  console.log(`routing, ${routing.folds}-fold cross-validated accuracy on held-out questions:`);
  console.log(`  majority topic             ${routing.majority.toFixed(3)}`);
  console.log(`  topic of the nearest answer ${routing.nearestAnswer.toFixed(3)}`);
  console.log(`  TF-IDF softmax classifier  ${routing.classifier.toFixed(3)}`);
  const routed = performance.now();
  console.log(`answering: rank of each question's own answer among all ${entries.length} answers`);
  console.log(
    `  random ranking             top-1 ${(1 / entries.length).toFixed(3)}, top-5 ${(5 / entries.length).toFixed(3)}`,
  );
  for (const [name, lsaDims] of [
    ["TF-IDF", undefined],
    ["LSA (64 dims)", 64],
  ] as const) {
    const index = new FaqIndex(entries, { lsaDims });
    const s = scoreRetrieval(index);
    console.log(
      `  ${name.padEnd(26)} top-1 ${s.top1.toFixed(3)}, top-5 ${s.top5.toFixed(3)}, MRR ${s.mrr.toFixed(3)}`,
    );
  }
  const index = new FaqIndex(entries);
  for (const query of USER_QUESTIONS) {
    const [hit] = index.search(query, 1);
    console.log(`  "${query}" -> "${entries[hit!.index]!.question}" (cosine ${hit!.score.toFixed(3)})`);
  }
  const seconds = (t: number) => ((t - started) / 1000).toFixed(1);
  console.log(`routing ${seconds(routed)} s; whole script ${seconds(performance.now())} s`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
