import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, initializers, ShapeError, seed } from "../index.js";
import { computeFans, getInitializer } from "./initializers.js";

function stats(values: ArrayLike<number>): { mean: number; sd: number; maxAbs: number } {
  const a = Array.from(values);
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const sd = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
  return { mean, sd, maxAbs: Math.max(...a.map(Math.abs)) };
}

describe("initializers", () => {
  it("fill constants", () => {
    assert.deepEqual([...initializers.zeros().generate([2, 2], "float32").data], [0, 0, 0, 0]);
    assert.deepEqual([...initializers.ones().generate([3], "float64").data], [1, 1, 1]);
    assert.deepEqual([...initializers.constant({ value: 2.5 }).generate([2], "float32").data], [2.5, 2.5]);
    assert.equal(initializers.ones().generate([1], "float64").dtype, "float64");
    assert.deepEqual(initializers.identity().generate([2, 3], "float32").toArray(), [
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it("compute fans like Keras (receptive field for conv kernels)", () => {
    assert.deepEqual(computeFans([]), [1, 1]);
    assert.deepEqual(computeFans([7]), [7, 7]);
    assert.deepEqual(computeFans([3, 5]), [3, 5]);
    assert.deepEqual(computeFans([3, 3, 4, 8]), [36, 72]);
  });

  it("draw random normal, uniform and truncated normal with Keras defaults", () => {
    const n = [200, 100];
    const normal = stats(initializers.randomNormal({ seed: 1 }).generate(n, "float64").data);
    assert.ok(Math.abs(normal.mean) < 0.002 && Math.abs(normal.sd - 0.05) < 0.002, JSON.stringify(normal));
    const uniform = stats(initializers.randomUniform({ seed: 1 }).generate(n, "float64").data);
    assert.ok(uniform.maxAbs <= 0.05 && Math.abs(uniform.sd - 0.05 / Math.sqrt(3)) < 0.001);
    const truncated = stats(initializers.truncatedNormal({ stddev: 1, seed: 1 }).generate(n, "float64").data);
    // a standard normal cut at +-2 has standard deviation 0.8796
    assert.ok(truncated.maxAbs <= 2 && Math.abs(truncated.sd - 0.87962566) < 0.01, JSON.stringify(truncated));
  });

  it("scale variance by the fans (glorot, he, lecun; uniform and truncated normal)", () => {
    const [fanIn, fanOut] = [300, 200];
    const shape = [fanIn, fanOut];
    const check = (name: string, variance: number, uniform: boolean) => {
      const s = stats(getInitializer(name).generate(shape, "float64").data);
      assert.ok(Math.abs(s.sd - Math.sqrt(variance)) < 0.02 * Math.sqrt(variance), `${name}: sd ${s.sd}`);
      if (uniform) assert.ok(s.maxAbs <= Math.sqrt(3 * variance), `${name}: bound`);
      else
        assert.ok(
          s.maxAbs <= (2 * Math.sqrt(variance)) / 0.87962566103423978 + 1e-12,
          `${name}: truncated at 2 sd`,
        );
    };
    check("glorot_uniform", 2 / (fanIn + fanOut), true);
    check("glorot_normal", 2 / (fanIn + fanOut), false);
    check("he_uniform", 2 / fanIn, true);
    check("he_normal", 2 / fanIn, false);
    check("lecun_uniform", 1 / fanIn, true);
    check("lecun_normal", 1 / fanIn, false);
    const untruncated = stats(
      initializers
        .varianceScaling({ scale: 4, mode: "fan_out", distribution: "untruncated_normal" })
        .generate(shape, "float64").data,
    );
    assert.ok(Math.abs(untruncated.sd - Math.sqrt(4 / fanOut)) < 0.003);
  });

  it("make orthogonal matrices (tall and wide) scaled by gain", () => {
    for (const [r, c] of [
      [6, 3],
      [3, 6],
    ] as const) {
      const w = initializers.orthogonal({ gain: 2, seed: 3 }).generate([r, c], "float64");
      const n = Math.min(r, c);
      // tall: W^T W = 4 I; wide: W W^T = 4 I
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let k = 0; k < Math.max(r, c); k++)
            dot += r >= c ? w.at(k, i) * w.at(k, j) : w.at(i, k) * w.at(j, k);
          assert.ok(Math.abs(dot - (i === j ? 4 : 0)) < 1e-9, `(${i},${j}) = ${dot}`);
        }
      }
    }
    assert.throws(() => initializers.orthogonal().generate([4], "float32"), ShapeError);
  });

  it("repeat: a seeded initializer gives the same values each call; unseeded ones follow seed()", () => {
    const a = initializers.glorotUniform({ seed: 9 }).generate([4, 4], "float32");
    const b = initializers.glorotUniform({ seed: 9 }).generate([4, 4], "float32");
    assert.deepEqual([...a.data], [...b.data]);
    seed(123);
    const c = initializers.heNormal().generate([8], "float32");
    const d = initializers.heNormal().generate([8], "float32");
    seed(123);
    const e = initializers.heNormal().generate([8], "float32");
    assert.deepEqual([...c.data], [...e.data]);
    assert.notDeepEqual([...c.data], [...d.data]);
  });

  it("resolve snake_case, camelCase and class names, and round-trip their configs", () => {
    for (const name of ["glorot_uniform", "glorotUniform", "GlorotUniform"])
      assert.equal(getInitializer(name).className, "GlorotUniform");
    const init = initializers.randomNormal({ mean: 1, stddev: 2, seed: 5 });
    const again = getInitializer(JSON.parse(JSON.stringify(init.serialize())));
    assert.deepEqual(again.getConfig(), { mean: 1, stddev: 2, seed: 5 });
    assert.deepEqual([...again.generate([3], "float64").data], [...init.generate([3], "float64").data]);
    assert.deepEqual(getInitializer("he_normal").serialize(), {
      className: "HeNormal",
      config: { seed: null },
    });
    assert.throws(() => getInitializer("xavier"), /unknown initializer "xavier"/);
    assert.throws(() => getInitializer(42), ConfigError);
    assert.throws(() => initializers.randomUniform({ minval: 1, maxval: 0 }), ConfigError);
  });
});
