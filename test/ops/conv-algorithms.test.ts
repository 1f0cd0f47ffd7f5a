// The fused conv2d, conv1d, conv2dTranspose and depthwise ops on each backend with each convolution
// algorithm forced ("gemm", "direct") or chosen ("auto" by rule, "measure" by timing): values and
// gradients (x, kernel, bias) through autograd agree with the reference backend's, over strides,
// "same" padding, dilation, every fused activation, one input channel and float32/float64; and
// setConvAlgorithm's check. conv2d's values are also checked against the direct loops of
// test/helpers/conv-reference: on the reference backend, "the reference backend's" is itself.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend, withBackend } from "../helpers/backends.js";
import { assertClose, FLOAT64_TOL } from "../helpers/close.js";
import { directConv2d } from "../helpers/conv-reference.js";
import { uniform64 } from "../helpers/gradcheck.js";

type Quad = [number, number, number, number];

interface Case {
  x: Quad;
  w: Quad;
  options: ts.ConvOptions;
  /** Top/left pads and output size, worked out by hand for the direct-loop check. */
  pads: [number, number];
  out: [number, number];
}

const CASES: Case[] = [
  { x: [2, 9, 8, 1], w: [3, 3, 1, 32], options: { activation: "relu" }, pads: [0, 0], out: [7, 6] },
  // same, stride 2: out ceil(7/2) = 4, ceil(6/2) = 3; pads total (4-1)*2+3-7 = 2 -> top 1, (3-1)*2+3-6 = 1 -> left 0
  {
    x: [1, 7, 6, 5],
    w: [3, 3, 5, 19],
    options: { padding: "same", strides: 2, activation: "tanh" },
    pads: [1, 0],
    out: [4, 3],
  },
  // dilation (2, 1): spans (3, 3)
  {
    x: [2, 8, 9, 3],
    w: [2, 3, 3, 6],
    options: { dilationRate: [2, 1], activation: "sigmoid" },
    pads: [0, 0],
    out: [6, 7],
  },
  { x: [1, 6, 6, 17], w: [3, 3, 17, 33], options: { padding: "same" }, pads: [1, 1], out: [6, 6] },
];

const ACTIVATIONS = {
  none: (v: number) => v,
  relu: (v: number) => Math.max(v, 0),
  tanh: Math.tanh,
  sigmoid: (v: number) => 1 / (1 + Math.exp(-v)),
};

function pair(v: number | readonly number[] | undefined): [number, number] {
  return v === undefined ? [1, 1] : typeof v === "number" ? [v, v] : [v[0]!, v[1]!];
}

/** activation(conv(x, kernel) + bias) for run()'s data, from the direct float64 loops. */
function direct(c: Case, seed: number): number[] {
  const plain = directConv2d({
    x: uniform64(c.x, -1, 1, seed).data,
    xShape: c.x,
    w: uniform64(c.w, -1, 1, seed + 1).data,
    wShape: c.w,
    strides: pair(c.options.strides),
    dilation: pair(c.options.dilationRate),
    pads: c.pads,
    out: c.out,
  });
  const b = uniform64([c.w[3]], -0.5, 0.5, seed + 2).data;
  const act = ACTIVATIONS[(c.options.activation ?? "none") as keyof typeof ACTIVATIONS];
  return plain.map((v, i) => act(v + b[i % c.w[3]]!));
}

const FLOAT32 = { atol: 2e-5, rtol: 2e-5 };
const saved = ts.getConvAlgorithm();
after(() => ts.setConvAlgorithm(saved));

/** conv2d(x, kernel, bias) summed against fixed weights, and its gradients. */
function run(c: Case, dtype: "float32" | "float64", seed: number): ts.Tensor[] {
  const x = uniform64(c.x, -1, 1, seed).cast(dtype);
  const w = uniform64(c.w, -1, 1, seed + 1).cast(dtype);
  const b = uniform64([c.w[3]], -0.5, 0.5, seed + 2).cast(dtype);
  const probe = ts.conv2d(x, w, { ...c.options, bias: b });
  const weights = uniform64([...probe.shape], -1, 1, seed + 3).cast(dtype);
  const f = (xx: ts.Tensor, ww: ts.Tensor, bb: ts.Tensor) =>
    ts
      .conv2d(xx, ww, { ...c.options, bias: bb })
      .mul(weights)
      .sum();
  const grads = ts.grad(f)(x, w, b);
  return [probe, ...grads];
}

forEachBackend("conv2d with each algorithm", () => {
  for (const algorithm of ["gemm", "direct", "auto", "measure"] as const) {
    test(`values and gradients match the reference backend: ${algorithm}`, () => {
      CASES.forEach((c, i) => {
        for (const dtype of ["float32", "float64"] as const) {
          const want = withBackend("reference", () => run(c, dtype, 10 * i));
          ts.setConvAlgorithm(algorithm);
          try {
            const got = run(c, dtype, 10 * i);
            const tol = dtype === "float32" ? FLOAT32 : FLOAT64_TOL;
            // the output against the direct loops too: the reference backend is no oracle for itself
            assertClose(ts.reshape(got[0]!, [-1]), direct(c, 10 * i), {
              tol: dtype === "float32" ? FLOAT32 : { atol: 1e-12, rtol: 1e-9 },
              message: `${algorithm} case ${i} ${dtype} output against the direct loops`,
            });
            for (const [j, t] of got.entries()) {
              assertClose(t, want[j]!, { tol, message: `${algorithm} case ${i} ${dtype} output ${j}` });
            }
          } finally {
            ts.setConvAlgorithm(saved);
          }
        }
      });
    });
  }

  test("conv2dTranspose (the input-gradient pass) and its gradients, each algorithm", () => {
    const x = uniform64([2, 4, 5, 6], -1, 1, 60);
    const w = uniform64([3, 3, 3, 6], -1, 1, 61);
    const options = { strides: 2, padding: "same" as const, dilationRate: 1 };
    const f = (xx: ts.Tensor, ww: ts.Tensor) => {
      const y = ts.conv2dTranspose(xx, ww, options);
      return y.mul(uniform64([...y.shape], -1, 1, 62)).sum();
    };
    const want = withBackend("reference", () => [ts.conv2dTranspose(x, w, options), ...ts.grad(f)(x, w)]);
    for (const algorithm of ["gemm", "direct", "auto", "measure"] as const) {
      ts.setConvAlgorithm(algorithm);
      try {
        const got = [ts.conv2dTranspose(x, w, options), ...ts.grad(f)(x, w)];
        for (const [j, t] of got.entries()) {
          assertClose(t, want[j]!, { tol: FLOAT64_TOL, message: `${algorithm} output ${j}` });
        }
      } finally {
        ts.setConvAlgorithm(saved);
      }
    }
  });

  test("depthwiseConv2d (multiplier 1 and 2) and conv2d with groups = channels, with gradients", () => {
    const cases = [
      {
        x: [2, 7, 6, 19],
        w: [3, 3, 19, 1],
        options: { padding: "same" as const, activation: "relu" as const },
      },
      {
        x: [1, 8, 7, 3],
        w: [2, 3, 3, 2],
        options: { strides: [2, 1], dilationRate: 1, activation: "tanh" as const },
      },
    ];
    for (const [i, c] of cases.entries()) {
      const x = uniform64(c.x, -1, 1, 70 + i);
      const w = uniform64(c.w, -1, 1, 80 + i);
      const b = uniform64([c.w[2]! * c.w[3]!], -0.5, 0.5, 90 + i);
      const run = () => {
        const f = (xx: ts.Tensor, ww: ts.Tensor, bb: ts.Tensor) => {
          const y = ts.depthwiseConv2d(xx, ww, { ...c.options, bias: bb });
          return y.mul(uniform64([...y.shape], -1, 1, 99)).sum();
        };
        const grouped = ts.conv2d(x, w.reshape([c.w[0]!, c.w[1]!, 1, c.w[2]! * c.w[3]!]), {
          ...c.options,
          bias: b,
        });
        return [ts.depthwiseConv2d(x, w, { ...c.options, bias: b }), grouped, ...ts.grad(f)(x, w, b)];
      };
      const want = withBackend("reference", run);
      const got = run();
      for (const [j, t] of got.entries()) {
        assertClose(t, want[j]!, { tol: FLOAT64_TOL, message: `depthwise case ${i} output ${j}` });
      }
      // the same computation both ways (kernel channel c * M + m), so this holds on the reference too
      assertClose(got[1]!, got[0]!, { tol: FLOAT64_TOL, message: `depthwise case ${i}: grouped conv2d` });
    }
  });

  test("conv1d (causal) runs through the same fused op", () => {
    const x = uniform64([2, 11, 3], -1, 1, 50);
    const w = uniform64([3, 3, 4], -1, 1, 51);
    const want = withBackend("reference", () => ts.conv1d(x, w, { padding: "causal", dilationRate: 2 }));
    for (const algorithm of ["gemm", "direct"] as const) {
      ts.setConvAlgorithm(algorithm);
      try {
        assertClose(ts.conv1d(x, w, { padding: "causal", dilationRate: 2 }), want, { tol: FLOAT64_TOL });
      } finally {
        ts.setConvAlgorithm(saved);
      }
    }
  });
});

test("setConvAlgorithm accepts auto, measure, gemm and direct only", () => {
  assert.throws(
    () => ts.setConvAlgorithm("winograd" as ReturnType<typeof ts.getConvAlgorithm>),
    /setConvAlgorithm: expected one of auto, measure, gemm, direct \(got "winograd"\)/,
  );
  ts.setConvAlgorithm("direct");
  assert.equal(ts.getConvAlgorithm(), "direct");
  ts.setConvAlgorithm(saved);
});

test("TESSERA_CONV_ALGORITHM: a known value is taken, an unknown one warns and means auto", () => {
  const script = `import * as ts from ${JSON.stringify(new URL("../../src/index.ts", import.meta.url).href)};
console.log(ts.getConvAlgorithm());`;
  const run = (value: string) =>
    spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, TESSERA_CONV_ALGORITHM: value },
      encoding: "utf8",
    });
  const known = run("gemm");
  assert.equal(known.status, 0, known.stderr);
  assert.equal(known.stdout.trim(), "gemm");
  const unknown = run("fastest");
  assert.equal(unknown.status, 0, unknown.stderr);
  assert.equal(unknown.stdout.trim(), "auto");
  assert.match(
    unknown.stderr,
    /TESSERA_CONV_ALGORITHM: expected one of auto, measure, gemm, direct \(got "fastest"\)/,
  );
});
