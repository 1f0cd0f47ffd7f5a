// Higher-order autodiff end to end (issue 12): grad(grad(f)) and third derivatives with known values,
// backward({ createGraph }), mixed partials, jvp / hvp, Hessian-vector products of a small MLP and a
// small CNN against finite differences, a WGAN-GP gradient penalty, gradients w.r.t. a model's weights
// (wrt), and the errors that replace silent zeros (unused arguments, noGrad bodies, ops with no
// second-order rule). Reference backend, float64 unless noted; the last suite runs on every backend.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { record } from "../../src/autograd/backward.js";
import * as ts from "../../src/index.js";
import { setBackend, Tensor } from "../../src/index.js";
import { forEachBackend, withBackend } from "../helpers/backends.js";
import { assertClose } from "../helpers/close.js";
import { uniform64 } from "../helpers/gradcheck.js";

before(() => setBackend("reference"));

const f64 = (values: number[]) => ts.tensor(values, { dtype: "float64" });
const values = (t: Tensor) => Array.from(t.data as Float64Array);

/** max |a - b| / max(1, max |b|) over two equally long lists. */
function relError(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return worst / scale;
}

describe("higher derivatives with known values", () => {
  const cube = (a: Tensor) => ts.sum(ts.pow(a, 3));

  test("grad(a => sum(grad(f)(a))) of a^3 at 2 is 12 (the issue's example), and grad(grad(f)) literally", () => {
    const a = f64([2]);
    assertClose(ts.grad((x: Tensor) => ts.sum(ts.grad(cube)(x)))(a), [12]);
    assertClose(ts.grad(ts.grad(cube))(a), [12]);
    assertClose(ts.grad((x: Tensor) => ts.sum(ts.valueAndGrad(cube)(x).grads[0]!))(a), [12]);
  });

  test("third and fourth derivatives: a^3 gives 6 then 0; sin cycles; exp(2x) doubles", () => {
    const third = ts.grad(ts.grad(ts.grad(cube)));
    assertClose(third(f64([2])), [6]);
    assertClose(ts.grad(third)(f64([-1])), [0]);
    // over a vector: the sum of each derivative is the next function
    const sin = (x: Tensor) => ts.sum(ts.sin(x));
    const next = (g: (x: Tensor) => Tensor) => ts.grad((x: Tensor) => ts.sum(g(x)));
    const d1 = ts.grad(sin);
    const d3 = next(next(d1));
    const x = f64([0.3, 1.2]);
    assertClose(d3(x), [-Math.cos(0.3), -Math.cos(1.2)], { tol: { atol: 1e-12, rtol: 1e-10 } });
    assertClose(next(d3)(x), [Math.sin(0.3), Math.sin(1.2)], { tol: { atol: 1e-12, rtol: 1e-10 } });
    const e2 = (t: Tensor) => ts.sum(ts.exp(ts.mul(t, 2)));
    assertClose(ts.grad(ts.grad(ts.grad(e2)))(f64([0.5])), [8 * Math.exp(1)], {
      tol: { atol: 1e-12, rtol: 1e-10 },
    });
  });

  test("mixed partials of a^2 b^3: d2/da db = 6 a b^2, and grad of a two-argument grad", () => {
    const f = (a: Tensor, b: Tensor) => ts.sum(ts.mul(ts.square(a), ts.pow(b, 3)));
    const dfda = (a: Tensor, b: Tensor) => ts.sum(ts.grad(f, { argnums: 0 })(a, b));
    const [daa, dab] = ts.grad(dfda)(f64([1.5]), f64([2]));
    assertClose(daa!, [2 * 8]); // d/da 2ab^3 = 2 b^3
    assertClose(dab!, [6 * 1.5 * 4]); // d/db 2ab^3 = 6 a b^2
  });

  test("backward({ createGraph: true }) leaves a differentiable .grad; without it .grad is a constant", () => {
    const x = ts.tensor([2, 3], { dtype: "float64", requiresGrad: true });
    ts.sum(ts.pow(x, 3)).backward({ createGraph: true });
    const g = x.grad!;
    assertClose(g, [12, 27]);
    assert.equal(g.requiresGrad, true);
    x.grad = null;
    ts.sum(ts.square(g)).backward(); // d/dx sum((3x^2)^2) = 36 x^3
    assertClose(x.grad!, [36 * 8, 36 * 27]);
    const z = ts.tensor([2], { dtype: "float64", requiresGrad: true });
    ts.sum(ts.pow(z, 3)).backward();
    assert.equal(z.grad!.requiresGrad, false);
  });

  test("jvp and hvp match known values", () => {
    const { value, tangent } = ts.jvp((x) => ts.mul(ts.sin(x), x), [f64([0.5, 2])], [f64([1, -2])]);
    assertClose(value, [0.5 * Math.sin(0.5), 2 * Math.sin(2)], { tol: { atol: 1e-12, rtol: 1e-10 } });
    const d = (x: number) => Math.sin(x) + x * Math.cos(x);
    assertClose(tangent, [d(0.5), -2 * d(2)], { tol: { atol: 1e-12, rtol: 1e-10 } });
    // f(a, b) = a^2 b: H = [[2b, 2a], [2a, 0]]
    const [ha, hb] = ts.hvp(
      (a, b) => ts.sum(ts.mul(ts.square(a), b)),
      [f64([3]), f64([5])],
      [f64([1]), f64([2])],
    );
    assertClose(ha!, [2 * 5 + 2 * 3 * 2]);
    assertClose(hb!, [2 * 3]);
  });

  test("transforms nest: the gradient of an hvp and of a jvp are third derivatives", () => {
    const quartic = (x: Tensor) => ts.sum(ts.pow(x, 4)); // H v = 12 x^2 v
    const x = f64([1.5, -2]);
    const v = f64([1, 0.5]);
    const third = ts.grad((t: Tensor) => ts.sum(ts.hvp(quartic, [t], [v])[0]!))(x);
    assertClose(third, [24 * 1.5 * 1, 24 * -2 * 0.5]);
    // jvp of x -> x^3 along v is 3 x^2 v; its gradient is 6 x v
    const viaJvp = ts.grad((t: Tensor) => ts.sum(ts.jvp((y) => ts.pow(y, 3), [t], [v]).tangent))(x);
    assertClose(viaJvp, [6 * 1.5 * 1, 6 * -2 * 0.5]);
  });
});

// a two-layer MLP and a small CNN written on the fused ops their layers call (linear with an
// activation, conv2d with bias and relu, max pooling, sparse softmax cross-entropy)
const labels = ts.tensor([1, 0, 2], { dtype: "int32" });
const mlpInput = uniform64([3, 4], -1, 1, 11);
const mlpLoss = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor =>
  ts.mean(ts.sparseSoftmaxCrossentropy(ts.linear(ts.linear(mlpInput, w1, b1, "tanh"), w2, b2), labels));
const mlpParams = () => [
  uniform64([4, 5], -1, 1, 1),
  uniform64([5], -1, 1, 2),
  uniform64([5, 3], -1, 1, 3),
  uniform64([3], -1, 1, 4),
];
const cnnInput = uniform64([3, 4, 4, 1], -1, 1, 12);
const cnnLoss = (w: Tensor, b: Tensor, dense: Tensor): Tensor => {
  const h = ts.maxPool2d(ts.conv2d(cnnInput, w, { padding: "same", bias: b, activation: "relu" }), 2);
  return ts.mean(ts.sparseSoftmaxCrossentropy(ts.linear(ts.reshape(h, [3, 8]), dense, null, "none"), labels));
};
const cnnParams = () => [
  uniform64([3, 3, 1, 2], -1, 1, 5),
  uniform64([2], -0.2, 0.2, 6),
  uniform64([8, 3], -1, 1, 7),
];

/** H v by central differences of the first-order gradient along v. */
function finiteHvp(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], vs: Tensor[], eps = 1e-5): number[][] {
  const at = (sign: number) =>
    ts.grad(f, { argnums: xs.map((_, i) => i) })(...xs.map((x, i) => ts.add(x, ts.mul(vs[i]!, sign * eps))));
  const plus = at(1);
  const minus = at(-1);
  return plus.map((p, i) => values(p).map((v, j) => (v - values(minus[i]!)[j]!) / (2 * eps)));
}

describe("Hessian-vector products of networks against finite differences", () => {
  for (const [name, f, params] of [
    ["MLP (linear + tanh, cross-entropy)", mlpLoss, mlpParams],
    ["CNN (conv2d + relu, max pooling, linear, cross-entropy)", cnnLoss, cnnParams],
  ] as const) {
    test(name, () => {
      const xs = params();
      const vs = xs.map((x, i) => uniform64([...x.shape], -1, 1, 40 + i));
      const hv = ts.hvp(f as (...xs: Tensor[]) => Tensor, xs, vs);
      const fd = finiteHvp(f as (...xs: Tensor[]) => Tensor, xs, vs);
      const err = relError(hv.flatMap(values), fd.flat());
      assert.ok(err < 1e-6, `${name}: relative error ${err}`);
      assert.ok(
        Math.max(...fd.flat().map(Math.abs)) > 1e-2,
        "the Hessian-vector product is not trivially zero",
      );
    });
  }
});

describe("WGAN-GP gradient penalty", () => {
  // critic D(x) = linear(tanh(linear(x, w1, b1)), w2); penalty = mean((||dD/dx||_2 - 1)^2) at points
  // between real and fake samples; its gradient w.r.t. the critic weights needs d2D/dx dw
  const real = uniform64([4, 3], -1, 1, 21);
  const fake = uniform64([4, 3], -1, 1, 22);
  const t = uniform64([4, 1], 0, 1, 23);
  const between = ts.add(ts.mul(real, t), ts.mul(fake, ts.sub(1, t)));
  const penalty = (w1: Tensor, b1: Tensor, w2: Tensor): Tensor => {
    const critic = (x: Tensor) => ts.sum(ts.linear(ts.linear(x, w1, b1, "tanh"), w2));
    const dx = ts.grad(critic, { createGraph: true })(between);
    return ts.mean(ts.square(ts.sub(ts.norm(dx, 1), 1)));
  };
  const weights = () => [
    uniform64([3, 5], -1, 1, 31),
    uniform64([5], -0.5, 0.5, 32),
    uniform64([5, 1], -1, 1, 33),
  ];

  test("the penalty's gradient w.r.t. the critic weights matches finite differences", () => {
    const ws = weights();
    const analytic = ts.grad(penalty, { argnums: [0, 1, 2] })(...(ws as [Tensor, Tensor, Tensor]));
    const eps = 1e-6;
    ws.forEach((w, which) => {
      const data = w.data as Float64Array;
      const numeric = Array.from(data, (saved, i) => {
        data[i] = saved + eps;
        const plus = penalty(ws[0]!, ws[1]!, ws[2]!).item();
        data[i] = saved - eps;
        const minus = penalty(ws[0]!, ws[1]!, ws[2]!).item();
        data[i] = saved;
        return (plus - minus) / (2 * eps);
      });
      const err = relError(values(analytic[which]!), numeric);
      assert.ok(err < 1e-6, `weight ${which}: relative error ${err}`);
      assert.ok(Math.max(...numeric.map(Math.abs)) > 1e-3, `weight ${which}: gradient not trivially zero`);
    });
  });

  test("the same through backward(): the critic weights' .grad gets the penalty's gradient", () => {
    const ws = weights().map((w) => {
      w.requiresGrad = true;
      return w;
    });
    penalty(ws[0]!, ws[1]!, ws[2]!).backward();
    const expected = ts.grad(penalty, { argnums: [0, 1, 2] })(...(weights() as [Tensor, Tensor, Tensor]));
    ws.forEach((w, i) => {
      assertClose(w.grad!, expected[i]!.toArray(), { tol: { atol: 1e-12, rtol: 1e-10 } });
    });
  });
});

describe("gradients w.r.t. a model's weights (wrt)", () => {
  test("WGAN-GP with a Keras-style critic: the penalty's gradient w.r.t. its weights matches finite differences", () => {
    ts.seed(5);
    const critic = ts.sequential([
      ts.layers.dense({ units: 4, activation: "tanh", inputShape: [3], dtype: "float64" }),
      ts.layers.dense({ units: 1, dtype: "float64" }),
    ]);
    const between = uniform64([5, 3], -1, 1, 24);
    const penalty = () => {
      const dx = ts.grad((x: Tensor) => ts.sum(critic.apply(x)), { createGraph: true })(between);
      return ts.mean(ts.square(ts.sub(ts.norm(dx, 1), 1)));
    };
    const weights = critic.trainableWeights;
    // dD/dx does not involve the output bias: asking for its gradient is an error, not a zero
    assert.throws(() => ts.valueAndGrad(penalty, { wrt: weights })(), {
      name: "GradError",
      message:
        /cannot differentiate with respect to wrt\[3\] \(shape \[1\]\): the output does not depend on it/,
    });
    const { grads } = ts.valueAndGrad(penalty, { wrt: weights, allowUnused: true })();
    assertClose(grads[3]!, [0]);
    const eps = 1e-6;
    weights.forEach((w, which) => {
      const data = w.data as Float64Array;
      const numeric = Array.from(data, (saved, i) => {
        data[i] = saved + eps;
        const plus = ts.noGrad(() => penalty()).item();
        data[i] = saved - eps;
        const minus = ts.noGrad(() => penalty()).item();
        data[i] = saved;
        return (plus - minus) / (2 * eps);
      });
      const err = relError(values(grads[which]!), numeric);
      assert.ok(err < 1e-6, `critic weight ${which}: relative error ${err}`);
    });
    assert.ok(
      grads.some((g) => values(g).some((v) => Math.abs(v) > 1e-3)),
      "penalty gradient not trivially zero",
    );
  });

  test("valueAndGrad(f, { wrt: model.trainableWeights }) equals loss.backward()'s gradients", () => {
    ts.seed(3);
    const model = ts.sequential([
      ts.layers.dense({ units: 4, activation: "tanh", inputShape: [3] }),
      ts.layers.dense({ units: 2 }),
    ]);
    const x = ts.randn([5, 3]);
    const y = ts.randn([5, 2]);
    const loss = (input: Tensor, target: Tensor) => ts.mean(ts.square(ts.sub(model.apply(input), target)));
    const { value, grads } = ts.valueAndGrad(loss, { wrt: model.trainableWeights })(x, y);
    assert.equal(grads.length, model.trainableWeights.length);
    ts.zeroGrad(model.trainableWeights);
    const direct = loss(x, y);
    direct.backward();
    assertClose(value, direct.item(), { tol: { atol: 1e-6, rtol: 1e-5 } });
    model.trainableWeights.forEach((w, i) => {
      assertClose(grads[i]!, w.grad!.toArray(), { tol: { atol: 1e-6, rtol: 1e-5 } });
    });
    ts.zeroGrad(model.trainableWeights);
  });
});

describe("no silent zeros", () => {
  test("an argument the output does not depend on raises, naming it; allowUnused gives zeros", () => {
    const f = (a: Tensor, _b: Tensor) => ts.sum(ts.square(a));
    assert.throws(() => ts.grad(f)(f64([1]), f64([1, 2])), {
      name: "GradError",
      message:
        /grad: cannot differentiate with respect to argument 1 \(shape \[2\]\): the output does not depend on it/,
    });
    const [da, db] = ts.grad(f, { allowUnused: true })(f64([1]), f64([1, 2]));
    assertClose(da!, [2]);
    assertClose(db!, [0, 0]);
  });

  test("a noGrad body raises instead of returning zeros", () => {
    assert.throws(() => ts.grad((a: Tensor) => ts.noGrad(() => ts.sum(ts.exp(a))))(f64([1])), {
      name: "GradError",
      message: /argument 0 .*not connected to any gradient graph \(computed under noGrad/,
    });
  });

  test("an unused wrt tensor raises, naming its index", () => {
    const used = f64([1, 2]);
    const unused = f64([3]);
    used.requiresGrad = true;
    unused.requiresGrad = true;
    assert.throws(() => ts.valueAndGrad(() => ts.sum(ts.square(used)), { wrt: [used, unused] })(), {
      name: "GradError",
      message: /valueAndGrad: cannot differentiate with respect to wrt\[1\] \(shape \[1\]\)/,
    });
  });

  test("an op whose rule cannot be differentiated again raises a GradError naming it, never 0", () => {
    // a custom op with a raw-array gradient rule, declared "unsupported" for second order
    const cubeRaw = (x: Tensor): Tensor => {
      const y = new Tensor(
        Float64Array.from(x.data as Float64Array, (v) => v ** 3),
        x.shape,
      );
      return record(
        "cubeRaw",
        y,
        [x],
        (dy) => [
          new Tensor(
            Float64Array.from(dy.data as Float64Array, (g, i) => 3 * g * (x.data[i] as number) ** 2),
            x.shape,
          ),
        ],
        "unsupported",
      );
    };
    const f = (x: Tensor) => ts.sum(cubeRaw(x));
    assertClose(ts.grad(f)(f64([2])), [12]); // first order works
    assert.throws(() => ts.grad(ts.grad(f))(f64([2])), {
      name: "GradError",
      message: /the gradient of cubeRaw cannot be differentiated again/,
    });
  });

  test("a wrt tensor that does not require a gradient is refused, naming it", () => {
    const w = f64([1, 2]);
    assert.throws(() => ts.valueAndGrad(() => ts.sum(ts.square(w)), { wrt: [w] })(), {
      name: "GradError",
      message: /valueAndGrad: wrt\[0\] \(shape \[2\]\) does not require a gradient/,
    });
  });

  test("a call with nothing to differentiate raises and points to wrt", () => {
    const w = ts.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    assert.throws(() => ts.valueAndGrad(() => ts.sum(ts.square(w)))(), {
      name: "GradError",
      message: /valueAndGrad: nothing to differentiate .*pass \{ wrt: model\.trainableWeights \}/,
    });
    assertClose(ts.valueAndGrad(() => ts.sum(ts.square(w)), { wrt: [w] })().grads[0]!, [2, 4]);
  });

  test("grad rejects bad argnums", () => {
    assert.throws(
      () => ts.grad((a: Tensor, b: Tensor) => ts.sum(ts.mul(a, b)), { argnums: 2 })(f64([1]), f64([1])),
      {
        name: "GradError",
        message: /grad: argnums 2 is out of range for a call with 2 arguments/,
      },
    );
  });
});

// one scalar function per fused op family: the second derivative runs the composed forms on
// whichever backend is active, so a fast backend must give the reference backend's answer
const fusedFamilies: [string, (x: Tensor) => Tensor, number[]][] = [
  ["gelu", (x) => ts.sum(ts.mul(ts.gelu(x), x)), [3, 4]],
  ["layerNorm", (x) => ts.sum(ts.square(ts.layerNorm(x, ts.square(x.slice([0])), null))), [3, 4]],
  ["rmsNorm", (x) => ts.sum(ts.mul(ts.rmsNorm(x), x)), [3, 4]],
  [
    "attention (causal)",
    (x) => ts.sum(ts.square(ts.scaledDotProductAttention(x, x, x, { causal: true }))),
    [1, 2, 3, 4],
  ],
  [
    "conv2d + relu, avg pooling",
    (x) =>
      ts.sum(
        ts.square(
          ts.avgPool2d(
            ts.conv2d(x, ts.reshape(x.slice([0]), [3, 3, 1, 1]), { padding: "same", activation: "relu" }),
            2,
          ),
        ),
      ),
    [1, 3, 3, 1],
  ],
  [
    "conv2dTranspose",
    (x) =>
      ts.sum(
        ts.square(
          ts.conv2dTranspose(x, ts.reshape(ts.flatten(x).slice([[0, 4]]), [2, 2, 1, 1]), { strides: 2 }),
        ),
      ),
    [1, 2, 2, 1],
  ],
  [
    "lstmSequence",
    (x) =>
      ts.sum(
        ts.square(
          ts.lstmSequence(
            x,
            ts.reshape(x.slice([0]), [1, 4]),
            ts.reshape(x.slice([0, 0, [0, 1]]), [1, 1]),
            ts.zeros([1, 1], { dtype: "float64" }),
          ),
        ),
      ),
    [3, 1, 4],
  ],
  ["softmaxCrossentropy", (x) => ts.sum(ts.softmaxCrossentropy(x, ts.softmax(ts.mul(x, 2)))), [3, 4]],
];

forEachBackend("second derivatives agree across backends", (backend) => {
  test(`MLP and CNN Hessian-vector products on ${backend} match the reference backend`, () => {
    for (const [f, params] of [
      [mlpLoss, mlpParams],
      [cnnLoss, cnnParams],
    ] as const) {
      const xs = params();
      const vs = xs.map((x, i) => uniform64([...x.shape], -1, 1, 60 + i));
      const g = f as (...xs: Tensor[]) => Tensor;
      const got = ts.hvp(g, xs, vs).flatMap(values);
      const want = withBackend("reference", () => ts.hvp(g, xs, vs).flatMap(values));
      assert.ok(
        Math.max(...want.map(Math.abs)) > 1e-3,
        `${backend}: Hessian-vector product not trivially zero`,
      );
      assert.ok(relError(got, want) < 1e-9, `${backend}: relative error ${relError(got, want)}`);
    }
  });

  for (const [name, f, shape] of fusedFamilies) {
    test(`${name}: Hessian-vector product on ${backend} matches the reference backend`, () => {
      const x = uniform64(shape, -1, 1, 70);
      const v = uniform64(shape, -1, 1, 71);
      const got = values(ts.hvp(f, [x], [v])[0]!);
      const want = withBackend("reference", () => values(ts.hvp(f, [x], [v])[0]!));
      assert.ok(Math.max(...want.map(Math.abs)) > 1e-3, `${name}: not trivially zero`);
      assert.ok(relError(got, want) < 1e-9, `${name} on ${backend}: relative error ${relError(got, want)}`);
    });
  }
});
