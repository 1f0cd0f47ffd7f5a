// test/fuzz: safetensors codec targets (io/safetensors). Properties: only typed errors escape on
// arbitrary files, on hand-made headers and on corrupted valid files; what decodes holds no more
// elements than the file has bytes; encode then decode gives the same names, shapes, bits and
// metadata, whatever the names.
import assert from "node:assert/strict";
import { decodeSafetensors, encodeSafetensors } from "../../src/io/safetensors.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { assertBounded, bytesFrom, fc, fuzz } from "./harness.js";

const encoder = new TextEncoder();

function withLength(header: Uint8Array, declared: bigint, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared, true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

function checkDecoded(bytes: Uint8Array): void {
  const { tensors } = decodeSafetensors(bytes, "f.safetensors");
  let elements = 0;
  for (const t of tensors.values()) elements += t.size;
  assertBounded("elements", elements, bytes.length);
}

fuzz("decodeSafetensors on arbitrary bytes", bytesFrom('{}[]":, 0123456789FUIBOL_', 200), checkDecoded);

const DTYPES = fc.constantFrom(
  "F16",
  "BF16",
  "F32",
  "F64",
  "I8",
  "U8",
  "I16",
  "U16",
  "I32",
  "I64",
  "U64",
  "BOOL",
  "X",
);
const NUMBER = fc.oneof(fc.nat(64), fc.constantFrom(-1, 1.5, 2 ** 53, 2 ** 60, 1e300));
const ENTRY = fc.record(
  {
    dtype: DTYPES,
    shape: fc.array(NUMBER, { maxLength: 4 }),
    data_offsets: fc.oneof(fc.tuple(NUMBER, NUMBER), fc.array(NUMBER, { maxLength: 3 })),
    extra: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);
const NAME = fc.oneof(
  fc.constantFrom("__proto__", "__metadata__", "constructor", "", "a"),
  fc.string({ maxLength: 3 }),
);
const HEADER = fc.dictionary(NAME, fc.oneof(ENTRY, fc.dictionary(NAME, fc.jsonValue({ maxDepth: 1 }))), {
  maxKeys: 4,
});

fuzz(
  "decodeSafetensors on hand-made headers (any dtype, shape, offsets, padding, declared length)",
  fc.tuple(HEADER, fc.nat(16), fc.uint8Array({ maxLength: 96 }), fc.integer({ min: -3, max: 3 })),
  ([header, padding, data, lengthError]) => {
    const text = encoder.encode(JSON.stringify(header) + " ".repeat(padding));
    const declared = BigInt(Math.max(0, text.length + lengthError));
    checkDecoded(withLength(text, declared, data));
  },
);

const TENSOR = fc.oneof(
  fc.float32Array({ maxLength: 12 }).map((a) => new Tensor(a, [a.length])),
  fc.float64Array({ maxLength: 6 }).map((a) => new Tensor(a, [a.length, 1])),
  fc.int32Array({ maxLength: 8 }).map((a) => new Tensor(a, [1, a.length])),
  fc.array(fc.boolean(), { maxLength: 8 }).map((b) => new Tensor(Uint8Array.from(b, Number), [b.length])),
  fc.constant(new Tensor(new Float32Array(0), [0, 3])),
);
const TENSOR_NAME = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "toString", "dense/kernel"),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const FILES = fc.tuple(
  fc
    .uniqueArray(fc.tuple(TENSOR_NAME, TENSOR), {
      selector: ([name]) => name,
      maxLength: 4,
    })
    .map((pairs) => pairs.filter(([name]) => name !== "__metadata__")),
  fc.dictionary(
    fc.oneof(fc.constantFrom("__proto__", "constructor"), fc.string({ maxLength: 4 })),
    fc.string(),
    {
      maxKeys: 3,
    },
  ),
);

/** A record with the same own keys as `source`, "__proto__" included. */
function ownCopy(source: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(source)) {
    Object.defineProperty(out, key, {
      value: source[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function bitsOf(t: Tensor): number[] {
  return Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

fuzz(
  "encodeSafetensors then decodeSafetensors gives the same tensors and metadata",
  FILES,
  ([pairs, metadata]) => {
    const bytes = encodeSafetensors(pairs, metadata);
    const back = decodeSafetensors(bytes, "r.safetensors");
    assert.deepEqual([...back.tensors.keys()].sort(), pairs.map(([name]) => name).sort());
    for (const [name, t] of pairs) {
      const got = back.tensors.get(name)!;
      assert.equal(got.dtype, t.dtype, name);
      assert.deepEqual(got.shape, t.shape, name);
      assert.deepEqual(bitsOf(got), bitsOf(t), name);
    }
    assert.deepEqual(ownCopy(back.metadata), ownCopy(metadata));
  },
  { typedErrorsPass: false },
);

fuzz(
  "decodeSafetensors on corrupted valid files (flipped bytes, cut or extended)",
  fc.tuple(
    FILES,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.integer({ min: -16, max: 8 }),
  ),
  ([[pairs, metadata], flips, resize]) => {
    const valid = encodeSafetensors(pairs, metadata);
    const bytes = new Uint8Array(Math.max(0, valid.length + resize));
    bytes.set(valid.subarray(0, bytes.length));
    for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
    checkDecoded(bytes);
  },
);
