// Float64 finite-difference gradchecks (reference backend) for the shape, indexing and join ops
// and for matmul / dot / outer / linear with every transpose flag and epilogue.
import { before, describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { setBackend, type Tensor } from "../../src/index.js";
import { gradcheck, uniform64 } from "../helpers/gradcheck.js";

before(() => setBackend("reference"));

const int32 = (v: number[] | number[][]) => ts.tensor(v, { dtype: "int32" });
const mm = (a: Tensor, b: Tensor) => ts.matmul(a, b);

describe("gradcheck: shape ops", () => {
  test("reshape (with -1), flatten and expandDims/squeeze", () => {
    gradcheck(
      (x) => ts.mul(ts.reshape(x, [3, -1]), ts.arange(4, undefined, 1, { dtype: "float64" })),
      [uniform64([2, 6], -1, 1, 1)],
    );
    gradcheck((x) => ts.flatten(x, 1), [uniform64([2, 3, 2], -1, 1, 2)]);
    gradcheck((x) => ts.squeeze(ts.expandDims(x, -1), 2), [uniform64([2, 3], -1, 1, 3)]);
    gradcheck((x) => ts.squeeze(x), [uniform64([1, 3, 1], -1, 1, 4)]);
  });

  test("transpose, permute and matrixTranspose", () => {
    gradcheck((x) => ts.transpose(x), [uniform64([2, 3, 4], -1, 1, 5)]);
    gradcheck((x) => ts.permute(x, [2, 0, 1]), [uniform64([2, 3, 4], -1, 1, 6)]);
    gradcheck((x) => ts.transpose(x, [-1, 0, 1]), [uniform64([2, 3, 4], -1, 1, 7)]);
    gradcheck((x) => ts.matrixTranspose(x), [uniform64([2, 3, 4], -1, 1, 8)]);
  });

  test("broadcastTo (rank growth and size-1 axes)", () => {
    gradcheck((x) => ts.broadcastTo(x, [2, 3, 4]), [uniform64([3, 1], -1, 1, 9)]);
    gradcheck((x) => ts.broadcastTo(x, [2, 3]), [uniform64([], -1, 1, 10)]);
    gradcheck((x) => ts.broadcastTo(x, [2, 0, 3]), [uniform64([1, 3], -1, 1, 11)]);
    // sumTo is broadcastTo's adjoint (used by every broadcasting gradient rule)
    gradcheck((x) => ts.sumTo(x, [3, 1]), [uniform64([2, 3, 4], -1, 1, 12)]);
    gradcheck((x) => ts.sumTo(x, []), [uniform64([2, 3], -1, 1, 13)]);
  });
});

describe("gradcheck: indexing ops", () => {
  test("slice with steps, negative steps, indices and open ends", () => {
    const x = uniform64([5, 6], -1, 1, 12);
    gradcheck(
      (t) =>
        ts.slice(t, [
          [1, null, 2],
          [null, null, -2],
        ]),
      [x],
    );
    gradcheck((t) => ts.slice(t, [-1, [4, 0, -1]]), [x]);
    gradcheck((t) => ts.slice(t, [null, [-3, null]]), [x]);
    gradcheck((t) => ts.slice(t, [[3, 1]]), [x]); // empty
  });

  test("gather / take with negative and repeated indices along each axis", () => {
    const x = uniform64([3, 4], -1, 1, 13);
    gradcheck((t) => ts.gather(t, int32([2, -1, 0, 2]), 0), [x]);
    gradcheck(
      (t) =>
        ts.take(
          t,
          int32([
            [1, 1],
            [-4, 3],
          ]),
          1,
        ),
      [x],
    );
    gradcheck((t) => ts.gather(t, ts.scalar(-2, "int32"), -1), [x]);
  });

  test("scatterAdd with repeated indices, gradient to both x and updates", () => {
    gradcheck(
      (t, u) => ts.scatterAdd(t, int32([0, 2, 0]), u, 1),
      [uniform64([2, 3], -1, 1, 14), uniform64([2, 3], -1, 1, 15)],
    );
    gradcheck(
      (t, u) => ts.scatterAdd(t, int32([-1, -1]), u),
      [uniform64([3, 2], -1, 1, 16), uniform64([2, 2], -1, 1, 17)],
    );
  });

  test("pad, tile, repeat and flip", () => {
    const x = uniform64([2, 3], -1, 1, 18);
    gradcheck(
      (t) =>
        ts.pad(
          t,
          [
            [1, 2],
            [0, 1],
          ],
          3.5,
        ),
      [x],
    );
    gradcheck((t) => ts.tile(t, [2, 1]), [x]);
    gradcheck((t) => ts.tile(t, [2, 1, 3]), [x]);
    gradcheck((t) => ts.repeat(t, 2, 1), [x]);
    gradcheck((t) => ts.repeat(t, 3), [x]);
    gradcheck((t) => ts.flip(t), [x]);
    gradcheck((t) => ts.flip(t, -1), [x]);
  });
});

describe("gradcheck: concat, stack and split", () => {
  test("concat of three inputs (one zero-size) along axis -1", () => {
    gradcheck(
      (a, b, c) => ts.concat([a, b, c], -1),
      [uniform64([2, 3], -1, 1, 19), uniform64([2, 0], -1, 1, 20), uniform64([2, 1], -1, 1, 21)],
    );
  });

  test("concat of the same tensor twice", () => {
    gradcheck((a) => ts.concat([a, a], 0), [uniform64([2, 3], -1, 1, 22)]);
  });

  test("stack along a new middle axis", () => {
    gradcheck((a, b) => ts.stack([a, b], 1), [uniform64([2, 3], -1, 1, 23), uniform64([2, 3], -1, 1, 24)]);
  });

  test("split: every part carries its gradient", () => {
    gradcheck(
      (a) => {
        const [p, q, r] = ts.split(a, [1, 0, 2], 1);
        return ts.concat([ts.mul(p!, 2), ts.exp(q!), ts.square(r!)], 1);
      },
      [uniform64([2, 3], -1, 1, 25)],
    );
    gradcheck((a) => ts.split(a, 2, 0)[1]!, [uniform64([4, 2], -1, 1, 26)]);
  });
});

describe("gradcheck: matmul, dot, outer and linear", () => {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      test(`matmul 2-D transposeA=${transposeA} transposeB=${transposeB}`, () => {
        const a = uniform64(transposeA ? [4, 3] : [3, 4], -1, 1, 27);
        const b = uniform64(transposeB ? [5, 4] : [4, 5], -1, 1, 28);
        gradcheck((x, y) => ts.matmul(x, y, { transposeA, transposeB }), [a, b]);
      });
      test(`matmul batched with broadcast batch axes transposeA=${transposeA} transposeB=${transposeB}`, () => {
        const a = uniform64(transposeA ? [2, 1, 4, 3] : [2, 1, 3, 4], -1, 1, 29);
        const b = uniform64(transposeB ? [3, 5, 4] : [3, 4, 5], -1, 1, 30);
        gradcheck((x, y) => ts.matmul(x, y, { transposeA, transposeB }), [a, b]);
      });
    }
  }

  test("matmul 1-D with 1-D, 2-D and batched operands", () => {
    gradcheck(mm, [uniform64([4], -1, 1, 31), uniform64([4], -1, 1, 32)]);
    gradcheck(mm, [uniform64([4], -1, 1, 33), uniform64([4, 3], -1, 1, 34)]);
    gradcheck(mm, [uniform64([3, 4], -1, 1, 35), uniform64([4], -1, 1, 36)]);
    gradcheck(mm, [uniform64([4], -1, 1, 37), uniform64([2, 4, 3], -1, 1, 38)]);
    gradcheck(mm, [uniform64([2, 3, 4], -1, 1, 39), uniform64([4], -1, 1, 40)]);
  });

  test("matmul with one side's batch of size 1 and a 2-D side", () => {
    gradcheck(mm, [uniform64([1, 3, 4], -1, 1, 41), uniform64([2, 4, 2], -1, 1, 42)]);
    gradcheck(mm, [uniform64([3, 4], -1, 1, 43), uniform64([2, 4, 2], -1, 1, 44)]);
    gradcheck(mm, [uniform64([2, 3, 4], -1, 1, 45), uniform64([4, 2], -1, 1, 46)]);
  });

  test("matmul with zero-size m, n and k", () => {
    gradcheck(mm, [uniform64([0, 3], -1, 1, 47), uniform64([3, 2], -1, 1, 48)]);
    gradcheck(mm, [uniform64([2, 0], -1, 1, 49), uniform64([0, 3], -1, 1, 50)]);
    gradcheck(mm, [uniform64([2, 3], -1, 1, 51), uniform64([3, 0], -1, 1, 52)]);
  });

  test("matmul of a transposed (materialised) operand", () => {
    gradcheck(
      (a, b) => ts.matmul(ts.transpose(a), b),
      [uniform64([4, 3], -1, 1, 53), uniform64([4, 2], -1, 1, 54)],
    );
  });

  test("dot and outer", () => {
    gradcheck(ts.dot, [uniform64([5], -1, 1, 55), uniform64([5], -1, 1, 56)]);
    gradcheck(ts.outer, [uniform64([3], -1, 1, 57), uniform64([4], -1, 1, 58)]);
  });

  for (const activation of ["none", "relu", "sigmoid", "tanh"] as const) {
    test(`linear with activation ${activation}, with and without bias`, () => {
      const x = uniform64([2, 3, 4], -1, 1, 59);
      const w = uniform64([4, 5], -1, 1, 60);
      const b = uniform64([5], -1, 1, 61);
      gradcheck((a, k, c) => ts.linear(a, k, c, activation), [x, w, b]);
      gradcheck((a, k) => ts.linear(a, k, null, activation), [uniform64([4], -1, 1, 62), w]);
    });
  }

  test("linear with a zero-size batch", () => {
    gradcheck(
      (a, k, c) => ts.linear(a, k, c, "tanh"),
      [uniform64([0, 4], -1, 1, 63), uniform64([4, 2], -1, 1, 64), uniform64([2], -1, 1, 65)],
    );
  });
});
