// writeZip/zipParts against the Node zip reader (read-zip.ts, whose CRC-32 and inflate are
// node:zlib's) and the portable crc32 against node:zlib's: stored and deflated entries, UTF-8
// names, an empty entry, the DOS timestamp, and the refusals.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deflateRawSync, crc32 as zlibCrc32 } from "node:zlib";
import { ValueError } from "../../core/errors.js";
import { Generator } from "../../core/random.js";
import { crc32 } from "./crc32.js";
import { ZipArchive } from "./read-zip.js";
import { writeZip, zipParts } from "./write-zip.js";
import { dataView } from "./zip-directory.js";

function randomBytes(n: number, seed: number): Uint8Array {
  const g = new Generator(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(g.random() * 256));
}

describe("crc32", () => {
  it("equals node:zlib's on the check string, random data and in two pieces", () => {
    assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
    for (const n of [0, 1, 7, 1000, 65_537]) {
      const bytes = randomBytes(n, n + 1);
      assert.equal(crc32(bytes), zlibCrc32(bytes) >>> 0, `length ${n}`);
      const half = n >> 1;
      assert.equal(crc32(bytes.subarray(half), crc32(bytes.subarray(0, half))), crc32(bytes));
    }
  });
});

describe("writeZip", () => {
  const files = {
    "model.json": '{"name": "héllo"}\n',
    "weights.safetensors": randomBytes(5000, 3),
    "dir/ünïcode.txt": "text",
    empty: new Uint8Array(0),
  };

  it("writes stored entries that the Node reader lists and reads back byte for byte", () => {
    const zip = new ZipArchive(writeZip(files), "stored.zip");
    assert.deepEqual([...zip.entries.keys()], Object.keys(files));
    assert.equal(zip.readText("model.json"), files["model.json"]);
    assert.deepEqual(zip.read("weights.safetensors"), files["weights.safetensors"]);
    assert.equal(zip.readText("dir/ünïcode.txt"), "text");
    assert.equal(zip.read("empty").length, 0);
    assert.ok([...zip.entries.values()].every((e) => e.method === 0 && e.compressedSize === e.size));
  });

  it("deflates entries with the given raw DEFLATE", () => {
    const text = "tessera ".repeat(500);
    const zip = new ZipArchive(
      writeZip({ "a.txt": text, b: files["weights.safetensors"] }, { deflate: deflateRawSync }),
    );
    const entry = zip.entries.get("a.txt");
    assert.equal(entry?.method, 8);
    assert.ok(entry.compressedSize < entry.size / 10, `${entry.compressedSize} of ${entry.size}`);
    assert.equal(zip.readText("a.txt"), text);
    assert.deepEqual(new Uint8Array(zip.read("b")), files["weights.safetensors"]);
  });

  it("records the modification time as MS-DOS time and date", () => {
    const parts = zipParts({ a: "x" }, { modified: new Date(Date.UTC(2026, 11, 6, 13, 45, 58)) });
    const local = dataView(parts[0]!);
    assert.equal(local.getUint16(10, true), (13 << 11) | (45 << 5) | 29);
    assert.equal(local.getUint16(12, true), ((2026 - 1980) << 9) | (12 << 5) | 6);
    // the pieces: local header + data per entry, then the central directory and its end record
    assert.equal(parts.length, 4);
  });

  it("refuses an empty entry name", () => {
    assert.throws(
      () => writeZip({ "": "x" }),
      (e: unknown) => e instanceof ValueError && /bad entry name/.test(e.message),
    );
  });
});
