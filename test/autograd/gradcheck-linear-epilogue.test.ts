// Float64 gradchecks of linear's gradient rule (the fused epilogue adjoint: dz = dy act'(y) and
// the bias gradient in one kernel pass) on every backend, with every activation, each input
// alone requiring a gradient and all together, odd sizes and a 3-D input.
import { describe, test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { gradcheck, uniform64 } from "../helpers/gradcheck.js";

forEachBackend("gradcheck: linear's fused epilogue adjoint", () => {
  for (const activation of ["none", "relu", "sigmoid", "tanh"] as const) {
    describe(activation, () => {
      const x = uniform64([3, 5, 7], -1, 1, 71);
      const w = uniform64([7, 9], -1, 1, 72);
      const b = uniform64([9], -0.5, 0.5, 73);
      test("x, kernel and bias together", () => {
        gradcheck((a, k, c) => ts.linear(a, k, c, activation), [x, w, b]);
      });
      test("only the bias, only the kernel, only x", () => {
        gradcheck((c) => ts.linear(x, w, c, activation), [b]);
        gradcheck((k) => ts.linear(x, k, b, activation), [w]);
        gradcheck((a) => ts.linear(a, w, b, activation), [x]);
        gradcheck((a) => ts.linear(a, w, null, activation), [x]);
      });
    });
  }
});
