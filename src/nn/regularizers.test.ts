import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, regularizers, tensor } from "../index.js";
import { getRegularizer } from "./regularizers.js";

describe("regularizers", () => {
  const w = tensor([
    [1, -2],
    [0.5, 3],
  ]);

  it("compute l1, l2 and l1l2 penalties with Keras defaults", () => {
    // sum |w| = 6.5, sum w^2 = 14.25
    assert.ok(Math.abs(regularizers.l1().penalty(w).item() - 0.065) < 1e-7);
    assert.ok(Math.abs(regularizers.l2().penalty(w).item() - 0.1425) < 1e-7);
    assert.ok(Math.abs(regularizers.l1l2({ l1: 0.1, l2: 1 }).penalty(w).item() - (0.65 + 14.25)) < 1e-5);
    assert.equal(regularizers.l1l2().penalty(w).item(), 0, "L1L2 defaults to 0 and 0");
  });

  it("resolve names and configs", () => {
    assert.equal(getRegularizer("l2")!.className, "L2");
    assert.equal(getRegularizer("l1_l2")!.className, "L1L2");
    assert.equal(getRegularizer(null), null);
    const r = getRegularizer(JSON.parse(JSON.stringify(regularizers.l2({ l2: 0.3 }).serialize())))!;
    assert.deepEqual(r.serialize(), { className: "L2", config: { l2: 0.3 } });
    assert.throws(() => getRegularizer("l3"), /unknown regularizer "l3"/);
    assert.throws(() => regularizers.l2({ l2: -1 }), ConfigError);
  });
});
