import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tensor } from "../../tensor/creation.js";
import { ReadReport } from "../formats/read-report.js";
import { Table } from "../table/table.js";
import { coerceTypes, deduplicate, OutlierHandler } from "./cleaning.js";
import { LabelEncoder, OneHotEncoder, OrdinalEncoder } from "./encoders.js";
import { KBinsDiscretizer, Normalizer, PolynomialFeatures } from "./features.js";
import { SimpleImputer } from "./imputer.js";
import { ColumnTransformer, Pipeline } from "./pipeline.js";
import { transformerFromJSON } from "./registry.js";
import { MinMaxScaler, RobustScaler, StandardScaler } from "./scalers.js";
import type { Transformer } from "./transformer.js";

const TOL = 1e-12;
const close = (a: number[], b: number[], tol = TOL) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => {
    assert.ok(Math.abs(v - b[i]!) <= tol, `index ${i}: ${v} vs ${b[i]}`);
  });
};
/** Serialise through JSON text and back, as shipping with a model does. */
const roundTrip = <T>(t: { toJSON(): unknown }) =>
  transformerFromJSON(JSON.parse(JSON.stringify(t.toJSON()))) as T;

describe("scalers", () => {
  it("StandardScaler uses the population std, skips missing, scales constants by 1", () => {
    const t = Table.fromColumns({ a: [1, 2, 3, 4], b: [5, 5, 5, 5], c: [2, null, 4, 6] });
    const s = new StandardScaler().fit(t);
    const mean = 2.5;
    const std = Math.sqrt((1.5 ** 2 * 2 + 0.5 ** 2 * 2) / 4);
    close(
      s.transform(t).column("a").toFloat64() as unknown as number[],
      [1, 2, 3, 4].map((v) => (v - mean) / std),
    );
    assert.deepEqual(s.transform(t).column("b").toArray(), [0, 0, 0, 0]);
    const c = s.transform(t).column("c").toArray();
    assert.equal(c[1], null);
    close(
      [c[0] as number, c[2] as number, c[3] as number],
      [2, 4, 6].map((v) => (v - 4) / Math.sqrt(8 / 3)),
    );
    close(Array.from(s.inverseTransform(s.transform(t)).column("a").numbers), [1, 2, 3, 4]);
  });

  it("works on tensors and number[][] with the same numbers", () => {
    const rows = [
      [1, 10],
      [3, 30],
      [5, 20],
    ];
    const s = new MinMaxScaler({ featureRange: [-1, 1] });
    const out = s.fitTransform(rows);
    assert.deepEqual(out, [
      [-1, -1],
      [0, 1],
      [1, 0],
    ]);
    const t = s.transform(tensor(rows, { dtype: "float64" }));
    assert.deepEqual(Array.from(t.data), [-1, -1, 0, 1, 1, 0]);
    assert.equal(t.dtype, "float64");
    assert.equal(s.transform(tensor(rows)).dtype, "float32");
  });

  it("RobustScaler centres on the median and divides by the IQR", () => {
    const x = [[1], [2], [3], [4], [100]];
    const out = new RobustScaler().fitTransform(x).map((r) => r[0]!);
    // median 3, q1 2, q3 4
    close(out, [-1, -0.5, 0, 0.5, 48.5]);
  });

  it("round-trips fitted state through JSON", () => {
    const t = Table.fromColumns({ a: [1, 2, 7], b: [0.5, -1, 3] });
    for (const s of [new StandardScaler(), new MinMaxScaler(), new RobustScaler()] as Transformer[]) {
      s.fit(t);
      const again = roundTrip<Transformer>(s);
      assert.deepEqual(again.transform(t).toRecords(), s.transform(t).toRecords());
    }
    assert.throws(() => new StandardScaler().transform(t), /call fit\(\) first/);
  });
});

describe("imputer", () => {
  const t = Table.fromColumns({ x: [1, null, 3, 10], s: ["a", "b", null, "b"], i: [1, 2, null, 2] });

  it("fills with mean, median, most frequent or a constant", () => {
    assert.deepEqual(new SimpleImputer({ strategy: "mean" }).fitTransform(t).column("x").toArray(), [
      1,
      14 / 3,
      3,
      10,
    ]);
    assert.deepEqual(
      new SimpleImputer({ strategy: "median" }).fitTransform(t).column("x").toArray(),
      [1, 3, 3, 10],
    );
    const mf = new SimpleImputer({ strategy: "mostFrequent" }).fitTransform(t);
    assert.deepEqual(mf.column("s").toArray(), ["a", "b", "b", "b"]);
    assert.deepEqual(mf.column("i").toArray(), [1, 2, 2, 2]);
    const c = new SimpleImputer({ strategy: "constant", fillValue: "zz", columns: ["s"] }).fitTransform(t);
    assert.deepEqual(c.column("s").toArray(), ["a", "b", "zz", "b"]);
    assert.equal(c.column("x").missingCount(), 1);
  });

  it("learns from the training data only and survives JSON", () => {
    const imp = new SimpleImputer({ strategy: "mean", columns: ["x"] }).fit(t);
    const test = Table.fromColumns({ x: [null, 100] });
    assert.deepEqual(imp.transform(test).column("x").toArray(), [14 / 3, 100]);
    assert.deepEqual(roundTrip<SimpleImputer>(imp).transform(test).column("x").toArray(), [14 / 3, 100]);
  });
});

describe("encoders", () => {
  const t = Table.fromColumns({ color: ["red", "blue", null, "red"], n: [1, 2, 3, 4] });

  it("one-hot encodes sorted categories with a missing category, and inverts", () => {
    const enc = new OneHotEncoder().fit(t);
    const out = enc.transform(t);
    assert.deepEqual(out.columnNames, ["color_blue", "color_red", "color_NA", "n"]);
    assert.deepEqual(out.column("color_red").toArray(), [1, 0, 0, 1]);
    assert.deepEqual(out.column("color_NA").toArray(), [0, 0, 1, 0]);
    assert.deepEqual(enc.inverseTransform(out).toRecords(), t.toRecords());
    assert.deepEqual(enc.featureNamesOut(), ["color_blue", "color_red", "color_NA", "n"]);
  });

  it("refuses or ignores unknown categories", () => {
    const test = Table.fromColumns({ color: ["green"], n: [0] });
    assert.throws(() => new OneHotEncoder().fit(t).transform(test), /unknown category "green"/);
    const ignored = new OneHotEncoder({ handleUnknown: "ignore" }).fit(t).transform(test);
    assert.deepEqual(ignored.row(0), { color_blue: 0, color_red: 0, color_NA: 0, n: 0 });
  });

  it("ordinal-encodes, keeps missing as missing and maps unknowns when asked", () => {
    const t2 = Table.fromColumns({ size: ["m", "s", "l", null] });
    const enc = new OrdinalEncoder({ handleUnknown: "useEncodedValue", unknownValue: -1 }).fit(t2);
    assert.deepEqual(enc.transform(t2).column("size").toArray(), [1, 2, 0, null]);
    assert.deepEqual(
      enc
        .transform(Table.fromColumns({ size: ["xl"] }))
        .column("size")
        .toArray(),
      [-1],
    );
    assert.deepEqual(
      roundTrip<OrdinalEncoder>(enc).inverseTransform(enc.transform(t2)).toRecords(),
      t2.toRecords(),
    );
  });

  it("label-encodes targets", () => {
    const enc = new LabelEncoder();
    assert.deepEqual(Array.from(enc.fitTransform(["b", "a", "c", "a"])), [1, 0, 2, 0]);
    assert.deepEqual(enc.inverseTransform([2, 0]), ["c", "a"]);
    assert.deepEqual(Array.from(roundTrip<LabelEncoder>(enc).transform(["c"])), [2]);
    assert.throws(() => enc.transform(["d"]), /unknown label "d"/);
  });
});

describe("features", () => {
  it("bins uniformly and by quantile", () => {
    const x = [[0], [1], [2], [3], [4], [5], [6], [7], [8], [10]];
    const uniform = new KBinsDiscretizer({ nBins: 2, strategy: "uniform" }).fitTransform(x).map((r) => r[0]);
    assert.deepEqual(uniform, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const q = new KBinsDiscretizer({ nBins: 2, strategy: "quantile" });
    assert.deepEqual(
      q.fitTransform(x).map((r) => r[0]),
      [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    );
    assert.deepEqual(q.binEdges[0], [0, 4.5, 10]);
    assert.deepEqual(q.transform([[-5], [50]]), [[0], [1]]);
  });

  it("builds polynomial features in scikit-learn's order and names", () => {
    const p = new PolynomialFeatures({ degree: 2 });
    assert.deepEqual(p.fitTransform([[2, 3]]), [[1, 2, 3, 4, 6, 9]]);
    assert.deepEqual(p.featureNamesOut(), ["1", "x0", "x1", "x0^2", "x0 x1", "x1^2"]);
    const inter = new PolynomialFeatures({ degree: 3, interactionOnly: true, includeBias: false });
    assert.deepEqual(inter.fitTransform([[2, 3, 5]]), [[2, 3, 5, 6, 10, 15, 30]]);
  });

  it("normalises rows", () => {
    assert.deepEqual(
      new Normalizer().fitTransform([
        [3, 4],
        [0, 0],
      ]),
      [
        [0.6, 0.8],
        [0, 0],
      ],
    );
    assert.deepEqual(new Normalizer({ norm: "l1" }).fitTransform([[1, -3]]), [[0.25, -0.75]]);
    assert.deepEqual(new Normalizer({ norm: "max" }).fitTransform([[1, -4]]), [[0.25, -1]]);
  });
});

describe("cleaning", () => {
  it("deduplicates whole rows or by key, keeping first or last", () => {
    const t = Table.fromColumns({ k: [1, 1, 2, 1], v: ["a", "a", "b", "c"] });
    assert.deepEqual(deduplicate(t).column("v").toArray(), ["a", "b", "c"]);
    assert.deepEqual(
      deduplicate(t, { columns: ["k"] })
        .column("v")
        .toArray(),
      ["a", "b"],
    );
    assert.deepEqual(
      deduplicate(t, { columns: ["k"], keep: "last" })
        .column("v")
        .toArray(),
      ["b", "c"],
    );
  });

  it("clips, flags and drops outliers by the IQR rule and by z-score", () => {
    const t = Table.fromColumns({ x: [1, 2, 3, 4, 100] });
    // q1 2, q3 4, IQR 2 -> bounds [-1, 7]
    assert.deepEqual(new OutlierHandler().fitTransform(t).column("x").toArray(), [1, 2, 3, 4, 7]);
    const flagged = new OutlierHandler({ action: "flag" }).fitTransform(t);
    assert.deepEqual(flagged.column("x_outlier").toArray(), [false, false, false, false, true]);
    assert.deepEqual(
      new OutlierHandler({ action: "drop" }).fitTransform(t).column("x").toArray(),
      [1, 2, 3, 4],
    );
    const z = new OutlierHandler({ method: "zscore", factor: 1.5, action: "drop" }).fit(t);
    const mean = 22;
    const std = Math.sqrt([1, 2, 3, 4, 100].reduce((s, v) => s + (v - mean) ** 2, 0) / 5);
    close([z.lower[0]!, z.upper[0]!], [mean - 1.5 * std, mean + 1.5 * std]);
    assert.equal(z.transform(t).numRows, 4);
  });

  it("coerces types, reporting values that do not convert", () => {
    const t = Table.fromColumns({ n: ["1", "x", "3"], f: [1, 0, 1] });
    assert.throws(() => coerceTypes(t, { n: "int" }), /row 1: "x" is not a int value/);
    const report = new ReadReport();
    const out = coerceTypes(t, { n: "int", f: "bool" }, { onError: "coerce", report });
    assert.deepEqual(out.column("n").toArray(), [1, null, 3]);
    assert.deepEqual(report.issues, [
      { line: 2, action: "coerced", column: "n", value: "x", reason: "not a int value; now missing" },
    ]);
    assert.deepEqual(out.column("f").toArray(), [true, false, true]);
  });
});

describe("Pipeline and ColumnTransformer", () => {
  const train = Table.fromColumns({
    age: [20, null, 40, 60],
    city: ["oslo", "rome", "oslo", null],
    id: [1, 2, 3, 4],
  });
  const test = Table.fromColumns({ age: [null, 30], city: ["rome", "oslo"], id: [5, 6] });

  const build = () =>
    new ColumnTransformer(
      [
        [
          "num",
          new Pipeline([
            ["impute", new SimpleImputer({ strategy: "median" })],
            ["scale", new MinMaxScaler()],
          ]),
          ["age"],
        ],
        ["cat", new OneHotEncoder({ handleUnknown: "ignore" }), ["city"]],
      ],
      { remainder: "passthrough" },
    );

  it("fits on training data only and produces the feature matrix and names", () => {
    const ct = build().fit(train);
    assert.deepEqual(ct.getFeatureNames(), [
      "num__age",
      "cat__city_oslo",
      "cat__city_rome",
      "cat__city_NA",
      "remainder__id",
    ]);
    const x = ct.transform(test);
    assert.deepEqual(x.shape, [2, 5]);
    // median of train ages 40 -> (40-20)/40 = 0.5; age 30 -> 0.25
    assert.deepEqual(Array.from(x.data), [0.5, 0, 1, 0, 5, 0.25, 1, 0, 0, 6]);
  });

  it("inverts where every step can be inverted and survives JSON", () => {
    const ct = build().fit(train);
    const again = roundTrip<ColumnTransformer>(ct);
    assert.deepEqual(Array.from(again.transform(test).data), Array.from(ct.transform(test).data));
    assert.throws(
      () => ct.inverseTransform(ct.transform(test)),
      /group "num" \(Pipeline\) cannot be inverted/,
    );
    const scaleOnly = new Pipeline([
      ["std", new StandardScaler()],
      ["mm", new MinMaxScaler()],
    ]).fit(train.select(["age", "id"]).dropMissing());
    const z = scaleOnly.transform(test.select(["age", "id"]));
    assert.deepEqual(scaleOnly.inverseTransform(z).column("id").toArray(), [5, 6]);
  });
});

describe("nested pipeline state", () => {
  it("Pipeline.fromJSON with transformerFromJSON rebuilds nested steps; without a loader it says to use it", () => {
    const table = Table.fromRecords([{ a: 1 }, { a: 3 }, { a: null }]);
    const inner = new Pipeline([
      ["impute", new SimpleImputer()],
      ["scale", new StandardScaler()],
    ]);
    const outer = new ColumnTransformer([["num", inner, ["a"]]]).fit(table);
    const json = JSON.parse(JSON.stringify(outer.toJSON())) as unknown;
    const again = transformerFromJSON(json) as ColumnTransformer;
    assert.deepEqual(Array.from(again.transform(table).data), Array.from(outer.transform(table).data));
    assert.throws(() => ColumnTransformer.fromJSON(json), /load a saved pipeline with transformerFromJSON/);
    assert.throws(() => Pipeline.fromJSON(inner.toJSON()), /load a saved pipeline with transformerFromJSON/);
  });
});
