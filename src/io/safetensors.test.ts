import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FormatError } from "../core/errors.js";
import { tensor } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import {
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  parseSafetensorsHeader,
} from "./safetensors.js";
import { halfToNumber } from "./safetensors-dtypes.js";

/** Builds a file by hand: u64 LE length, the header text exactly as given, then the data bytes. */
function build(
  header: string | object,
  data: number[] | Uint8Array = [],
  lengthOverride?: bigint,
): Uint8Array {
  const text = typeof header === "string" ? header : JSON.stringify(header);
  const headerBytes = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + headerBytes.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  out.set(data, 8 + headerBytes.length);
  return out;
}

function f32Bytes(values: number[]): number[] {
  return [...new Uint8Array(new Float32Array(values).buffer)];
}

const ok = (extra: object = {}) => ({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, ...extra });

function rejects(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => decodeSafetensors(bytes, "w.safetensors"),
    (error: unknown) => {
      assert.ok(error instanceof FormatError, `expected FormatError, got ${String(error)}`);
      assert.match(error.message, /^w\.safetensors/);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe("safetensors reader on hand-built files", () => {
  test("reads a valid file with metadata, in file order", () => {
    const data = [...f32Bytes([1.5, -2]), 7, 0, 0, 0, 1, 0];
    const header = {
      __metadata__: { format: "pt", note: "x" },
      b: { dtype: "I32", shape: [1], data_offsets: [8, 12] },
      a: { dtype: "F32", shape: [2, 1], data_offsets: [0, 8] },
      c: { dtype: "BOOL", shape: [2], data_offsets: [12, 14] },
    };
    const { tensors, metadata, fileDTypes } = decodeSafetensors(build(header, data), "w.safetensors");
    assert.deepEqual([...tensors.keys()], ["a", "b", "c"]);
    assert.deepEqual(metadata, { format: "pt", note: "x" });
    const a = tensors.get("a")!;
    assert.equal(a.dtype, "float32");
    assert.deepEqual(a.shape, [2, 1]);
    assert.deepEqual([...a.data], [1.5, -2]);
    assert.deepEqual([...tensors.get("b")!.data], [7]);
    assert.equal(tensors.get("c")!.dtype, "bool");
    assert.deepEqual([...tensors.get("c")!.data], [1, 0]);
    assert.equal(fileDTypes.get("b"), "I32");
  });

  test("accepts trailing-space padding, scalars and empty tensors", () => {
    const header = `${JSON.stringify({
      s: { dtype: "F64", shape: [], data_offsets: [0, 8] },
      e: { dtype: "F32", shape: [0, 3], data_offsets: [8, 8] },
    })}     `;
    const data = [...new Uint8Array(new Float64Array([Math.PI]).buffer)];
    const { tensors } = decodeSafetensors(build(header, data), "w.safetensors");
    assert.deepEqual(tensors.get("s")!.shape, []);
    assert.equal(tensors.get("s")!.data[0], Math.PI);
    assert.deepEqual(tensors.get("e")!.shape, [0, 3]);
    assert.equal(tensors.get("e")!.size, 0);
  });

  test("file shorter than 8 bytes", () =>
    rejects(new Uint8Array(5), /shorter than the 8-byte header length/));
  test("header length past the end of the file", () =>
    rejects(build(ok(), f32Bytes([1, 2]), 10_000n), /runs past the end of the file/));
  test("header length above the 100 MB cap", () =>
    rejects(build(ok(), f32Bytes([1, 2]), BigInt(MAX_HEADER_BYTES) + 1n), /exceeds the 104857600-byte cap/));
  test("header length of 2^64-1", () => rejects(build(ok(), [], 0xffffffffffffffffn), /exceeds/));
  test("header not starting with '{'", () =>
    rejects(build(`[${JSON.stringify(ok())}]`, f32Bytes([1, 2])), /start with '\{'/));
  test("header not JSON", () => rejects(build("{not json}", f32Bytes([1, 2])), /invalid JSON/));
  test("header not UTF-8", () => {
    const bytes = build('{"\u00e9":1}');
    bytes[10] = 0xff; // corrupt the first byte of the two-byte character
    rejects(bytes, /not valid UTF-8/);
  });
  test("duplicate tensor names", () =>
    rejects(
      build(
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        f32Bytes([1, 2]),
      ),
      /duplicate key "a"/,
    ));
  test("integer above 2^53 in an offset", () =>
    rejects(build('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,9007199254740993]}}'), /beyond 2\^53/));
  test("fractional or negative shape", () => {
    rejects(
      build('{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}', f32Bytes([1, 2])),
      /non-negative integer/,
    );
    rejects(
      build('{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', f32Bytes([1, 2])),
      /non-negative integer/,
    );
    rejects(
      build('{"a":{"dtype":"F32","shape":[2e0],"data_offsets":[0,8]}}', f32Bytes([1, 2])),
      /non-negative integer/,
    );
  });
  test("unknown dtype", () =>
    rejects(build({ a: { dtype: "F4", shape: [2], data_offsets: [0, 1] } }, [0]), /unsupported dtype "F4"/));
  test("unknown field in an entry", () =>
    rejects(
      build({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8], code: "x" } }, f32Bytes([1, 2])),
      /unknown field "code"/,
    ));
  test("missing data_offsets", () =>
    rejects(build({ a: { dtype: "F32", shape: [2] } }, f32Bytes([1, 2])), /data_offsets/));
  test("metadata value not a string", () =>
    rejects(build(ok({ __metadata__: { n: 1 } }), f32Bytes([1, 2])), /"__metadata__"."n" must be a string/));
  test("shape x dtype size does not match the byte range", () =>
    rejects(
      build({ a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, f32Bytes([1, 2])),
      /needs more than 8 bytes but data_offsets span 8/,
    ));
  test("huge declared shape over a tiny range is refused before any allocation", () =>
    rejects(
      build(
        { a: { dtype: "F64", shape: [4294967296, 4294967296, 4294967296], data_offsets: [0, 8] } },
        f32Bytes([1, 2]),
      ),
      /needs more than 8 bytes/,
    ));
  test("end before begin", () =>
    rejects(
      build({ a: { dtype: "F32", shape: [0], data_offsets: [8, 0] } }, f32Bytes([1, 2])),
      /end 0 is before begin 8/,
    ));
  test("offsets not starting at 0", () =>
    rejects(
      build({ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, f32Bytes([1, 2])),
      /gap before tensor "a" \(bytes 0\.\.4/,
    ));
  test("gap between tensors", () =>
    rejects(
      build(
        {
          a: { dtype: "F32", shape: [1], data_offsets: [0, 4] },
          b: { dtype: "F32", shape: [1], data_offsets: [8, 12] },
        },
        f32Bytes([1, 2, 3]),
      ),
      /gap before tensor "b"/,
    ));
  test("overlapping tensors", () =>
    rejects(
      build(
        {
          a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
          b: { dtype: "F32", shape: [1], data_offsets: [4, 8] },
        },
        f32Bytes([1, 2]),
      ),
      /overlaps/,
    ));
  test("truncated data", () =>
    rejects(build(ok(), f32Bytes([1])), /past the 4-byte data section \(truncated\?\)/));
  test("trailing bytes after the last tensor", () =>
    rejects(build(ok(), f32Bytes([1, 2, 3])), /4 trailing bytes/));
  test("BOOL byte other than 0 or 1", () =>
    rejects(
      build({ a: { dtype: "BOOL", shape: [2], data_offsets: [0, 2] } }, [1, 2]),
      /BOOL element 1 is 2/,
    ));
  test("I64 value that does not fit int32", () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setBigInt64(0, -5n, true);
    new DataView(data.buffer).setBigInt64(8, 1n << 40n, true);
    rejects(
      build({ a: { dtype: "I64", shape: [2], data_offsets: [0, 16] } }, data),
      /element 1 is 1099511627776/,
    );
  });
  test("nesting deeper than the cap", () =>
    rejects(build(`{"a":${"[".repeat(100)}${"]".repeat(100)}}`), /nesting deeper/));
});

describe("safetensors dtype mapping", () => {
  test("widens integers losslessly", () => {
    const data = new Uint8Array(2 + 2 + 4 + 4 + 16);
    const v = new DataView(data.buffer);
    data[0] = 255; // U8
    v.setInt8(1, -128); // I8 at 1
    v.setInt16(2, -30000, true); // I16
    v.setUint16(4, 65535, true); // U16
    v.setUint32(6, 2147483647, true); // U32
    v.setInt16(10, 0, true); // padding tensor of I16 [1]
    v.setBigInt64(12, -2147483648n, true); // I64
    v.setBigUint64(20, 12345n, true); // U64
    const header = {
      u8: { dtype: "U8", shape: [1], data_offsets: [0, 1] },
      i8: { dtype: "I8", shape: [1], data_offsets: [1, 2] },
      i16: { dtype: "I16", shape: [1], data_offsets: [2, 4] },
      u16: { dtype: "U16", shape: [1], data_offsets: [4, 6] },
      u32: { dtype: "U32", shape: [1], data_offsets: [6, 10] },
      pad: { dtype: "I16", shape: [1], data_offsets: [10, 12] },
      i64: { dtype: "I64", shape: [1], data_offsets: [12, 20] },
      u64: { dtype: "U64", shape: [1], data_offsets: [20, 28] },
    };
    const { tensors } = decodeSafetensors(build(header, data), "w.safetensors");
    const values = Object.fromEntries([...tensors].map(([k, t]) => [k, [t.dtype, t.data[0]]]));
    assert.deepEqual(values, {
      u8: ["int32", 255],
      i8: ["int32", -128],
      i16: ["int32", -30000],
      u16: ["int32", 65535],
      u32: ["int32", 2147483647],
      pad: ["int32", 0],
      i64: ["int32", -2147483648],
      u64: ["int32", 12345],
    });
  });

  test("F16 and BF16 decode exactly to float32", () => {
    // F16: 1.0 = 0x3c00, -2.5 = 0xc100, smallest subnormal 0x0001 = 2^-24, +inf = 0x7c00, 65504 = 0x7bff.
    const halves = [0x3c00, 0xc100, 0x0001, 0x7c00, 0x7bff];
    // BF16: the upper half of the float32 bits: 1.0 = 0x3f80, -3.0 = 0xc040.
    const brains = [0x3f80, 0xc040];
    const data = new Uint8Array((halves.length + brains.length) * 2);
    const v = new DataView(data.buffer);
    for (const [i, h] of [...halves, ...brains].entries()) v.setUint16(i * 2, h, true);
    const header = {
      h: { dtype: "F16", shape: [5], data_offsets: [0, 10] },
      b: { dtype: "BF16", shape: [2], data_offsets: [10, 14] },
    };
    const { tensors } = decodeSafetensors(build(header, data), "w.safetensors");
    assert.equal(tensors.get("h")!.dtype, "float32");
    assert.deepEqual([...tensors.get("h")!.data], [1, -2.5, 2 ** -24, Number.POSITIVE_INFINITY, 65504]);
    assert.deepEqual([...tensors.get("b")!.data], [1, -3]);
    assert.ok(Number.isNaN(halfToNumber(0x7e00)));
  });

  test("F8 formats decode by their bit layout", () => {
    // E4M3 (bias 7): 0x38 = 0.0111.000 = 1.0; 0x7e = 448 (largest); 0x01 = 2^-9; 0x7f = NaN.
    // E5M2 (bias 15): 0x3c = 0.01111.00 = 1.0; 0x7c = inf; 0xc0 = -2.0.
    const header = {
      e4: { dtype: "F8_E4M3", shape: [4], data_offsets: [0, 4] },
      e5: { dtype: "F8_E5M2", shape: [3], data_offsets: [4, 7] },
    };
    const { tensors } = decodeSafetensors(
      build(header, [0x38, 0x7e, 0x01, 0x7f, 0x3c, 0x7c, 0xc0]),
      "w.safetensors",
    );
    const e4 = [...tensors.get("e4")!.data];
    assert.deepEqual(e4.slice(0, 3), [1, 448, 2 ** -9]);
    assert.ok(Number.isNaN(e4[3]));
    assert.deepEqual([...tensors.get("e5")!.data], [1, Number.POSITIVE_INFINITY, -2]);
  });
});

describe("safetensors writer", () => {
  test("round-trips every dtype bit-exactly with metadata", () => {
    const weird = new Float32Array([Number.NaN, -0, 1e-45, 3.4028234663852886e38]);
    const input: [string, Tensor][] = [
      ["flag", tensor([true, false, true], { dtype: "bool" })],
      ["dense_1/kernel", new Tensor(weird, [2, 2])],
      ["f64", tensor([[Math.E]], { dtype: "float64" })],
      ["idx", tensor([-1, 2147483647], { dtype: "int32" })],
      ["scalar", tensor(3.5)],
    ];
    const bytes = encodeSafetensors(input, { framework: "tessera" });
    const { tensors, metadata } = decodeSafetensors(bytes, "w.safetensors");
    assert.deepEqual(metadata, { framework: "tessera" });
    assert.equal(tensors.size, input.length);
    for (const [name, t] of input) {
      const back = tensors.get(name)!;
      assert.equal(back.dtype, t.dtype, name);
      assert.deepEqual(back.shape, t.shape, name);
      assert.deepEqual(new Uint8Array(back.data.buffer), new Uint8Array(t.data.buffer.slice(0)), name);
    }
  });

  test("lays tensors out widest first, aligned, with an 8-byte aligned data start", () => {
    const bytes = encodeSafetensors([
      ["b", tensor([true], { dtype: "bool" })],
      ["f", tensor([1], { dtype: "float32" })],
      ["d", tensor([1], { dtype: "float64" })],
    ]);
    const header = parseSafetensorsHeader(bytes, bytes.length, "w");
    assert.deepEqual(
      header.entries.map((e) => [e.name, e.begin]),
      [
        ["d", 0],
        ["f", 8],
        ["b", 12],
      ],
    );
    assert.equal(header.dataStart % 8, 0);
  });

  test("refuses duplicate and reserved names", () => {
    assert.throws(() => encodeSafetensors([["__metadata__", tensor([1])]]), /invalid tensor name/);
    assert.throws(
      () =>
        encodeSafetensors([
          ["a", tensor([1])],
          ["a", tensor([2])],
        ]),
      /duplicate tensor name "a"/,
    );
  });
});
