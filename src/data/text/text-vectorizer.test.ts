import assert from "node:assert/strict";
import { test } from "node:test";
import { ngrams, splitText, standardizeText } from "./standardize.js";
import { TextVectorizer } from "./text-vectorizer.js";

const docs = ["The cat sat.", "The dog sat!", "A cat!"];
// Standardised: "the cat sat", "the dog sat", "a cat". Counts: the 2, sat 2, cat 2, dog 1, a 1.
// Ties go to the larger token in code-point order (Keras' reversed lexsort): the > sat > cat, dog > a.

test("standardize, split and ngrams follow Keras TextVectorization", () => {
  assert.equal(standardizeText("Don't STOP-me, now!", "lower_and_strip_punctuation"), "dont stopme now");
  assert.equal(standardizeText("Ünïcode ÀB", "lower"), "ünïcode àb");
  assert.equal(standardizeText("a.b,c¿d", "strip_punctuation"), "abc¿d");
  assert.deepEqual(splitText("  one\ttwo\n three ", "whitespace"), ["one", "two", "three"]);
  assert.deepEqual(splitText("a😀b", "character"), ["a", "😀", "b"]);
  assert.deepEqual(ngrams(["a", "b", "c"], [1, 2]), ["a", "b", "c", "a b", "b c"]);
  assert.deepEqual(ngrams(["a", "b", "c"], [3]), ["a b c"]);
  assert.deepEqual(new TextVectorizer({ ngrams: 2 }).tokenize("A b C"), ["a", "b", "c", "a b", "b c"]);
  assert.deepEqual(new TextVectorizer({ split: "character" }).tokenize("Hi!"), ["h", "i"]);
  assert.deepEqual(new TextVectorizer({ standardize: null, split: null }).tokenize("Keep It."), ["Keep It."]);
});

test("adapt builds the vocabulary most frequent first with padding and OOV at 0 and 1", () => {
  const tv = new TextVectorizer().adapt(docs);
  assert.deepEqual(tv.getVocabulary(), ["", "[UNK]", "the", "sat", "cat", "dog", "a"]);
  assert.equal(tv.vocabularySize(), 7);
  // Padded to the longest sequence in the batch; "bird" is out of vocabulary.
  assert.deepEqual(tv.transform(["the cat", "A bird sat."]).toArray(), [
    [2, 4, 0],
    [6, 1, 3],
  ]);
  const fixed = new TextVectorizer({ outputSequenceLength: 4 }).adapt(docs);
  const out = fixed.transform(["the cat", "a cat sat the dog"]);
  assert.equal(out.dtype, "int32");
  assert.deepEqual(out.toArray(), [
    [2, 4, 0, 0],
    [6, 4, 3, 2],
  ]);
  assert.deepEqual(fixed.transform("dog").toArray(), [5, 0, 0, 0]);
  const small = new TextVectorizer({ maxTokens: 5 }).adapt(docs);
  assert.deepEqual(small.getVocabulary(), ["", "[UNK]", "the", "sat", "cat"]);
  assert.deepEqual(small.lookup("the dog"), [2, 1]);
});

test("a given vocabulary is used as is (special tokens recognised)", () => {
  const tv = new TextVectorizer({ vocabulary: ["earth", "wind", "and", "fire"], outputSequenceLength: 4 });
  assert.deepEqual(tv.transform(["earth wind", "fire and water"]).toArray(), [
    [2, 3, 0, 0],
    [5, 4, 1, 0],
  ]);
  const same = new TextVectorizer({ vocabulary: ["", "[UNK]", "earth", "wind", "and", "fire"] });
  assert.deepEqual(same.getVocabulary(), tv.getVocabulary());
  assert.throws(() => new TextVectorizer({ vocabulary: ["a", "a"] }), /token "a" appears twice/);
  assert.throws(() => new TextVectorizer({ vocabulary: ["a", "[UNK]"] }), /may only lead the vocabulary/);
});

test("multi_hot and count put OOV at index 0 and count every token", () => {
  const hot = new TextVectorizer({ outputMode: "multi_hot" }).adapt(docs);
  assert.deepEqual(hot.getVocabulary(), ["[UNK]", "the", "sat", "cat", "dog", "a"]);
  assert.deepEqual(hot.transform(["the the bird", "a dog"]).toArray(), [
    [1, 1, 0, 0, 0, 0],
    [0, 0, 0, 0, 1, 1],
  ]);
  const count = new TextVectorizer({ outputMode: "count" }).adapt(docs);
  assert.deepEqual(count.transform("the the bird fish").toArray(), [2, 2, 0, 0, 0, 0]);
  const padded = new TextVectorizer({ outputMode: "count", maxTokens: 8, padToMaxTokens: true }).adapt(docs);
  assert.deepEqual(padded.transform("cat").toArray(), [0, 0, 0, 1, 0, 0, 0, 0]);
  assert.throws(
    () => new TextVectorizer({ outputMode: "count" }).transform("x"),
    /needs a vocabulary; call adapt/,
  );
});

test("tf_idf weights counts by ln(1 + N / (1 + df)), OOV by the mean weight", () => {
  const tv = new TextVectorizer({ outputMode: "tf_idf" }).adapt(docs);
  const ln2 = Math.log(2); // the, sat, cat: in 2 of 3 documents -> ln(1 + 3/3)
  const ln25 = Math.log(2.5); // dog, a: in 1 of 3 -> ln(1 + 3/2)
  const oov = (3 * ln2 + 2 * ln25) / 5;
  const expected = [2 * oov, 2 * ln2, 0, 0, ln25, 0]; // "the the dog zebra fish"
  const got = tv.transform("the the dog zebra fish").toArray() as number[];
  got.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) < 1e-6, `${i}: ${v} vs ${expected[i]}`);
  });
  assert.deepEqual(
    tv.getIdfWeights().map((w) => w.toFixed(9)),
    [oov, ln2, ln2, ln2, ln25, ln25].map((w) => w.toFixed(9)),
  );
  assert.throws(
    () => new TextVectorizer({ outputMode: "tf_idf", vocabulary: ["a", "b"] }),
    /needs one finite idf weight per token/,
  );
});

test("toJSON/fromJSON round-trips the state; custom functions are refused", () => {
  for (const options of [
    { outputSequenceLength: 5, ngrams: 2 },
    { outputMode: "tf_idf" as const, maxTokens: 4 },
    { outputMode: "multi_hot" as const, split: "character" as const, standardize: "lower" as const },
  ]) {
    const tv = new TextVectorizer(options).adapt(docs);
    const again = TextVectorizer.fromJSON(JSON.parse(JSON.stringify(tv)));
    assert.deepEqual(again.getVocabulary(), tv.getVocabulary());
    const probe = ["The cat sat on the dog", "zebra A"];
    assert.deepEqual(again.transform(probe).toArray(), tv.transform(probe).toArray());
  }
  const custom = new TextVectorizer({ standardize: (s) => s.toUpperCase() });
  assert.deepEqual(custom.tokenize("a b"), ["A", "B"]);
  assert.throws(() => custom.toJSON(), /custom standardize or split function cannot be saved/);
  assert.throws(
    () => TextVectorizer.fromJSON({ format: "other" }),
    /format must be "tessera-text-vectorizer"/,
  );
  assert.throws(
    () =>
      TextVectorizer.fromJSON({
        ...new TextVectorizer().adapt(docs).toJSON(),
        config: { outputMode: "bag" },
      }),
    /config.outputMode is invalid/,
  );
  assert.throws(
    () => new TextVectorizer({ outputMode: "count", outputSequenceLength: 3 }),
    /only applies to outputMode "int"/,
  );
});

test("adaptAsync learns the same vocabulary from a streaming Dataset", async () => {
  const { Dataset } = await import("../dataset/dataset.js");
  const fromStream = await new TextVectorizer({ outputMode: "tf_idf" }).adaptAsync(Dataset.fromArrays(docs));
  const fromArray = new TextVectorizer({ outputMode: "tf_idf" }).adapt(docs);
  assert.deepEqual(fromStream.getVocabulary(), fromArray.getVocabulary());
  assert.deepEqual(fromStream.getIdfWeights(), fromArray.getIdfWeights());
});
