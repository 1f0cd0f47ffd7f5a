// Fused recurrent sequence ops (lstmSequence, gruSequence, simpleRnnSequence): values against a
// plain float64 loop written from the cell equations (with masks, goBackwards and recurrent
// dropout multipliers), float64 gradient checks of every input, and argument checks.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ts from "../../src/index.js";
import { forEachBackend } from "../helpers/backends.js";
import { assertClose } from "../helpers/close.js";
import { seeded } from "../helpers/data.js";
import { gradcheck, uniform64 } from "../helpers/gradcheck.js";

const sig = (x: number) => 1 / (1 + Math.exp(-x));

interface Case {
  B: number;
  T: number;
  H: number;
  mask: number[][] | null;
  backwards: boolean;
  recurrentMask: number[] | null; // (B * H)
}

/** Reads time-major xProj (T, B, G) row (t, b) as numbers. */
const row = (x: ts.Tensor, b: number, t: number, B: number, G: number) =>
  Array.from(x.data.subarray((t * B + b) * G, (t * B + b + 1) * G));

/** v (H) @ U (H, G) */
function vecMat(v: number[], u: ts.Tensor, G: number): number[] {
  const out = new Array<number>(G).fill(0);
  v.forEach((vi, i) => {
    for (let j = 0; j < G; j++) out[j]! += vi * u.data[i * G + j]!;
  });
  return out;
}

/**
 * The expected states, (S, T, B, H) by input time (S = 1 or 2 states), from one cell's step
 * function (h, c) -> (h, c).
 */
function simulate(
  c: Case,
  x: ts.Tensor,
  G: number,
  init: number[][],
  step: (z: number[], hIn: number[], state: number[][]) => number[][],
): number[][][][] {
  const { B, T, H } = c;
  const S = init.length;
  const out: number[][][][] = Array.from({ length: S }, () =>
    Array.from({ length: T }, () => Array.from({ length: B }, () => [] as number[])),
  );
  for (let b = 0; b < B; b++) {
    let state = init.map((s) => s.slice(b * H, (b + 1) * H));
    for (let s = 0; s < T; s++) {
      const t = c.backwards ? T - 1 - s : s;
      const hIn = state[0]!.map((v, j) => v * (c.recurrentMask ? c.recurrentMask[b * H + j]! : 1));
      const next = step(row(x, b, t, B, G), hIn, state);
      if (c.mask === null || c.mask[b]![t] === 1) state = next;
      for (let k = 0; k < S; k++) out[k]![t]![b] = state[k]!;
    }
  }
  return out;
}

const CASES: Case[] = [
  { B: 2, T: 3, H: 2, mask: null, backwards: false, recurrentMask: null },
  {
    B: 3,
    T: 4,
    H: 3,
    mask: [
      [1, 1, 0, 1],
      [0, 1, 1, 1],
      [1, 1, 1, 1],
    ],
    backwards: true,
    recurrentMask: [2, 0, 2, 0, 2, 2, 2, 2, 0],
  },
];

function options(c: Case, dtype: "float32" | "float64") {
  return {
    mask: c.mask === null ? null : ts.tensor(c.mask, { dtype: "bool" }),
    goBackwards: c.backwards,
    recurrentMask:
      c.recurrentMask === null ? null : ts.tensor(c.recurrentMask, { dtype }).reshape([c.B, c.H]),
  };
}

forEachBackend("recurrent sequence values", () => {
  for (const [n, c] of CASES.entries()) {
    test(`lstmSequence matches the cell equations (case ${n})`, () => {
      const { B, T, H } = c;
      const x = seeded([T, B, 4 * H], -1, 1, 1);
      const u = seeded([H, 4 * H], -0.8, 0.8, 2);
      const h0 = seeded([B, H], -0.5, 0.5, 3);
      const c0 = seeded([B, H], -0.5, 0.5, 4);
      const y = ts.lstmSequence(x, u, h0, c0, options(c, "float32"));
      const expected = simulate(
        c,
        x,
        4 * H,
        [Array.from(h0.data), Array.from(c0.data)],
        (xr, hIn, [, cp]) => {
          const z = vecMat(hIn, u, 4 * H).map((v, j) => v + xr[j]!);
          const h: number[] = [];
          const cn: number[] = [];
          for (let j = 0; j < H; j++) {
            const i = sig(z[j]!);
            const f = sig(z[H + j]!);
            const g = Math.tanh(z[2 * H + j]!);
            const o = sig(z[3 * H + j]!);
            cn.push(f * cp![j]! + i * g);
            h.push(o * Math.tanh(cn[j]!));
          }
          return [h, cn];
        },
      );
      assertClose(y, expected, { tol: { atol: 2e-6, rtol: 1e-5 } });
    });

    test(`gruSequence (reset after) matches the cell equations (case ${n})`, () => {
      const { B, T, H } = c;
      const x = seeded([T, B, 3 * H], -1, 1, 5);
      const u = seeded([H, 3 * H], -0.8, 0.8, 6);
      const bRec = seeded([3 * H], -0.3, 0.3, 7);
      const h0 = seeded([B, H], -0.5, 0.5, 8);
      const y = ts.gruSequence(x, u, bRec, h0, options(c, "float32"));
      const expected = simulate(c, x, 3 * H, [Array.from(h0.data)], (xr, hIn, [hp]) => {
        const r = vecMat(hIn, u, 3 * H).map((v, j) => v + bRec.data[j]!);
        const h: number[] = [];
        for (let j = 0; j < H; j++) {
          const zg = sig(xr[j]! + r[j]!);
          const rg = sig(xr[H + j]! + r[H + j]!);
          const hh = Math.tanh(xr[2 * H + j]! + rg * r[2 * H + j]!);
          h.push(zg * hp![j]! + (1 - zg) * hh);
        }
        return [h];
      });
      assertClose(y, expected[0]!, { tol: { atol: 2e-6, rtol: 1e-5 } });
    });

    test(`simpleRnnSequence matches h = act(x + h U) (case ${n})`, () => {
      const { B, T, H } = c;
      const x = seeded([T, B, H], -1, 1, 9);
      const u = seeded([H, H], -0.8, 0.8, 10);
      const h0 = seeded([B, H], -0.5, 0.5, 11);
      for (const activation of ["tanh", "relu", "sigmoid", "linear", "hard_sigmoid"] as const) {
        const act = (v: number) =>
          activation === "tanh"
            ? Math.tanh(v)
            : activation === "relu"
              ? Math.max(v, 0)
              : activation === "sigmoid"
                ? sig(v)
                : activation === "linear"
                  ? v
                  : Math.min(Math.max(v / 6 + 0.5, 0), 1);
        const y = ts.simpleRnnSequence(x, u, h0, { ...options(c, "float32"), activation });
        const expected = simulate(c, x, H, [Array.from(h0.data)], (xr, hIn) => [
          vecMat(hIn, u, H).map((v, j) => act(v + xr[j]!)),
        ]);
        assertClose(y, expected[0]!, { tol: { atol: 2e-6, rtol: 1e-5 }, message: activation });
      }
    });
  }
});

test("gradients of the fused recurrent ops match central differences (float64)", () => {
  for (const c of CASES) {
    const { B, T, H } = c;
    const opts = options(c, "float64");
    gradcheck(
      (x, u, h0, c0) => ts.lstmSequence(x!, u!, h0!, c0!, opts),
      [
        uniform64([T, B, 4 * H], -1, 1, 1),
        uniform64([H, 4 * H], -0.8, 0.8, 2),
        uniform64([B, H], -0.5, 0.5, 3),
        uniform64([B, H], -0.5, 0.5, 4),
      ],
    );
    gradcheck(
      (x, u, b, h0) => ts.gruSequence(x!, u!, b!, h0!, opts),
      [
        uniform64([T, B, 3 * H], -1, 1, 5),
        uniform64([H, 3 * H], -0.8, 0.8, 6),
        uniform64([3 * H], -0.3, 0.3, 7),
        uniform64([B, H], -0.5, 0.5, 8),
      ],
    );
    for (const activation of ["tanh", "sigmoid", "linear"] as const) {
      gradcheck(
        (x, u, h0) => ts.simpleRnnSequence(x!, u!, h0!, { ...opts, activation }),
        [uniform64([T, B, H], -1, 1, 9), uniform64([H, H], -0.8, 0.8, 10), uniform64([B, H], -0.5, 0.5, 11)],
      );
    }
  }
  // non-default cell activations through the fused kernels
  gradcheck(
    (x, u, h0, c0) =>
      ts.lstmSequence(x!, u!, h0!, c0!, { activation: "relu", recurrentActivation: "hard_sigmoid" }),
    [
      uniform64([3, 2, 8], -1, 1, 12),
      uniform64([2, 8], -0.8, 0.8, 13),
      uniform64([2, 2], 0.1, 0.5, 14),
      uniform64([2, 2], 0.1, 0.5, 15),
    ],
  );
});

test("recurrent ops reject mismatched shapes, masks and activations", () => {
  const x = ts.zeros([3, 2, 8]);
  const u = ts.zeros([2, 8]);
  const h = ts.zeros([2, 2]);
  assert.throws(
    () => ts.lstmSequence(x, ts.zeros([3, 8]), h, h),
    /lstmSequence: recurrent kernel must be \(H, 4H\)/,
  );
  assert.throws(() => ts.lstmSequence(x, u, ts.zeros([3, 2]), h), /initial states must be \(2, 2\)/);
  assert.throws(
    () => ts.lstmSequence(x, u, h, h, { mask: ts.ones([2, 3]) }),
    /mask must be a bool \(2, 3\) tensor \(got float32 \[2,3\]\)/,
  );
  assert.throws(
    () => ts.lstmSequence(x, u, h, h, { activation: "gelu" as never }),
    /activation must be one of tanh, sigmoid, relu, linear, hard_sigmoid \(got gelu\)/,
  );
  assert.throws(
    () => ts.gruSequence(ts.zeros([3, 2, 6]), ts.zeros([2, 6]), ts.zeros([5]), h),
    /recurrent bias must be \(6\)/,
  );
  assert.throws(() => ts.lstmSequence(ts.zeros([2, 8]), u, h, h), /xProj must be \(T >= 1, B, 4H\)/);
});

test("gradients with a zero initial state (dU skips the h0 block) match central differences", () => {
  for (const goBackwards of [false, true]) {
    const zeros = () => ts.zeros([2, 3], { dtype: "float64" });
    gradcheck(
      (x, u, h0, c0) => ts.lstmSequence(x!, u!, h0!, c0!, { goBackwards }),
      [uniform64([4, 2, 12], -1, 1, 21), uniform64([3, 12], -0.8, 0.8, 22), zeros(), zeros()],
    );
    gradcheck(
      (x, u, b, h0) => ts.gruSequence(x!, u!, b!, h0!, { goBackwards }),
      [
        uniform64([4, 2, 9], -1, 1, 23),
        uniform64([3, 9], -0.8, 0.8, 24),
        uniform64([9], -0.3, 0.3, 25),
        zeros(),
      ],
    );
  }
});
