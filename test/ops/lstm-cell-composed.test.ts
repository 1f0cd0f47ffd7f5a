// The composed LSTM cell (run by backends with fast elementwise kernels but no fused cell kernel)
// against the reference lstmCell / lstmCellBackward kernels, which specify it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { referenceKernels } from "../../src/backend/reference/index.js";
import { lstmCellBackwardComposed, lstmCellComposed } from "../../src/ops/lstm-cell-composed.js";
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
