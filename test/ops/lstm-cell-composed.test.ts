// The composed LSTM cell (run by backends with fast elementwise kernels but no fused cell kernel)
// against the reference lstmCell / lstmCellBackward kernels, which specify it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { referenceKernels } from "../../src/backend/reference/index.js";
import { kernelRoutes, kernels, registerBackend } from "../../src/backend/registry.js";
import * as ts from "../../src/index.js";
import { lstmCellBackwardComposed, lstmCellComposed } from "../../src/ops/lstm-cell-composed.js";
import { withBackend } from "../helpers/backends.js";
import { seeded } from "../helpers/data.js";

test("composed LSTM cell equals the reference kernels (forward and backward)", () => {
  const [B, H] = [3, 5];
  const f64 = (n: number, seed: number, lo = -2, hi = 2) =>
    seeded([n], lo, hi, seed, "float64").data as Float64Array;
  const x = f64(B * 4 * H, 1);
  const rec = f64(B * 4 * H, 2);
  const cPrev = f64(B * H, 3);
  const dh = f64(B * H, 4);
  const dc = f64(B * H, 5);
  const params = { batch: B, units: H, activation: "tanh", recurrentActivation: "sigmoid" } as const;
  const ref = { gates: new Float64Array(B * 4 * H), c: new Float64Array(B * H), h: new Float64Array(B * H) };
  referenceKernels.lstmCell(x, rec, cPrev, ref.gates, ref.c, ref.h, params);
  const scratch = {
    sig: new Float64Array(B * 4 * H),
    tanh: new Float64Array(B * 4 * H),
    state: new Float64Array(B * H),
  };
  const got = { gates: new Float64Array(B * 4 * H), c: new Float64Array(B * H), h: new Float64Array(B * H) };
  lstmCellComposed(referenceKernels, x, rec, cPrev, got.gates, got.c, got.h, B, H, scratch);
  const close = (a: Float64Array, b: Float64Array, what: string) => {
    for (let i = 0; i < a.length; i++)
      assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-14, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  };
  close(got.gates, ref.gates, "gates");
  close(got.c, ref.c, "c");
  close(got.h, ref.h, "h");
  const refDz = new Float64Array(B * 4 * H);
  const refDcPrev = new Float64Array(B * H);
  referenceKernels.lstmCellBackward(ref.gates, cPrev, ref.c, dh, dc, refDz, refDcPrev, params);
  const dz = new Float64Array(B * 4 * H);
  const dcPrev = new Float64Array(B * H);
  lstmCellBackwardComposed(referenceKernels, ref.gates, cPrev, ref.c, dh, dc, dz, dcPrev, B, H, scratch);
  close(dz, refDz, "dz");
  close(dcPrev, refDcPrev, "dcPrev");
});

test("the registry routes a backend with fast sigmoid/tanh but no fused cell to the composed cell", () => {
  // a stand-in backend whose own kernels are the active sigmoid and tanh (counted): the registry
  // must route its LSTM to the composed cell, whose results equal the reference's
  const { tanh, sigmoid } = kernels().unary;
  let calls = 0;
  registerBackend(
    "wasm",
    {
      unary: {
        tanh: (x, out) => {
          calls++;
          tanh(x, out);
        },
        sigmoid: (x, out) => {
          calls++;
          sigmoid(x, out);
        },
      },
    },
    -1,
  );
  const T = 4;
  const B = 2;
  const H = 3;
  const x = seeded([T, B, 4 * H], -1, 1, 40, "float64");
  const u = seeded([H, 4 * H], -1, 1, 41, "float64");
  const h0 = seeded([B, H], -1, 1, 42, "float64");
  const c0 = seeded([B, H], -1, 1, 43, "float64");
  const want = withBackend("reference", () => ts.lstmSequence(x, u, h0, c0));
  const got = withBackend("wasm", () => {
    assert.equal(kernelRoutes().lstmCell, "composed");
    return ts.lstmSequence(x, u, h0, c0);
  });
  assert.ok(calls > 0, "the composed cell runs the backend's sigmoid and tanh");
  for (let i = 0; i < want.size; i++)
    assert.ok(Math.abs(got.data[i]! - want.data[i]!) < 1e-12, `element ${i}`);
  assert.equal(
    kernelRoutes().lstmCell,
    "fused",
    "the backend active again has its own cell (or is the reference)",
  );
});
