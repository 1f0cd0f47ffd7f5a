// Tests of the weights-manifest decoder on hand-made shards: each stored dtype and the converter's
// affine quantization, with values worked out by hand.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FormatError } from "../../core/errors.js";
import { decodeWeight } from "./tfjs-weights.js";

function bytesOf(write: (view: DataView) => void, length: number): Uint8Array {
  const bytes = new Uint8Array(length + 2); // two leading bytes: offsets are honoured
  write(new DataView(bytes.buffer, 2));
  return bytes;
}

describe("decodeWeight", () => {
  it("reads float32 and int32 at an offset", () => {
    const bytes = bytesOf((v) => {
      v.setFloat32(0, 1.5, true);
      v.setFloat32(4, -2.25, true);
    }, 8);
    const { tensor, size } = decodeWeight({ name: "w", shape: [2], dtype: "float32" }, bytes, 2, "m");
    assert.equal(size, 8);
    assert.deepEqual([...tensor.data], [1.5, -2.25]);
    const ints = bytesOf((v) => v.setInt32(0, -7, true), 4);
    const decoded = decodeWeight({ name: "i", shape: [1], dtype: "int32" }, ints, 2, "m").tensor;
    assert.equal(decoded.dtype, "int32");
    assert.deepEqual([...decoded.data], [-7]);
  });

  it("dequantizes uint8 and uint16 as q * scale + min, and decodes float16", () => {
    const u8 = bytesOf(
      (v) =>
        [0, 128, 255].forEach((q, i) => {
          v.setUint8(i, q);
        }),
      3,
    );
    const spec = {
      name: "q",
      shape: [3],
      dtype: "float32",
      quantization: { dtype: "uint8", scale: 0.5, min: -1 },
    };
    assert.deepEqual([...decodeWeight(spec, u8, 2, "m").tensor.data], [-1, 63, 126.5]);
    const u16 = bytesOf((v) => v.setUint16(0, 1000, true), 2);
    const spec16 = {
      name: "q",
      shape: [1],
      dtype: "float32",
      quantization: { dtype: "uint16", scale: 0.25, min: 2 },
    };
    assert.deepEqual([...decodeWeight(spec16, u16, 2, "m").tensor.data], [252]);
    // binary16: 0x3c00 = 1, 0xc000 = -2, 0x7bff = 65504 (largest finite)
    const half = bytesOf(
      (v) =>
        [0x3c00, 0xc000, 0x7bff].forEach((b, i) => {
          v.setUint16(2 * i, b, true);
        }),
      6,
    );
    const specHalf = { name: "h", shape: [3], dtype: "float32", quantization: { dtype: "float16" } };
    assert.deepEqual([...decodeWeight(specHalf, half, 2, "m").tensor.data], [1, -2, 65504]);
  });

  it("refuses unknown dtypes, malformed entries and short shards", () => {
    const bytes = new Uint8Array(8);
    assert.throws(
      () => decodeWeight({ name: "w", shape: [1], dtype: "complex64" }, bytes, 0, "m"),
      /complex64/,
    );
    assert.throws(
      () => decodeWeight({ name: "w", shape: [-1], dtype: "float32" }, bytes, 0, "m"),
      FormatError,
    );
    assert.throws(
      () => decodeWeight({ name: "w", shape: [3], dtype: "float32" }, bytes, 0, "m"),
      /needs bytes 0\.\.12/,
    );
  });
});
