// data/pii/sha256 tests: FIPS 180-4 example digests, the RFC 4231 HMAC-SHA256 test cases, and a
// cross-check against node:crypto on seeded random inputs of every length around block edges.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { test } from "node:test";
import { HmacSha256, hmacSha256, sha256, toHex } from "./sha256.js";

const text = (s: string) => new TextEncoder().encode(s);
const repeat = (byte: number, n: number) => new Uint8Array(n).fill(byte);

test("sha256: FIPS 180-4 examples", () => {
  assert.equal(toHex(sha256(text(""))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(
    toHex(sha256(text("abc"))),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    toHex(sha256(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

// RFC 4231 section 4: test cases 1-4, 6 and 7 (case 5 truncates the output to 128 bits).
const RFC4231: [Uint8Array, Uint8Array, string][] = [
  [repeat(0x0b, 20), text("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
  [
    text("Jefe"),
    text("what do ya want for nothing?"),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  ],
  [repeat(0xaa, 20), repeat(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
  [
    Uint8Array.from({ length: 25 }, (_, i) => i + 1),
    repeat(0xcd, 50),
    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
  ],
  [
    repeat(0xaa, 131),
    text("Test Using Larger Than Block-Size Key - Hash Key First"),
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  ],
  [
    repeat(0xaa, 131),
    text(
      "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
    ),
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  ],
];

test("hmacSha256: RFC 4231 test cases", () => {
  RFC4231.forEach(([key, data, expected], i) => {
    assert.equal(toHex(hmacSha256(key, data)), expected, `RFC 4231 case ${i < 4 ? i + 1 : i + 2}`);
  });
});

test("sha256 and HmacSha256 agree with node:crypto around block boundaries", () => {
  let state = 12345;
  const nextByte = () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state >>> 24;
  };
  const hmac = new HmacSha256("a key of thirty-some bytes, in UTF-8: é");
  for (const length of [0, 1, 31, 55, 56, 63, 64, 65, 119, 120, 128, 1000]) {
    const data = Uint8Array.from({ length }, nextByte);
    assert.equal(
      toHex(sha256(data)),
      createHash("sha256").update(data).digest("hex"),
      `sha256 of ${length} bytes`,
    );
    assert.equal(
      hmac.hex(data),
      createHmac("sha256", "a key of thirty-some bytes, in UTF-8: é").update(data).digest("hex"),
      `hmac of ${length} bytes`,
    );
  }
});
