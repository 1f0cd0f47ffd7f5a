// Parity of ts.linalg and the sorting ops with NumPy/LAPACK on random, ill-conditioned and
// rank-deficient matrices, read from the committed fixture test/fixtures/linalg/numpy-linalg.json
// (regenerate with test/fixtures/linalg/make-fixtures.py; CI needs no NumPy). Tolerances per row are
// set in test/fixtures/linalg/parity.ts from the condition number of each case.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCases, type ParityRow, parityRows } from "../fixtures/linalg/parity.js";

const rows = parityRows();
const byOp = new Map<string, ParityRow[]>();
for (const r of rows) byOp.set(r.op, [...(byOp.get(r.op) ?? []), r]);

test("the fixture covers every op and matrix kind", () => {
  const ops = new Set(loadCases().cases.map((c) => c.op));
  for (const op of [
    "solve",
    "inv",
    "det",
    "cholesky",
    "qr",
    "svd",
    "eigh",
    "lstsq",
    "pinv",
    "matrixRank",
    "norm",
    "sort",
  ]) {
    assert.ok(ops.has(op), `fixture has ${op} cases`);
    assert.ok((byOp.get(op)?.length ?? 0) > 0, `${op} has parity comparisons`);
  }
  const kinds = rows.map((r) => r.kind);
  for (const kind of ["random", "ill-conditioned", "rank-deficient", "float32"])
    assert.ok(
      kinds.some((k) => k.includes(kind)),
      `fixture has ${kind} matrices`,
    );
});

for (const [op, opRows] of byOp) {
  test(`${op} matches NumPy (${opRows.length} comparisons)`, () => {
    for (const r of opRows) {
      assert.ok(
        r.diff <= r.tol,
        `${r.op} ${r.case} (${r.kind}, ${r.dtype}): ${r.quantity} differs by ${r.diff.toExponential(3)} (tolerance ${r.tol.toExponential(3)})`,
      );
    }
  });
}
