// allocateUninit (core/dtype) with the allocator the native loader installs: arrays have the right
// length and views, small ones stay zero-filled, and no op that allocates its output uninitialised
// lets the old contents through. The latter runs every such op (forward and backward) twice, once
// on zero-filled memory and once on memory poisoned with 0xFF bytes (NaN for floats, -1 for int32,
// 255 for bool), on the native and on the reference backend; the results must match bit for bit.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  allocateUninit,
  getUninitAllocator,
  setUninitAllocator,
  type TypedArray,
  UNINIT_MIN_BYTES,
  type UninitAllocator,
} from "../../core/dtype.js";
import * as ts from "../../index.js";
import { setConvAlgorithm } from "../../ops/conv.js";
import { gruSequence } from "../../ops/gru-sequence.js";
import { lstmSequence } from "../../ops/lstm-sequence.js";
import { getBackend } from "../registry.js";
import { nativeAddon } from "./loader.js";

const installed = getUninitAllocator();
const startBackend = getBackend();
after(() => {
  setUninitAllocator(installed);
  ts.setBackend(startBackend);
  setConvAlgorithm("auto");
});

/** Every byte 0xFF: NaN as float32/float64, -1 as int32, 255 as bool. */
const poisoned: UninitAllocator = (bytes) => new Uint8Array(bytes).fill(0xff).buffer;

describe("allocateUninit", () => {
  test("the native loader installs an allocator exactly when the addon loaded", () => {
    assert.equal(installed !== null, nativeAddon() !== undefined);
  });

  test("arrays have the requested dtype and length, over a buffer of exactly that size", () => {
    const sizes = [0, 1, 1000, UNINIT_MIN_BYTES / 4 - 1, UNINIT_MIN_BYTES / 4, 300_001];
    for (const size of sizes) {
      for (const [dtype, ctor, bytes] of [
        ["float32", Float32Array, 4],
        ["float64", Float64Array, 8],
        ["int32", Int32Array, 4],
        ["bool", Uint8Array, 1],
      ] as const) {
        const a = allocateUninit(dtype, size);
        assert.ok(a instanceof ctor, `${dtype} ${size}`);
        assert.equal(a.length, size);
        assert.equal(a.byteOffset, 0);
        assert.equal(a.buffer.byteLength, size * bytes);
        a.fill(1);
        assert.equal(size === 0 ? 1 : a[size - 1], 1);
      }
    }
  });

  test("below the threshold, or with no allocator, arrays come back zero-filled", () => {
    setUninitAllocator(poisoned);
    try {
      const small = allocateUninit("float32", UNINIT_MIN_BYTES / 4 - 1);
      assert.ok(small.every((v) => v === 0));
      const large = allocateUninit("float32", UNINIT_MIN_BYTES / 4);
      assert.ok(
        large.every((v) => Number.isNaN(v)),
        "the installed allocator serves large arrays",
      );
      setUninitAllocator(null);
      assert.ok(allocateUninit("float64", 100_000).every((v) => v === 0));
      assert.ok(allocateUninit("int32", 100_000).every((v) => v === 0));
    } finally {
      setUninitAllocator(installed);
    }
  });
});

type Case = [name: string, run: () => TypedArray[]];

/** Seeded per call, so a case's closure builds the same inputs on each of its two runs. */
function randn(shape: number[], seed: number): ts.Tensor {
  return ts.randn(shape, { generator: new ts.Generator(seed) });
}

/** Value and gradients of sum(f(inputs) * w) for a fixed random w, as raw arrays. */
function withGrads(f: (...xs: ts.Tensor[]) => ts.Tensor, inputs: ts.Tensor[]): TypedArray[] {
  const probe = f(...inputs);
  const w = ts.randn(probe.shape, { dtype: probe.dtype, generator: new ts.Generator(3) });
  const { value, grads } = ts.valueAndGrad((...xs: ts.Tensor[]) => ts.sum(ts.mul(f(...xs), w)))(...inputs);
  return [probe.data, value.data, ...grads.map((g) => g.data)];
}

/** Ops whose outputs (forward or backward) come from allocateUninit; each > UNINIT_MIN_BYTES. */
function cases(): Case[] {
  const a = randn([2, 96, 130], 101);
  const b = randn([130, 120], 102);
  const x2 = randn([96, 200], 103);
  const img = randn([4, 20, 20, 8], 104);
  const q = randn([2, 4, 48, 32], 105);
  const k = randn([2, 4, 40, 32], 106);
  const v = randn([2, 4, 40, 32], 107);
  const mask = ts.greater(randn([48, 40], 108), 0.5);
  const indices = ts.randint(0, 96, [150], { dtype: "int32", generator: new ts.Generator(5) });
  return [
    ["matmul (broadcast batch)", () => withGrads((p, r) => ts.matmul(p, r), [a, b])],
    [
      "matmul transposed",
      () => withGrads((p, r) => ts.matmul(p, r, { transposeA: true }), [b, randn([130, 160], 109)]),
    ],
    ["matmul k = 0", () => [ts.matmul(ts.zeros([200, 0]), ts.zeros([0, 150])).data]],
    [
      "linear + bias + relu",
      () =>
        withGrads((p, w, c) => ts.linear(p, w, c, "relu"), [x2, randn([200, 180], 110), randn([180], 111)]),
    ],
    ["binary broadcast", () => withGrads((p, r) => ts.mul(ts.add(p, r), p), [x2, randn([1, 200], 112)])],
    [
      "unary + compare + where",
      () => [
        ts.exp(x2).data,
        ts.greater(x2, 0).data,
        ts.where(ts.greater(x2, 0), x2, ts.neg(x2)).data,
        ts.isNaN(x2).data,
      ],
    ],
    ["softmax / logSoftmax", () => withGrads((p) => ts.add(ts.softmax(p), ts.logSoftmax(p, 0)), [x2])],
    ["gelu", () => withGrads((p) => ts.add(ts.gelu(p), ts.gelu(p, true)), [x2])],
    [
      "layerNorm",
      () => withGrads((p, g, c) => ts.layerNorm(p, g, c), [x2, randn([200], 113), randn([200], 114)]),
    ],
    ["rmsNorm", () => withGrads((p, g) => ts.rmsNorm(p, g), [x2, randn([200], 115)])],
    [
      "attention BNTD causal",
      () => withGrads((p, r, s) => ts.scaledDotProductAttention(p, r, s, { causal: true }), [q, k, v]),
    ],
    [
      "attention BTND masked",
      () =>
        withGrads(
          (p, r, s) =>
            ts.scaledDotProductAttention(p, r, s, {
              layout: "BTND",
              mask,
            }),
          [ts.transpose(q, [0, 2, 1, 3]), ts.transpose(k, [0, 2, 1, 3]), ts.transpose(v, [0, 2, 1, 3])],
        ),
    ],
    [
      "conv2d same",
      () => withGrads((p, w) => ts.conv2d(p, w, { padding: "same" }), [img, randn([3, 3, 8, 16], 116)]),
    ],
    [
      "conv2d strided + bias",
      () =>
        withGrads(
          (p, w, c) => ts.conv2d(p, w, { strides: 2, bias: c, activation: "relu" }),
          [img, randn([3, 3, 8, 40], 117), randn([40], 118)],
        ),
    ],
    [
      "depthwiseConv2d",
      () =>
        withGrads((p, w) => ts.depthwiseConv2d(p, w, { padding: "same" }), [img, randn([3, 3, 8, 2], 119)]),
    ],
    [
      "pooling",
      () => withGrads((p) => ts.add(ts.maxPool2d(p, 2), ts.avgPool2d(p, 2)), [randn([4, 40, 40, 8], 120)]),
    ],
    [
      "transpose / broadcastTo / concat",
      () =>
        withGrads(
          (p, r) => ts.concat([ts.transpose(p), ts.broadcastTo(r, [200, 96])], 1),
          [x2, randn([200, 1], 121)],
        ),
    ],
    ["gather", () => withGrads((p) => ts.gather(p, indices), [x2])],
    // whole-sequence recurrences: T 8, B 32, H 64 (outputs of 128 KiB and more)
    ...[false, true].map(
      (goBackwards): Case => [
        `lstmSequence${goBackwards ? " (goBackwards)" : ""}`,
        () =>
          withGrads(
            (x, u, h, c) => lstmSequence(x, u, h, c, { goBackwards }),
            [
              randn([8, 32, 256], 121),
              ts.mul(randn([64, 256], 122), 0.1),
              randn([32, 64], 123),
              randn([32, 64], 124),
            ],
          ),
      ],
    ),
    [
      "gruSequence",
      () =>
        withGrads(
          (x, u, b, h) => gruSequence(x, u, b, h),
          [
            randn([8, 32, 192], 125),
            ts.mul(randn([64, 192], 126), 0.1),
            randn([192], 127),
            randn([32, 64], 128),
          ],
        ),
    ],
    [
      "cast",
      () => [ts.cast(x2, "float64").data, ts.cast(ts.mul(x2, 10), "int32").data, ts.cast(x2, "bool").data],
    ],
  ];
}

/** Bitwise equality, so a NaN (or -1) left in an element is always caught. */
function assertSame(got: TypedArray[], want: TypedArray[], what: string): void {
  assert.equal(got.length, want.length, what);
  want.forEach((w, i) => {
    const g = got[i]!;
    assert.equal(g.length, w.length, `${what} #${i}: length`);
    const gb = new Uint8Array(g.buffer, g.byteOffset, g.byteLength);
    const wb = new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
    for (let j = 0; j < wb.length; j++) {
      if (gb[j] !== wb[j])
        assert.fail(
          `${what} #${i}: element ${Math.floor(j / w.BYTES_PER_ELEMENT)} differs (${g[Math.floor(j / w.BYTES_PER_ELEMENT)]} vs ${w[Math.floor(j / w.BYTES_PER_ELEMENT)]})`,
        );
    }
  });
}

const backends = nativeAddon() === undefined ? (["reference"] as const) : (["native", "reference"] as const);
for (const backend of backends) {
  describe(`ops on recycled memory leak none of it (${backend})`, () => {
    const algorithms = backend === "native" ? (["direct", "gemm"] as const) : (["auto"] as const);
    for (const algorithm of algorithms) {
      for (const [name, run] of cases()) {
        test(`${name}${algorithms.length > 1 ? ` (conv ${algorithm})` : ""}`, () => {
          ts.setBackend(backend);
          setConvAlgorithm(algorithm);
          setUninitAllocator(null);
          const clean = run();
          setUninitAllocator(poisoned);
          try {
            assertSame(run(), clean, name);
          } finally {
            setUninitAllocator(installed);
          }
        });
      }
    }
  });
}
