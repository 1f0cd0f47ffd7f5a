import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../../test/helpers/close.js";
import { seeded } from "../../../test/helpers/data.js";
import { runLayerTest } from "../../../test/helpers/layer-harness.js";
import {
  type ActivationName,
  backward,
  ConfigError,
  concat,
  Generator,
  getMask,
  input,
  layers,
  matmul,
  model,
  noGrad,
  optimizers,
  registerActivation,
  ShapeError,
  sequential,
  sum,
  type Tensor,
  tanh,
  tensor,
  zeros,
} from "../../index.js";

const sig = (x: number) => 1 / (1 + Math.exp(-x));

describe("LSTM", () => {
  it("passes the layer harness (last output, sequences, backwards, composed activations)", () => {
    // params: 4H (F + H + 1)
    runLayerTest((dtype) => layers.lstm({ units: 3, dtype }), {
      inputShape: [2, 4, 3],
      expectedOutputShape: [2, 3],
      expectedParams: 84,
    });
    runLayerTest((dtype) => layers.lstm({ units: 2, returnSequences: true, goBackwards: true, dtype }), {
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 3, 2],
      expectedParams: 40,
    });
    runLayerTest(
      (dtype) =>
        layers.lstm({ units: 2, activation: "softsign", useBias: false, returnSequences: true, dtype }),
      { inputShape: [2, 3, 2], expectedOutputShape: [2, 3, 2], expectedParams: 32 },
    );
  });

  it("computes two steps by hand from known weights and initial states", () => {
    // one unit, one feature: kernel [wi wf wc wo], recurrent [ui uf uc uo], bias [bi bf bc bo]
    const l = layers.lstm({ units: 1, returnSequences: true, returnState: true });
    const x = tensor([[[1], [-2]]]);
    const h0 = tensor([[0.5]]);
    const c0 = tensor([[-0.25]]);
    l.applyMulti([x, h0, c0]);
    l.setWeights([
      tensor([[0.5, -0.5, 1, 0.25]]),
      tensor([[0.1, 0.2, -0.3, 0.4]]),
      tensor([0, 1, 0.5, -0.5]),
    ]);
    const [seq, hT, cT] = l.applyMulti([x, h0, c0]) as [Tensor, Tensor, Tensor];
    // step 1: x = 1, h = 0.5, c = -0.25
    const i1 = sig(0.5 * 1 + 0.1 * 0.5 + 0);
    const f1 = sig(-0.5 * 1 + 0.2 * 0.5 + 1);
    const g1 = Math.tanh(1 * 1 - 0.3 * 0.5 + 0.5);
    const o1 = sig(0.25 * 1 + 0.4 * 0.5 - 0.5);
    const c1 = f1 * -0.25 + i1 * g1;
    const h1 = o1 * Math.tanh(c1);
    // step 2: x = -2
    const i2 = sig(0.5 * -2 + 0.1 * h1);
    const f2 = sig(-0.5 * -2 + 0.2 * h1 + 1);
    const g2 = Math.tanh(1 * -2 - 0.3 * h1 + 0.5);
    const o2 = sig(0.25 * -2 + 0.4 * h1 - 0.5);
    const c2 = f2 * c1 + i2 * g2;
    const h2 = o2 * Math.tanh(c2);
    assertClose(seq, [[[h1], [h2]]]);
    assertClose(hT, [[h2]]);
    assertClose(cT, [[c2]]);
  });

  it("uses Keras defaults: orthogonal recurrent kernel, forget bias 1, glorot kernel", () => {
    const l = layers.lstm({ units: 4 });
    l.apply(zeros([1, 2, 6]));
    assert.deepEqual(Array.from(l.bias!.data), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    // U is (4, 16) with orthonormal rows: U U^T = I
    const uut = matmul(l.recurrentKernel!, l.recurrentKernel!, { transposeB: true });
    assertClose(
      uut,
      [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ],
      { tol: { atol: 1e-5, rtol: 0 } },
    );
    const limit = Math.sqrt(6 / (6 + 16));
    assert.ok(Array.from(l.kernel!.data).every((v) => Math.abs(v) <= limit));
    const config = l.getConfig();
    assert.equal(config.activation, "tanh");
    assert.equal(config.recurrentActivation, "sigmoid");
    assert.equal(config.unitForgetBias, true);
    assert.deepEqual(
      l.weightEntries().map((w) => w.path),
      [`${l.name}/kernel`, `${l.name}/recurrent_kernel`, `${l.name}/bias`],
    );
    const noForget = layers.lstm({ units: 2, unitForgetBias: false });
    noForget.apply(zeros([1, 1, 1]));
    assert.deepEqual(Array.from(noForget.bias!.data), [0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("fused and composed paths agree in values and gradients", () => {
    const composedTanh = registerActivation("tanh_composed", (t) => tanh(t));
    const x = seeded([3, 5, 2], -1, 1, 1, "float64");
    const mask = tensor(
      [
        [1, 1, 1, 0, 0],
        [1, 0, 1, 1, 1],
        [1, 1, 1, 1, 1],
      ],
      { dtype: "bool" },
    );
    const run = (activation: ActivationName) => {
      const l = layers.lstm({
        units: 3,
        activation,
        returnSequences: true,
        goBackwards: true,
        dtype: "float64",
      });
      l.apply(x);
      l.setWeights([
        seeded([2, 12], -0.5, 0.5, 2, "float64"),
        seeded([3, 12], -0.5, 0.5, 3, "float64"),
        seeded([12], -0.5, 0.5, 4, "float64"),
      ]);
      const y = l.apply(x, { mask });
      backward(sum(y.mul(seeded(y.shape, -1, 1, 5, "float64"))));
      return { y, grads: l.trainableWeights.map((w) => w.grad!) };
    };
    const fused = run("tanh");
    const composed = run(composedTanh);
    assertClose(fused.y, composed.y);
    for (const [i, g] of fused.grads.entries()) assertClose(g, composed.grads[i]!);
  });

  it("masked steps carry the state: trailing padding equals the truncated sequence", () => {
    const l = layers.lstm({ units: 3, returnState: true });
    const x = seeded([2, 5, 2], -1, 1, 6);
    const mask = tensor(
      [
        [1, 1, 1, 0, 0],
        [1, 1, 1, 1, 1],
      ],
      { dtype: "bool" },
    );
    const [out, h, c] = l.applyMulti(x, { mask }) as [Tensor, Tensor, Tensor];
    const [outShort, , cShort] = l.applyMulti(
      x.slice([
        [0, 1],
        [0, 3],
      ]),
    ) as [Tensor, Tensor, Tensor];
    assertClose(out.slice([[0, 1]]), outShort);
    assertClose(h.slice([[0, 1]]), outShort);
    assertClose(c.slice([[0, 1]]), cShort);
    const [outFull] = l.applyMulti(x.slice([[1, 2]])) as [Tensor];
    assertClose(out.slice([[1, 2]]), outFull);
  });

  it("honours Embedding maskZero and the Masking layer; zeroOutputForMask zeroes masked outputs", () => {
    const ids = tensor(
      [
        [3, 1, 0, 0],
        [2, 2, 2, 1],
      ],
      { dtype: "int32" },
    );
    const emb = layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const e = emb.apply(ids);
    assert.deepEqual(Array.from(getMask(e)!.data), [1, 1, 0, 0, 1, 1, 1, 1]);
    const seqLayer = layers.lstm({ units: 2, returnSequences: true });
    const seq = seqLayer.apply(e);
    // the mask is carried on, and masked steps repeat the previous output (Keras default)
    assert.deepEqual(Array.from(getMask(seq)!.data), [1, 1, 0, 0, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(seq.data.subarray(4, 6)), Array.from(seq.data.subarray(2, 4)));
    const zeroing = layers.lstm({ units: 2, returnSequences: true, zeroOutputForMask: true });
    const z = zeroing.apply(e);
    assert.deepEqual(Array.from(z.data.subarray(4, 8)), [0, 0, 0, 0]);
    // Masking: all-zero feature rows are padding
    const masked = layers.masking().apply(
      tensor([
        [
          [1, 2],
          [0, 0],
          [3, 0],
        ],
      ]),
    );
    assert.deepEqual(Array.from(getMask(masked)!.data), [1, 0, 1]);
    // the last-output form drops the mask
    assert.equal(getMask(layers.lstm({ units: 2 }).apply(e)), null);
  });

  it("goBackwards reads the sequence from its end", () => {
    const x = seeded([2, 4, 3], -1, 1, 7);
    const fwd = layers.lstm({ units: 2, returnSequences: true });
    const bwd = layers.lstm({ units: 2, returnSequences: true, goBackwards: true });
    fwd.apply(x);
    bwd.apply(x);
    bwd.setWeights(fwd.getWeights());
    const reversed = x.flip(1);
    assertClose(bwd.apply(x), fwd.apply(reversed));
  });

  it("stateful: two halves equal the whole sequence; resetStates starts again from zeros", () => {
    const x = seeded([2, 6, 3], -1, 1, 8);
    const whole = layers.lstm({ units: 3 });
    const halves = layers.lstm({ units: 3, stateful: true, inputShape: [3, 3], batchSize: 2 });
    whole.apply(x);
    halves.apply(x.slice([null, [0, 3]]));
    halves.setWeights(whole.getWeights());
    halves.resetStates();
    halves.apply(x.slice([null, [0, 3]]));
    assertClose(halves.apply(x.slice([null, [3, 6]])), whole.apply(x));
    halves.resetStates();
    assertClose(halves.apply(x.slice([null, [0, 3]])), whole.apply(x.slice([null, [0, 3]])));
    assert.throws(() => halves.apply(seeded([3, 3, 3], -1, 1, 9)), /keeps its batch size 2/);
    assert.throws(() => layers.lstm({ units: 2, stateful: true, inputShape: [3, 3] }), ConfigError);
  });

  it("dropout and recurrentDropout: one mask per sequence, inverted scaling, inference unaffected", () => {
    const [B, T, F, H] = [2, 3, 4, 2];
    const x = seeded([B, T, F], -1, 1, 10);
    const l = layers.lstm({ units: H, dropout: 0.5, recurrentDropout: 0.5, seed: 11, returnSequences: true });
    const plain = layers.lstm({ units: H, returnSequences: true });
    l.apply(x);
    plain.apply(x);
    plain.setWeights(l.getWeights());
    assertClose(l.apply(x), plain.apply(x));
    // the layer draws B*F input multipliers, then B*H recurrent ones, from its seeded generator
    const g = new Generator(11);
    const keep = (n: number) => Array.from({ length: n }, () => (g.random() < 0.5 ? 2 : 0));
    const inMask = tensor(keep(B * F)).reshape([B, 1, F]);
    const recMask = tensor(keep(B * H)).reshape([B, H]);
    const expected = noGrad(() =>
      // the composed LSTM of the same weights on x * inMask with h * recMask in the recurrent product
      referenceLstm(x.mul(inMask), l.kernel!, l.recurrentKernel!, l.bias!, recMask),
    );
    const fresh = layers.lstm({
      units: H,
      dropout: 0.5,
      recurrentDropout: 0.5,
      seed: 11,
      returnSequences: true,
    });
    fresh.apply(x);
    fresh.setWeights(l.getWeights());
    assertClose(fresh.apply(x, { training: true }), expected);
  });

  it("works in sequential and functional models, with initial states from another layer", () => {
    const seq = sequential([
      input({ shape: [4], dtype: "int32" }),
      layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true }),
      layers.lstm({ units: 4 }),
      layers.dense({ units: 1 }),
    ]);
    assert.deepEqual(seq.outputShapes, [[null, 1]]);
    const ids = tensor(
      [
        [1, 2, 0, 0],
        [3, 4, 5, 1],
      ],
      { dtype: "int32" },
    );
    const target = tensor([[0.5], [-0.5]]);
    const opt = optimizers.adam({ learningRate: 0.05, params: seq.trainableWeights });
    const loss = () => sum(seq.apply(ids).sub(target).square());
    const before = loss();
    backward(before);
    opt.step();
    assert.ok(noGrad(loss).item() < before.item());

    // encoder-decoder: the decoder starts from the encoder's final states
    const src = input({ shape: [5, 2] });
    const dst = input({ shape: [3, 2] });
    const [, h, c] = layers.lstm({ units: 3, returnState: true }).applyMulti(src);
    const decoded = layers.lstm({ units: 3, returnSequences: true }).apply([dst, h!, c!]);
    const m = model({ inputs: [src, dst], outputs: decoded });
    assert.deepEqual(m.outputShapes, [[null, 3, 3]]);
    const y = m.apply([seeded([2, 5, 2], -1, 1, 12), seeded([2, 3, 2], -1, 1, 13)]);
    assert.deepEqual([...y.shape], [2, 3, 3]);
    assert.throws(
      () => layers.lstm({ units: 2 }).apply([seeded([1, 2, 2], 0, 1, 1), zeros([1, 2])]),
      /expected 2 initial state/,
    );
    assert.throws(() => layers.lstm({ units: 2 }).apply(zeros([2, 3])), ShapeError);
  });
});

/** A plain LSTM from ops (h U with U applied to h * recMask) for the dropout test. */
function referenceLstm(x: Tensor, w: Tensor, u: Tensor, b: Tensor, recMask: Tensor): Tensor {
  const [B, T] = x.shape as [number, number, number];
  const H = u.shape[0]!;
  let h = zeros([B, H]);
  let c = zeros([B, H]);
  const outs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const z = matmul(x.slice([null, t]), w)
      .add(matmul(h.mul(recMask), u))
      .add(b);
    const part = (k: number) => z.slice([null, [k * H, (k + 1) * H]]);
    c = part(1)
      .sigmoid()
      .mul(c)
      .add(part(0).sigmoid().mul(part(2).tanh()));
    h = part(3).sigmoid().mul(c.tanh());
    outs.push(h.reshape([B, 1, H]));
  }
  return concat(outs, 1);
}
