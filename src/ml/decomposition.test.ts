// Tests of ml/pca, ml/truncated-svd, ml/linear-regression and ml/ridge (the estimators built on
// ops/linalg's dense SVD, lstsq and solve) against scikit-learn 1.2 fixtures
// (test/fixtures/ml/decomposition.json).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadDataset, readFixture } from "../../test/fixtures/ml/datasets.js";
import { LinearRegression } from "./linear-regression.js";
import { PCA } from "./pca.js";
import { Ridge } from "./ridge.js";
import { TruncatedSVD } from "./truncated-svd.js";

interface DecompositionFixture {
  pca: Record<
    string,
    {
      nComponents: number;
      whiten: boolean;
      components: number[];
      explainedVariance: number[];
      explainedVarianceRatio: number[];
      singularValues: number[];
      transformFirstRows: number[];
    }
  >;
  truncatedSvd: Record<
    string,
    { nComponents: number; components: number[]; explainedVarianceRatio: number[]; singularValues: number[] }
  >;
  ols: Record<string, { coef: number[]; intercept: number; r2: number }>;
  ridge: Record<string, { alpha: number; coef: number[]; intercept: number }>;
}

const fixture = readFixture<DecompositionFixture>("decomposition");

function close(
  actual: ArrayLike<number>,
  expected: readonly number[],
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    assert.ok(
      Math.abs(actual[i]! - expected[i]!) <= tolerance * scale,
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

/** Sign of each component row relative to the reference (components agree up to sign). */
function signsAgainst(
  actual: ArrayLike<number>,
  expected: readonly number[],
  k: number,
  d: number,
): number[] {
  return Array.from({ length: k }, (_, c) => {
    let dotProduct = 0;
    for (let j = 0; j < d; j++) dotProduct += actual[c * d + j]! * expected[c * d + j]!;
    return dotProduct < 0 ? -1 : 1;
  });
}

describe("PCA", () => {
  for (const [name, expected] of Object.entries(fixture.pca)) {
    it(`components (up to sign), variances and projections on ${name} match scikit-learn's`, () => {
      const { x } = loadDataset(name);
      const pca = new PCA({ nComponents: expected.nComponents, whiten: expected.whiten }).fit(x);
      const k = expected.nComponents;
      const d = x.cols;
      const signs = signsAgainst(pca.components.data, expected.components, k, d);
      close(
        pca.components.data.map((v, i) => v * signs[Math.floor(i / d)]!),
        expected.components,
        1e-8,
        "components",
      );
      close(pca.explainedVariance, expected.explainedVariance, 1e-9, "explainedVariance");
      close(pca.explainedVarianceRatio, expected.explainedVarianceRatio, 1e-12, "explainedVarianceRatio");
      close(pca.singularValues, expected.singularValues, 1e-9, "singularValues");
      const rows = { rows: 3, cols: d, data: x.data.slice(0, 3 * d) };
      const projected = pca.transform(rows).data.map((v, i) => v * signs[i % k]!);
      close(projected, expected.transformFirstRows, 1e-7, "transform");
    });
  }

  it("inverseTransform undoes a full-rank transform, and the state round-trips through JSON", () => {
    const { x } = loadDataset("iris");
    const pca = new PCA({ whiten: true }).fit(x);
    const back = pca.inverseTransform(pca.transform(x));
    close(back.data, Array.from(x.data), 1e-10, "round trip");
    const again = PCA.fromJSON(JSON.parse(JSON.stringify(pca.toJSON())));
    assert.deepEqual(Array.from(again.transform(x).data), Array.from(pca.transform(x).data));
  });

  it("refuses more components than the data has", () => {
    assert.throws(
      () =>
        new PCA({ nComponents: 3 }).fit([
          [1, 2],
          [3, 4],
          [5, 7],
        ]),
      /nComponents = 3 is more than min\(rows, features\) = 2/,
    );
  });
});

describe("TruncatedSVD", () => {
  for (const [name, expected] of Object.entries(fixture.truncatedSvd)) {
    it(`on ${name} matches scikit-learn's arpack result up to sign`, () => {
      const { x } = loadDataset(name);
      const svd = new TruncatedSVD({ nComponents: expected.nComponents }).fit(x);
      const d = x.cols;
      const components = svd.components?.data ?? new Float64Array(0);
      const signs = signsAgainst(components, expected.components, expected.nComponents, d);
      close(
        components.map((v, i) => v * signs[Math.floor(i / d)]!),
        expected.components,
        1e-8,
        "components",
      );
      close(svd.singularValues ?? [], expected.singularValues, 1e-9, "singularValues");
      close(
        svd.explainedVarianceRatio ?? [],
        expected.explainedVarianceRatio,
        1e-9,
        "explainedVarianceRatio",
      );
    });
  }
});

describe("LinearRegression and Ridge", () => {
  const { x, yNumbers } = loadDataset("boston-housing");
  it("least squares on boston-housing gives scikit-learn's coefficients", () => {
    const expected = fixture.ols["boston-housing"]!;
    const ols = new LinearRegression().fit(x, yNumbers);
    close(ols.coef, expected.coef, 1e-9, "coef");
    assert.ok(Math.abs(ols.intercept - expected.intercept) < 1e-8);
    assert.ok(Math.abs(ols.score(x, yNumbers) - expected.r2) < 1e-12);
    assert.equal(ols.rank, 13);
  });

  for (const [name, expected] of Object.entries(fixture.ridge)) {
    it(`ridge ${name} gives scikit-learn's coefficients`, () => {
      const ridge = new Ridge({ alpha: expected.alpha }).fit(x, yNumbers);
      close(ridge.coef, expected.coef, 1e-9, "coef");
      assert.ok(Math.abs(ridge.intercept - expected.intercept) < 1e-8);
      const again = Ridge.fromJSON(JSON.parse(JSON.stringify(ridge.toJSON())));
      assert.deepEqual(Array.from(again.predict(x).data), Array.from(ridge.predict(x).data));
    });
  }

  it("least squares still answers on a rank-deficient X (a duplicated column)", () => {
    const rows = [
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ];
    const ols = new LinearRegression().fit(rows, [2, 4, 6, 8]);
    assert.equal(ols.rank, 1);
    close(ols.coef, [1, 1], 1e-12, "minimum-norm coef");
  });
});
