// CRC-32C against the known answers of RFC 3720 appendix B.4 and the standard check value, and the
// masking TensorFlow's record format applies.
import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32c, maskedCrc32c } from "./crc32c.js";

test("crc32c matches RFC 3720 B.4 and the '123456789' check value", () => {
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
  const iscsiRead = Uint8Array.from([
    0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  ]);
  assert.equal(crc32c(iscsiRead), 0xd9963a56);
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
});

test("maskedCrc32c rotates right by 15 and adds 0xa282ead8", () => {
  // crc("123456789") = 0xe3069283: rotr15 = 0x2507c60d, + 0xa282ead8 = 0xc78ab0e5.
  assert.equal(maskedCrc32c(new TextEncoder().encode("123456789")), 0xc78ab0e5);
  // crc of 32 zero bytes = 0x8a9136aa: rotr15 = 0x6d55_1522, + 0xa282ead8 = 0x0fd7fffa (mod 2^32).
  assert.equal(maskedCrc32c(new Uint8Array(32)), 0x0fd7fffa);
});
