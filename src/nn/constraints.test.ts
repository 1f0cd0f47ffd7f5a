import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { constraints, tensor } from "../index.js";
import { getConstraint } from "./constraints.js";

const close = (a: ArrayLike<number>, b: number[], tol = 1e-5) =>
  b.forEach((v, i) => {
    assert.ok(Math.abs(a[i]! - v) < tol, `element ${i}: ${a[i]} vs ${v}`);
  });

describe("constraints", () => {
  it("maxNorm rescales columns (axis 0) whose norm exceeds the limit", () => {
    // column norms: [5, 0.5]
    const w = tensor([
      [3, 0.3],
      [4, 0.4],
    ]);
    close(constraints.maxNorm({ maxValue: 2 }).project(w).data, [1.2, 0.3, 1.6, 0.4]);
    // rows (axis 1): norms [sqrt(9.09), sqrt(16.16)] both > 1
    const rows = constraints.maxNorm({ maxValue: 1, axis: 1 }).project(w).data;
    close(rows, [3 / Math.sqrt(9.09), 0.3 / Math.sqrt(9.09), 4 / Math.sqrt(16.16), 0.4 / Math.sqrt(16.16)]);
  });

  it("nonNeg zeroes negative weights", () => {
    assert.deepEqual([...constraints.nonNeg().project(tensor([-1, 0, 2])).data], [0, 0, 2]);
  });

  it("unitNorm and minMaxNorm", () => {
    close(constraints.unitNorm().project(tensor([[3], [4]])).data, [0.6, 0.8]);
    // norm 5 clipped to [0, 1] at rate 0.5: desired 0.5 * 1 + 0.5 * 5 = 3
    close(constraints.minMaxNorm({ rate: 0.5 }).project(tensor([[3], [4]])).data, [1.8, 2.4]);
  });

  it("resolve names and configs", () => {
    assert.equal(getConstraint("max_norm")!.className, "MaxNorm");
    assert.equal(getConstraint("non_neg")!.className, "NonNeg");
    assert.deepEqual(getConstraint(constraints.maxNorm({ maxValue: 3 }).serialize())!.getConfig(), {
      maxValue: 3,
      axis: [0],
    });
    assert.throws(() => getConstraint("positive"), /unknown constraint "positive"/);
  });
});
