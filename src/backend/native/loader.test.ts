// The native backend's registration, controls and input checking: it is the default backend
// once loaded, reports which kernels fall back to the reference, exposes ISA and thread
// controls, and rejects inconsistent arguments with a JS error instead of touching memory.
import assert from "node:assert/strict";
import { test } from "node:test";
import { getBackend, listBackends, missingKernels, setBackend } from "../registry.js";
import { addonProblem, NATIVE_ABI_VERSION } from "./addon.js";
import { nativeAddon, nativeLoadError } from "./loader.js";

const addon = nativeAddon();
const initialBackend = getBackend();

test("native loads (required when TESSERA_REQUIRE_NATIVE=1), or the reason is kept", () => {
  if (process.env.TESSERA_REQUIRE_NATIVE === "1")
    assert.ok(addon, `native did not load: ${nativeLoadError()}`);
  if (addon) {
    assert.ok(listBackends().includes("native"));
    assert.equal(nativeLoadError(), undefined);
  } else {
    assert.match(nativeLoadError() ?? "", /tessera_native\.node|no prebuilt addon/);
    assert.ok(!listBackends().includes("native"));
  }
});

test("native is the default backend unless TESSERA_BACKEND forces another", () => {
  if (!addon) return;
  const forced = process.env.TESSERA_BACKEND;
  assert.equal(initialBackend, forced === undefined || forced === "" ? "native" : forced);
  setBackend("native");
  assert.equal(getBackend(), "native");
  setBackend(initialBackend);
});

test("the kernels native lacks (they fall back to the reference) are listed", (t) => {
  if (!addon) return;
  const missing = missingKernels("native");
  t.diagnostic(
    `native falls back to the reference for: ${missing.length === 0 ? "nothing" : missing.join(", ")}`,
  );
  console.log(`native kernels falling back to the reference (${missing.length}): ${missing.join(", ")}`);
  // the core of the issue is native: GEMM, element-wise, reductions, softmax, movement
  for (const kernel of [
    "matmul",
    "softmax",
    "logSoftmax",
    "cumsum",
    "where",
    "stridedCopy",
    "gather",
    "scatterAdd",
    "cast",
    "unary.exp",
    "unary.tanh",
    "binary.add",
    "binary.pow",
    "reduce.sum",
    "reduce.argmax",
    "lstmCell",
    "lstmCellBackward",
    "gruCell",
    "gruCellBackward",
    "lstmSequence",
    "lstmSequenceBackward",
    "gruSequence",
    "gruSequenceBackward",
    "attention",
    "attentionBackward",
    "adamUpdate",
    "sgdUpdate",
    "rmspropUpdate",
    "adagradUpdate",
    "adamaxUpdate",
    "nadamUpdate",
    "adadeltaUpdate",
    "layerNorm",
    "layerNormBackward",
    "rmsNorm",
    "rmsNormBackward",
    "gelu",
    "geluBackward",
  ]) {
    assert.ok(!missing.includes(kernel), `${kernel} should be native`);
  }
});

test("ISA controls: the active path is supported; unknown or unsupported names throw", () => {
  if (!addon) return;
  const supported = addon.supportedIsas();
  assert.ok(supported.includes("scalar"), "the portable path is always there");
  assert.ok(supported.includes(addon.getIsa()));
  assert.equal(addon.getIsa(), supported[0], "the fastest supported path is the default");
  const saved = addon.getIsa();
  for (const isa of supported) {
    addon.setIsa(isa);
    assert.equal(addon.getIsa(), isa);
  }
  addon.setIsa(saved);
  assert.throws(() => addon.setIsa("sse9" as never), /unknown ISA "sse9"/);
  for (const isa of ["avx512", "avx2"] as const) {
    if (!supported.includes(isa)) assert.throws(() => addon.setIsa(isa), /does not support/);
  }
});

test("thread controls: TESSERA_NUM_THREADS or every usable core; setNumThreads validates", () => {
  if (!addon) return;
  const env = Number(process.env.TESSERA_NUM_THREADS);
  const expected = Number.isInteger(env) && env >= 1 ? env : addon.availableCores();
  assert.equal(addon.getNumThreads(), expected);
  addon.setNumThreads(1);
  assert.equal(addon.getNumThreads(), 1);
  addon.setNumThreads(expected);
  assert.throws(() => addon.setNumThreads(0), RangeError);
  assert.throws(() => addon.setNumThreads(1.5), RangeError);
});

test("inconsistent lengths, strides and indices throw before any kernel runs", () => {
  if (!addon) return;
  const f = (n: number) => new Float32Array(n);
  // matmul: a too short for m x k, out too short, bias too short, mixed dtypes, bad activation
  assert.throws(
    () => addon.matmul(f(5), f(6), f(4), null, 1, 2, 2, 3, false, false, 0, 0, 0),
    /a has 5 elements, needs 6/,
  );
  assert.throws(() => addon.matmul(f(6), f(6), f(3), null, 1, 2, 2, 3, false, false, 0, 0, 0), /out has 3/);
  assert.throws(() => addon.matmul(f(6), f(6), f(4), f(1), 1, 2, 2, 3, false, false, 0, 0, 0), /bias has 1/);
  assert.throws(
    () => addon.matmul(f(12), f(6), f(8), null, 2, 2, 2, 3, false, false, 7, 0, 0),
    /a has 12 elements, needs 13/,
  );
  assert.throws(
    () => addon.matmul(new Float64Array(6), f(6), f(4), null, 1, 2, 2, 3, false, false, 0, 0, 0),
    /share one dtype/,
  );
  assert.throws(() => addon.matmul(f(6), f(6), f(4), null, 1, 2, 2, 3, false, false, 0, 0, 9), RangeError);
  assert.throws(() => addon.matmul(f(6), f(6), f(4), null, 1, -2, 2, 3, false, false, 0, 0, 0), RangeError);
  assert.throws(() => addon.matmul(f(6), f(6), f(4), null, 1, 2.5, 2, 3, false, false, 0, 0, 0), RangeError);
  assert.throws(
    () => addon.matmul([1] as never, f(6), f(4), null, 1, 2, 2, 3, false, false, 0, 0, 0),
    TypeError,
  );
  // element-wise: length mismatch, strides reaching past an operand, out not matching the shape
  assert.throws(() => addon.unary(0, f(3), f(4)), /lengths differ/);
  assert.throws(() => addon.unary(99, f(3), f(3)), RangeError);
  assert.throws(() => addon.binary(0, f(3), f(3), f(4), Float64Array.from([1, 4, 1, 1])), /reach outside/);
  assert.throws(
    () => addon.binary(0, f(4), f(4), f(3), Float64Array.from([1, 4, 1, 1])),
    /out has 3 elements/,
  );
  assert.throws(() => addon.binary(0, f(4), f(4), f(4), Float64Array.from([1, 4, 1])), /meta too short/);
  assert.throws(
    () => addon.where(f(4) as never, f(4), f(4), f(4), Float64Array.from([1, 4, 1, 1, 1])),
    /Uint8Array/,
  );
  // reductions, movement
  assert.throws(() => addon.reduce(0, f(5), 2, 3, 1, f(2)), /x has 5 elements, needs 6/);
  assert.throws(
    () => addon.softmax(f(6), 2, 3, 1, false, new Float64Array(6) as never),
    /both be Float32Array/,
  );
  assert.throws(
    () => addon.gather(f(6), 1, 3, 2, Int32Array.from([0, 3]), f(4)),
    /index 3 is outside \[0, 3\)/,
  );
  assert.throws(() => addon.scatterAdd(f(4), 1, 3, 2, Int32Array.from([-1, 0]), f(6)), /index -1/);
  assert.throws(() => addon.gather(f(6), 1, 3, 2, Float64Array.from([0]) as never, f(2)), /Int32Array/);
  assert.throws(
    () => addon.stridedCopy(f(6), f(6), Float64Array.from([2, 0, 0, 2, 3, -3, 1, 3, 1])),
    /source view reaches outside/,
  );
  assert.throws(
    () => addon.stridedCopy(f(6), f(5), Float64Array.from([1, 0, 0, 6, 1, 1])),
    /destination view/,
  );
  assert.throws(() => addon.cast(f(3), new Int32Array(2)), /lengths differ/);
});

test("addonProblem names what a broken module lacks", () => {
  assert.match(addonProblem(undefined) ?? "", /did not export an object/);
  assert.match(addonProblem({}) ?? "", /interface version is undefined, this Tessera needs \d+/);
  assert.match(addonProblem({ abiVersion: NATIVE_ABI_VERSION + 1 }) ?? "", /rebuild it/);
  assert.match(addonProblem({ abiVersion: NATIVE_ABI_VERSION }) ?? "", /lacks the function unary/);
  if (addon) {
    assert.equal(addonProblem(addon), undefined);
    // a fused kernel is checked by the name its definition gives it
    const { layerNormBackward: _dropped, ...partial } = addon;
    assert.match(addonProblem(partial) ?? "", /lacks the function layerNormBackward/);
  }
});
