// Second-order float64 gradchecks (reference backend) of the ts.linalg factorizations through all
// their outputs at once (test/ops/linalg-grad2.test.ts checks each op and output on its own): the
// SVD of tall, wide and square matrices (its rules once read U, Vh and S through views taken before
// recording, which a second derivative treated as constants) and QR, including mode "r".

import * as ts from "../../src/index.js";
import { type SecondOrderCase, secondOrderSuite, uniform64 } from "../helpers/gradcheck.js";

const weights = (shape: number[], seed: number) => uniform64(shape, 0.5, 1.5, seed);

const cases: SecondOrderCase[] = [
  [
    "linalg.qr (reduced, 4x3)",
    (a) => {
      const { q, r } = ts.linalg.qr(a);
      return ts.add(
        ts.sum(ts.mul(ts.square(q!), weights([4, 3], 15))),
        ts.sum(ts.mul(ts.square(r), weights([3, 3], 16))),
      );
    },
    [uniform64([4, 3], -2, 2, 17)],
  ],
  [
    "linalg.qr (mode r)",
    (a) => ts.mul(ts.square(ts.linalg.qr(a, "r").r), weights([3, 3], 18)),
    [uniform64([3, 3], -2, 2, 19)],
  ],
  [
    "linalg.svd (thin, square)",
    (a) => {
      const { u, s, vh } = ts.linalg.svd(a);
      return ts.add(ts.square(s), ts.sum(ts.mul(ts.add(ts.square(u), ts.square(vh)), weights([3, 3], 12))));
    },
    [uniform64([3, 3], -2, 2, 8)],
  ],
  [
    "linalg.svd (thin, 4x3 and 3x4)",
    (a) => {
      const tall = ts.linalg.svd(a);
      const wide = ts.linalg.svd(ts.matrixTranspose(a));
      const factors = ts.add(
        ts.sum(ts.mul(ts.square(tall.u), weights([4, 3], 13))),
        ts.sum(ts.mul(ts.square(wide.vh), weights([3, 4], 14))),
      );
      return ts.add(ts.sum(ts.square(tall.s)), factors);
    },
    [uniform64([4, 3], -2, 2, 9)],
  ],
];

secondOrderSuite("linalg", cases);
