// test/wasm/kernels: the wasm backend's own SIMD128 paths against the reference backend, values
// and gradients: attention (4-lane blocks, masked exp, block transposes; causal, masked, sizes
// that cross the block tiles), the float32 exp/sigmoid/tanh polynomials, GELU and layer norm.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { assertClose, type Tolerance } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";

/** Runs fn on `backend`, restoring the active backend after. */
function on<T>(backend: ts.BackendName, fn: () => T): T {
  const previous = ts.getBackend();
  ts.setBackend(backend);
  try {
    return fn();
  } finally {
    ts.setBackend(previous);
  }
}

/** fn's value and the gradients of sum(fn(inputs) * w), on one backend. */
function valueAndGrads(
  backend: ts.BackendName,
  fn: (...xs: ts.Tensor[]) => ts.Tensor,
  inputs: ts.Tensor[],
  w: ts.Tensor,
) {
  return on(backend, () => {
    const value = fn(...inputs);
    const grads = ts.grad((...xs: ts.Tensor[]) => ts.sum(ts.mul(fn(...xs), w)))(...inputs);
    return { value, grads };
  });
}

function compare(
  fn: (...xs: ts.Tensor[]) => ts.Tensor,
  inputs: ts.Tensor[],
  w: ts.Tensor,
  tol: Tolerance,
): void {
  const want = valueAndGrads("reference", fn, inputs, w);
  const got = valueAndGrads("wasm", fn, inputs, w);
  assertClose(got.value, want.value, { tol });
  for (const [i, g] of got.grads.entries()) assertClose(g, want.grads[i]!, { tol });
}

describe("wasm SIMD128 kernels against the reference backend", () => {
  test("the backend is loaded", () => {
    assert.ok(
      ts.listBackends().includes("wasm"),
      "the wasm backend did not load; build it with `npm run build:wasm`",
    );
  });

  test("attention, values and gradients (float32; causal, masked, across block tiles)", () => {
    for (const [B, N, Tq, Tk, D, Dv, causal] of [
      [1, 2, 5, 7, 4, 3, false],
      [2, 1, 70, 70, 8, 6, true],
      [1, 2, 9, 66, 5, 5, false],
    ] as const) {
      const q = seeded([B, N, Tq, D], -1, 1, 31);
      const k = seeded([B, N, Tk, D], -1, 1, 32);
      const v = seeded([B, N, Tk, Dv], -1, 1, 33);
      const w = seeded([B, N, Tq, Dv], -1, 1, 34);
      const mask = seeded([B, 1, 1, Tk], 0, 1, 35, "bool");
      compare((a, b, c) => ts.scaledDotProductAttention(a!, b!, c!, { mask, causal }), [q, k, v], w, {
        atol: 2e-5,
        rtol: 2e-4,
      });
    }
  });

  test("exp, sigmoid, tanh, gelu and layer norm (float32), values and gradients", () => {
    const x = seeded([7, 37], -12, 12, 41);
    const w = seeded([7, 37], -1, 1, 42);
    for (const fn of [ts.exp, ts.sigmoid, ts.tanh, (t: ts.Tensor) => ts.gelu(t)])
      compare((t) => fn(t!), [x], w, { atol: 1e-6, rtol: 1e-5 });
    const gamma = seeded([37], 0.5, 1.5, 43);
    const beta = seeded([37], -0.5, 0.5, 44);
    compare((t, g, b) => ts.layerNorm(t!, g!, b!), [x, gamma, beta], w, { atol: 1e-5, rtol: 1e-4 });
  });
});
