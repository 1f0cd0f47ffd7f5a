import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { backward, ConfigError, layers, ones, seed, sum, tensor } from "../../index.js";

describe("Dropout", () => {
  it("passes the layer harness (identity at inference)", () => {
    runLayerTest((dtype) => layers.dropout({ rate: 0.3, dtype }), {
      inputShape: [4, 6],
      expectedOutputShape: [4, 6],
      expectedParams: 0,
    });
  });

  it("is the identity when not training", () => {
    const x = tensor([[1, 2, 3]]);
    const d = layers.dropout({ rate: 0.9 });
    assert.equal(d.apply(x), x);
    assert.equal(d.apply(x, { training: false }), x);
  });

  it("drops about `rate` of the inputs and scales the rest by 1/(1-rate)", () => {
    const rate = 0.3;
    const n = 20000;
    const y = layers.dropout({ rate, seed: 3 }).apply(ones([n]), { training: true });
    let zeros = 0;
    let total = 0;
    for (const v of y.data) {
      if (v === 0) zeros++;
      else assert.ok(Math.abs(v - 1 / (1 - rate)) < 1e-6);
      total += v;
    }
    // binomial(n, 0.3): standard deviation sqrt(n p (1-p)) = 64.8; allow 5 sigma
    assert.ok(Math.abs(zeros - rate * n) < 5 * Math.sqrt(n * rate * (1 - rate)), `dropped ${zeros}`);
    // inverted dropout keeps the expected sum
    assert.ok(Math.abs(total / n - 1) < 0.03);
  });

  it("is reproducible: a seeded layer repeats its masks, the global seed repeats unseeded ones", () => {
    const mask = (d: ReturnType<typeof layers.dropout>) => [...d.apply(ones([64]), { training: true }).data];
    assert.deepEqual(
      mask(layers.dropout({ rate: 0.5, seed: 11 })),
      mask(layers.dropout({ rate: 0.5, seed: 11 })),
    );
    const seeded = layers.dropout({ rate: 0.5, seed: 11 });
    assert.notDeepEqual(mask(seeded), mask(seeded), "successive calls draw new masks");
    seed(5);
    const a = mask(layers.dropout({ rate: 0.5 }));
    seed(5);
    const b = mask(layers.dropout({ rate: 0.5 }));
    assert.deepEqual(a, b);
  });

  it("passes the gradient only through kept elements, scaled", () => {
    const x = ones([200]);
    x.requiresGrad = true;
    const y = layers.dropout({ rate: 0.5, seed: 2 }).apply(x, { training: true });
    backward(sum(y));
    for (let i = 0; i < 200; i++) assert.equal(x.grad!.data[i], y.data[i]);
  });

  it("shares one draw along axes where noiseShape is 1", () => {
    const y = layers
      .dropout({ rate: 0.5, seed: 4, noiseShape: [null, 1] })
      .apply(ones([50, 8]), { training: true });
    for (let r = 0; r < 50; r++) {
      const row = [...y.data.slice(r * 8, r * 8 + 8)];
      assert.ok(row.every((v) => v === row[0]));
    }
  });

  it("validates rate", () => {
    assert.throws(() => layers.dropout({ rate: 1.5 }), /Dropout: rate must be in \[0, 1\] \(got 1.5\)/);
    assert.throws(() => layers.dropout({ rate: Number.NaN }), ConfigError);
  });
});
