// Tests of nn/weight-budget: weights are charged to the open budget, refused before allocation
// when they would pass it, and the scope closes even when the build throws.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../core/errors.js";
import { Dense } from "./layers/dense.js";
import { withWeightBudget } from "./weight-budget.js";

const refuse = (bytes: number) => ({
  bytes,
  exceeded: (path: string, shape: readonly number[]) => new ValueError(`over budget: ${path} [${shape}]`),
});

test("weights within the budget are created; the one that passes it is refused by name", () => {
  // Dense 3 -> 2 (float32): kernel 6 * 4 = 24 bytes, bias 2 * 4 = 8 bytes.
  const fits = withWeightBudget(refuse(32), () => {
    const d = new Dense({ units: 2, name: "fits" });
    d.build([null, 3]);
    return d;
  });
  assert.equal(fits.countParams(), 8);
  assert.throws(
    () => withWeightBudget(refuse(31), () => new Dense({ units: 2, name: "tight" }).build([null, 3])),
    /over budget: tight\/bias \[2\]/,
  );
  assert.throws(
    () => withWeightBudget(refuse(8), () => new Dense({ units: 2, name: "small" }).build([null, 3])),
    /over budget: small\/kernel \[3,2\]/,
  );
});

test("the budget ends with its scope, also after an error", () => {
  assert.throws(() => withWeightBudget(refuse(0), () => new Dense({ units: 4 }).build([null, 4])));
  const free = new Dense({ units: 4 });
  free.build([null, 4]);
  assert.equal(free.countParams(), 20);
});

test("nested budgets: the innermost one is charged", () => {
  const inner = withWeightBudget(refuse(0), () =>
    withWeightBudget(refuse(1000), () => {
      const d = new Dense({ units: 1 });
      d.build([null, 2]);
      return d.countParams();
    }),
  );
  assert.equal(inner, 3);
});
