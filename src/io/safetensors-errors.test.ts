// The safetensors findings of issue 12: each test reproduces one finding.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tensor } from "../tensor/creation.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

/** u64 LE length, the header text as given, then the data bytes. */
function build(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + headerBytes.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  out.set(data, 8 + headerBytes.length);
  return out;
}

describe("safetensors: any name is data", () => {
  it('keeps a "__metadata__" key named "__proto__" (was: dropped)', () => {
    const { metadata } = decodeSafetensors(
      build('{"__metadata__": {"__proto__": "x", "b": "y"}}'),
      "m.safetensors",
    );
    assert.ok(Object.hasOwn(metadata, "__proto__"));
    assert.equal(Object.getOwnPropertyDescriptor(metadata, "__proto__")?.value, "x");
    assert.equal(Object.getPrototypeOf(metadata), Object.prototype);
    assert.deepEqual(Object.keys(metadata), ["__proto__", "b"]);
  });

  it('writes and reads back a tensor and a metadata key named "__proto__" (was: the tensor vanished)', () => {
    const metadata: Record<string, string> = {};
    Object.defineProperty(metadata, "__proto__", { value: "m", enumerable: true });
    const bytes = encodeSafetensors(
      [
        ["__proto__", tensor([1, 2])],
        ["w", tensor([3])],
      ],
      metadata,
    );
    const back = decodeSafetensors(bytes, "p.safetensors");
    assert.deepEqual([...back.tensors.keys()].sort(), ["__proto__", "w"]);
    assert.deepEqual(Array.from(back.tensors.get("__proto__")!.data), [1, 2]);
    assert.equal(Object.getOwnPropertyDescriptor(back.metadata, "__proto__")?.value, "m");
  });
});

describe("safetensors: header whitespace in linear time", () => {
  /** CPU ms to decode a header holding `spaces` spaces inside and as padding (best of 3). */
  function cpuMs(spaces: number): number {
    const pad = " ".repeat(spaces);
    const bytes = build(
      `{${pad}"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}${pad}}${pad}`,
      new Uint8Array(4),
    );
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 3; k++) {
      const start = process.cpuUsage();
      assert.equal(decodeSafetensors(bytes, "s.safetensors").tensors.get("a")?.shape[0], 1);
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    return best;
  }

  it("4x the spaces costs well under 16x the time (was: quadratic, 200k spaces over 30 s)", {
    timeout: 60_000,
  }, () => {
    const small = cpuMs(250_000);
    const large = cpuMs(1_000_000);
    assert.ok(
      large < 10 * Math.max(small, 1),
      `250k spaces: ${small.toFixed(1)} ms, 1M: ${large.toFixed(1)} ms`,
    );
  });
});
