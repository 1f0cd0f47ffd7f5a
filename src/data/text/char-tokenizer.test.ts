import assert from "node:assert/strict";
import { test } from "node:test";
import { CharTokenizer } from "./char-tokenizer.js";

test("CharTokenizer orders characters by frequency then code point, with pad 0 and OOV 1", () => {
  const tok = new CharTokenizer().fit(["hello"]);
  assert.deepEqual(tok.characters, ["l", "e", "h", "o"]);
  assert.deepEqual(tok.encode("hell"), [4, 3, 2, 2]);
  assert.deepEqual(tok.encode("help"), [4, 3, 2, 1]);
  assert.equal(tok.decode([4, 3, 2, 2, 5, 0, 0]), "hello");
  assert.equal(tok.decode([4, 1]), "h\ufffd");
  assert.equal(tok.vocabularySize, 6);
});

test("CharTokenizer treats an emoji as one character and can lowercase and cap the vocabulary", () => {
  const tok = new CharTokenizer({ lower: true, maxTokens: 4 }).fit(["Aa😀😀😀b"]);
  assert.deepEqual(tok.characters, ["😀", "a"]);
  assert.deepEqual(tok.encode("A😀b"), [3, 2, 1]);
  const batch = tok.encodeBatch(["a😀", "😀a😀a"], { length: 3 });
  assert.equal(batch.dtype, "int32");
  assert.deepEqual(batch.toArray(), [
    [3, 2, 0],
    [2, 3, 2],
  ]);
  assert.deepEqual(tok.encodeBatch(["a", "aaa"]).shape, [2, 3]);
});

test("CharTokenizer state round-trips through JSON and bad files are refused", () => {
  const tok = new CharTokenizer({ lower: true }).fit(["Moby Dick, or the Whale 🐋"]);
  const again = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(tok)));
  assert.deepEqual(again.encode("the whale 🐋!"), tok.encode("the whale 🐋!"));
  assert.throws(
    () => CharTokenizer.fromJSON({ ...tok.toJSON(), characters: ["ab"] }),
    /must be one character/,
  );
  assert.throws(() => CharTokenizer.fromJSON({ ...tok.toJSON(), version: 2 }), /unsupported version 2/);
  assert.throws(() => tok.decode([999]), /outside the vocabulary/);
});
