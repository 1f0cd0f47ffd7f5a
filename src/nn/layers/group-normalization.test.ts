import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { seeded } from "../../../test/helpers/data.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import { layers, type Tensor } from "../../index.js";

/** Group norm by definition: channels-last x (B, ..., C), stats per (sample, group) over the rest. */
function naive(x: Tensor, groups: number, eps: number): number[] {
  const C = x.shape[x.rank - 1]!;
  const B = x.shape[0]!;
  const per = x.size / B / C; // positions per sample
  const out = Array.from(x.data);
  const size = C / groups;
  for (let b = 0; b < B; b++)
    for (let g = 0; g < groups; g++) {
      const idx: number[] = [];
      for (let p = 0; p < per; p++)
        for (let c = g * size; c < (g + 1) * size; c++) idx.push((b * per + p) * C + c);
      const m = idx.reduce((s, i) => s + x.data[i]!, 0) / idx.length;
      const v = idx.reduce((s, i) => s + (x.data[i]! - m) ** 2, 0) / idx.length;
      for (const i of idx) out[i] = (x.data[i]! - m) / Math.sqrt(v + eps);
    }
  return out;
}

describe("GroupNormalization", () => {
  it("passes the layer harness (channels last, channels first)", () => {
    runLayerTest((dtype) => layers.groupNormalization({ groups: 2, dtype }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 8,
    });
    runLayerTest((dtype) => layers.groupNormalization({ groups: 3, axis: 1, dtype }), {
      inputShape: [2, 6, 2],
      expectedOutputShape: [2, 6, 2],
      expectedParams: 12,
    });
  });

  it("normalises each group of channels per sample, then scales and shifts per channel", () => {
    const x = seeded([2, 3, 2, 6], -2, 2, 1);
    const l = layers.groupNormalization({ groups: 3 });
    l.apply(x);
    assertClose(l.apply(x).reshape([x.size]), naive(x, 3, 1e-3), { tol: { atol: 1e-5, rtol: 1e-5 } });
    l.setWeights([seeded([6], 0.5, 2, 2), seeded([6], -1, 1, 3)]);
    const [gamma, beta] = l.getWeights() as [Tensor, Tensor];
    const expected = naive(x, 3, 1e-3).map((v, i) => v * gamma.data[i % 6]! + beta.data[i % 6]!);
    assertClose(l.apply(x).reshape([x.size]), expected, { tol: { atol: 1e-5, rtol: 1e-5 } });
    // channels first: the same numbers with the channel axis moved
    const first = layers.groupNormalization({ groups: 3, axis: 1 });
    const xFirst = x.permute([0, 3, 1, 2]);
    assertClose(first.apply(xFirst).permute([0, 2, 3, 1]).reshape([x.size]), naive(x, 3, 1e-3), {
      tol: { atol: 1e-5, rtol: 1e-5 },
    });
    assert.throws(
      () => layers.groupNormalization({ groups: 4 }).apply(x),
      /groups \(4\) must divide the channels \(6\)/,
    );
    assert.equal(layers.groupNormalization().groups, 32);
  });
});
