import assert from "node:assert/strict";
import { test } from "node:test";
import { Generator } from "../../index.js";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import { pretokenize } from "./pretokenize.js";
import { decodeWtf8, encodeWtf8 } from "./wtf8.js";

const VARIED = [
  "",
  "hello world",
  "Grüße, naïve café — déjà vu",
  "e\u0301 vs \u00e9 (decomposed and composed stay distinct)",
  "日本語のテキスト、中文文本，한국어 텍스트",
  "مرحبا بالعالم",
  "नमस्ते दुनिया",
  "emoji: 👋🏽 👨‍👩‍👧‍👦 🇯🇵 🏳️‍🌈 ❤️",
  "tabs\tand\nnewlines\r\n  and   spaces   ",
  "nul \u0000 and bell \u0007 and DEL \u007f",
  "lone high \ud800 and lone low \udfff and reversed \udc00\ud800 pair",
  "\ufffd replacement \ufeff BOM \u200b zero width",
  "numbers 1234567890 3.14159 -42 1e-9",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math 𝟘𝟙𝟚 and old italic 𐌀𐌁",
  "<|endoftext|> inside text <|pad|>",
];

function corpus(): string[] {
  const g = new Generator(4);
  const words = [
    "the",
    "whale",
    "ship",
    "sea",
    "captain",
    "white",
    "hunt",
    "ocean",
    "Ahab",
    "harpoon",
    "ünter",
    "naïve",
  ];
  return Array.from(
    { length: 400 },
    () => `${Array.from({ length: 8 }, () => words[g.int(0, words.length)]).join(" ")}.`,
  );
}

test("WTF-8 matches UTF-8 on valid text and keeps lone surrogates", () => {
  for (const s of VARIED.filter((t) => !t.includes("lone"))) {
    assert.deepEqual(encodeWtf8(s), new TextEncoder().encode(s));
  }
  assert.deepEqual(Array.from(encodeWtf8("\ud800")), [0xed, 0xa0, 0x80]);
  assert.equal(decodeWtf8(encodeWtf8("a\udfffb")), "a\udfffb");
  // Cut mid-character: each dangling byte decodes to U+FFFD.
  assert.equal(decodeWtf8(encodeWtf8("€").subarray(0, 2)), "\ufffd\ufffd");
  assert.equal(decodeWtf8([0xc0, 0x80, 0x41]), "\ufffd\ufffdA"); // overlong form refused
});

test("pretokenize chunks always concatenate back to the text", () => {
  for (const s of VARIED) {
    assert.equal(pretokenize(s, "gpt2").join(""), s);
    assert.equal(pretokenize(s, "gpt4").join(""), s);
  }
  assert.deepEqual(pretokenize("Hello world's 123 !!", "gpt2"), ["Hello", " world", "'s", " 123", " !!"]);
});

test("training merges the most frequent pair first (hand-counted)", () => {
  // Chunks: "ab", " ab", " ab", " cd". Pairs: (a,b) 3, (' ',a) 2, (' ',c) 1, (c,d) 1 -> merge a+b.
  // Then (' ', ab) occurs 2 times -> second merge; nothing else repeats (minFrequency 2).
  const bpe = BpeTokenizer.train(["ab ab ab cd"], { vocabSize: 300 });
  assert.deepEqual(bpe.merges, [
    [97, 98],
    [32, 256],
  ]);
  assert.equal(bpe.vocabSize, 258);
  assert.deepEqual(bpe.encode("ab ab cd"), [256, 257, 32, 99, 100]);
  assert.deepEqual(bpe.encode("abab"), [256, 256]);
  assert.equal(bpe.decode([257]), " ab");
});

test("encode/decode round-trips any string, trained or not", () => {
  const bpe = BpeTokenizer.train(corpus(), { vocabSize: 400, specialTokens: ["<|endoftext|>", "<|pad|>"] });
  for (const s of VARIED) assert.equal(bpe.decode(bpe.encode(s)), s, JSON.stringify(s));
  for (const s of VARIED) assert.equal(bpe.decode(bpe.encode(s, { allowSpecial: false })), s);
  // Random UTF-16 code units, surrogates and control characters included.
  const g = new Generator(9);
  for (let trial = 0; trial < 300; trial++) {
    const units = Array.from({ length: g.int(0, 40) }, () => {
      const kind = g.int(0, 4);
      return kind === 0 ? g.int(0, 128) : kind === 1 ? g.int(0xd800, 0xe000) : g.int(0, 0x10000);
    });
    const s = String.fromCharCode(...units);
    assert.equal(bpe.decode(bpe.encode(s)), s);
  }
});

test("training reaches the vocabulary size, or stops when no pair repeats, and compresses", () => {
  const texts = corpus();
  const bpe = BpeTokenizer.train(texts, { vocabSize: 300, specialTokens: ["<|endoftext|>"] });
  assert.equal(bpe.vocabSize, 300);
  assert.equal(bpe.merges.length, 300 - 256 - 1);
  // With room to spare, training runs until every word (with its leading space) is one token.
  const full = BpeTokenizer.train(texts, { vocabSize: 5000 });
  assert.ok(full.vocabSize < 5000);
  for (const word of ["the", "whale", "captain", "harpoon", "ünter", "naïve"]) {
    const ids = full.encode(` ${word}`);
    assert.equal(ids.length, 1, `" ${word}" -> ${ids}`);
  }
  const text = texts.slice(0, 50).join(" ");
  const bytes = encodeWtf8(text).length;
  const tokens = full.encode(text).length;
  assert.ok(tokens < bytes / 4, `${tokens} tokens for ${bytes} bytes`);
  assert.ok(bpe.encode(text).length > tokens, "fewer merges, more tokens");
});

test("special tokens get their own ids, are never learned, and can be turned off", () => {
  const texts = corpus().map((t) => `${t}<|endoftext|>`);
  const bpe = BpeTokenizer.train(texts, { vocabSize: 320, specialTokens: ["<|endoftext|>", "<|end|>"] });
  const eot = bpe.specialTokenId("<|endoftext|>")!;
  assert.equal(eot, 256 + bpe.merges.length);
  assert.equal(bpe.specialTokenId("<|end|>"), eot + 1);
  const ids = bpe.encode("sea<|endoftext|>ship");
  assert.deepEqual(ids.slice(0, -1).concat(ids.slice(-1)), ids);
  assert.equal(ids.filter((id) => id === eot).length, 1);
  assert.deepEqual(bpe.encode("sea<|endoftext|>ship"), [...bpe.encode("sea"), eot, ...bpe.encode("ship")]);
  assert.ok(!bpe.encode("<|endoftext|>", { allowSpecial: false }).includes(eot));
  for (let id = 256; id < eot; id++) {
    const piece = new TextDecoder().decode(bpe.tokenToBytes(id));
    assert.ok(!piece.includes("<|") && !piece.includes("|>"), `merge ${id} = ${JSON.stringify(piece)}`);
  }
  assert.throws(() => bpe.decode([bpe.vocabSize]), /outside the vocabulary/);
});

test("toJSON/fromJSON restores the same tokenizer and validates the file", () => {
  const bpe = BpeTokenizer.train(corpus(), { vocabSize: 300, specialTokens: ["<s>"], pretokenizer: "gpt4" });
  const json = JSON.parse(JSON.stringify(bpe));
  const again = BpeTokenizer.fromJSON(json);
  assert.equal(again.pretokenizer, "gpt4");
  for (const s of VARIED) assert.deepEqual(again.encode(s), bpe.encode(s));
  assert.throws(() => BpeTokenizer.fromJSON({ ...json, format: "x" }), /format must be "tessera-bpe"/);
  assert.throws(() => BpeTokenizer.fromJSON({ ...json, pretokenizer: "\\w+" }), /unknown pretokenizer/);
  assert.throws(
    () => BpeTokenizer.fromJSON({ ...json, merges: [[300, 1]] }),
    /merge 0 joins ids 300 and 1; both must be below 256/,
  );
  assert.throws(
    () =>
      BpeTokenizer.fromJSON({
        ...json,
        merges: [
          [1, 2],
          [1, 2],
        ],
      }),
    /repeats the pair/,
  );
  assert.throws(() => BpeTokenizer.fromJSON({ ...json, specialTokens: ["a", "a"] }), /appears twice/);
});
