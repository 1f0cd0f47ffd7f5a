import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Generator } from "../../core/random.js";
import { Column } from "./column.js";
import { Table } from "./table.js";

const people = () =>
  Table.fromRecords([
    { name: "ann", age: 31, score: 2.5, member: true, city: "oslo" },
    { name: "bob", age: null, score: 4.0, member: false, city: "rome" },
    { name: "cy", age: 25, score: null, member: true, city: "oslo" },
    { name: "dee", age: 40, score: 1.5, member: null, city: null },
  ]);

describe("Column", () => {
  it("infers kinds and counts missing values", () => {
    assert.equal(Column.fromValues([1, 2, null]).kind, "int");
    assert.equal(Column.fromValues([1, 2.5]).kind, "float");
    assert.equal(Column.fromValues([true, null]).kind, "bool");
    assert.equal(Column.fromValues(["a", undefined]).kind, "string");
    assert.equal(Column.fromValues([new Date(0)]).kind, "date");
    assert.equal(Column.fromValues([Number.NaN, 1.5, null]).missingCount(), 2);
    assert.throws(() => Column.fromValues([1, "a"]), /mixes int and string/);
    assert.throws(() => Column.fromValues([1.5], "int"), /row 0 is not a int value \(got 1.5\)/);
  });

  it("shares a dictionary across take and counts only used values as unique", () => {
    const c = Column.fromStrings(["a", "b", "a", null, "c"]);
    const t = c.take([0, 2, 3]);
    assert.deepEqual(t.toArray(), ["a", "a", null]);
    assert.equal(t.uniqueCount(), 1);
    assert.equal(t.missingCount(), 1);
    assert.deepEqual(c.take([-1, 1]).toArray(), [null, "b"]);
  });

  it("casts strings to numbers and refuses values that do not parse", () => {
    assert.deepEqual(Column.fromStrings(["1", null, "-3"]).cast("int").toArray(), [1, null, -3]);
    assert.throws(
      () => Column.fromStrings(["1", "x"]).cast("float", "v"),
      /column "v": row 1 is not a float/,
    );
    assert.deepEqual(Column.fromValues([1, 0, null]).cast("bool").toArray(), [true, false, null]);
  });
});

describe("Table basics", () => {
  it("builds from records and round-trips to records", () => {
    const t = people();
    assert.deepEqual(t.shape, [4, 5]);
    assert.deepEqual(
      t.schema.map((s) => s.kind),
      ["string", "int", "float", "bool", "string"],
    );
    assert.deepEqual(t.row(1), { name: "bob", age: null, score: 4, member: false, city: "rome" });
    assert.deepEqual(Table.fromRecords(t.toRecords()).toRecords(), t.toRecords());
  });

  it("selects, drops, renames and adds columns", () => {
    const t = people();
    assert.deepEqual(t.select(["city", "name"]).columnNames, ["city", "name"]);
    assert.deepEqual(t.drop(["score", "member"]).columnNames, ["name", "age", "city"]);
    assert.deepEqual(t.rename({ age: "years" }).columnNames, ["name", "years", "score", "member", "city"]);
    const doubled = t.withColumn("twice", (row) => (row.score === null ? null : (row.score as number) * 2));
    assert.deepEqual(doubled.column("twice").toArray(), [5, 8, null, 3]);
    assert.throws(() => t.select(["nope"]), /no column "nope"/);
    assert.throws(() => t.withColumn("x", [1, 2]), /has 2 rows \(expected 4\)/);
  });

  it("filters by predicate and by mask, and maps rows", () => {
    const t = people();
    assert.deepEqual(
      t
        .filter((row) => row.city === "oslo")
        .column("name")
        .toArray(),
      ["ann", "cy"],
    );
    assert.deepEqual(t.filter([0, 1, 0, 1]).column("name").toArray(), ["bob", "dee"]);
    const mapped = t.map((row) => ({ upper: String(row.name).toUpperCase() }));
    assert.deepEqual(mapped.column("upper").toArray(), ["ANN", "BOB", "CY", "DEE"]);
  });

  it("sorts by several keys with missing values last in both directions", () => {
    const t = people();
    assert.deepEqual(t.sort("age").column("name").toArray(), ["cy", "ann", "dee", "bob"]);
    assert.deepEqual(t.sort({ column: "age", descending: true }).column("name").toArray(), [
      "dee",
      "ann",
      "cy",
      "bob",
    ]);
    assert.deepEqual(
      t
        .sort([{ column: "city", descending: true }, "score"])
        .column("name")
        .toArray(),
      ["bob", "ann", "cy", "dee"],
    );
  });

  it("takes head, tail and a seeded sample", () => {
    const t = people();
    assert.deepEqual(t.head(2).column("name").toArray(), ["ann", "bob"]);
    assert.deepEqual(t.tail(1).column("name").toArray(), ["dee"]);
    const a = t
      .sample({ n: 3, generator: new Generator(5) })
      .column("name")
      .toArray();
    const b = t
      .sample({ n: 3, generator: new Generator(5) })
      .column("name")
      .toArray();
    assert.deepEqual(a, b);
    assert.equal(new Set(a).size, 3);
    const expected = new Generator(5)
      .permutation(4)
      .slice(0, 3)
      .map((i) => ["ann", "bob", "cy", "dee"][i]);
    assert.deepEqual(a, expected);
    assert.throws(() => t.sample({ n: 5 }), /exceeds 4 rows/);
  });

  it("drops rows with missing values", () => {
    const t = people();
    assert.deepEqual(t.dropMissing().column("name").toArray(), ["ann"]);
    assert.deepEqual(
      t
        .dropMissing({ columns: ["age"] })
        .column("name")
        .toArray(),
      ["ann", "cy", "dee"],
    );
    assert.equal(t.select(["age", "score"]).dropMissing({ how: "all" }).numRows, 4);
  });

  it("concatenates tables and widens int to float", () => {
    const a = Table.fromColumns({ x: [1, 2], s: ["a", null] });
    const b = Table.fromColumns({ x: [2.5], s: ["c"] });
    const c = Table.concat([a, b]);
    assert.equal(c.column("x").kind, "float");
    assert.deepEqual(c.column("x").toArray(), [1, 2, 2.5]);
    assert.deepEqual(c.column("s").toArray(), ["a", null, "c"]);
  });
});

describe("Table statistics", () => {
  it("describes numeric columns like pandas (sample std, linear quartiles)", () => {
    const t = Table.fromColumns({ v: [1, 2, 3, 4, null], s: ["a", "b", "a", null, null] });
    const d = t.describe();
    const stat = (name: string) => d.column("v").get(d.column("stat").toArray().indexOf(name));
    assert.equal(stat("count"), 4);
    assert.equal(stat("mean"), 2.5);
    // sample variance of 1..4: ((1.5^2 + 0.5^2) * 2) / 3 = 5/3
    assert.ok(Math.abs((stat("std") as number) - Math.sqrt(5 / 3)) < 1e-12);
    assert.equal(stat("min"), 1);
    assert.equal(stat("25%"), 1.75);
    assert.equal(stat("50%"), 2.5);
    assert.equal(stat("75%"), 3.25);
    assert.equal(stat("max"), 4);
    assert.equal(stat("missing"), 1);
    assert.equal(stat("unique"), 4);
    const s = (name: string) => d.column("s").get(d.column("stat").toArray().indexOf(name));
    assert.equal(s("count"), 3);
    assert.equal(s("unique"), 2);
    assert.equal(s("mean"), null);
  });

  it("counts values, most frequent first", () => {
    const t = Table.fromColumns({ c: ["x", "y", "x", null, "z", "x", "y"] });
    const vc = t.valueCounts("c");
    assert.deepEqual(vc.column("c").toArray(), ["x", "y", "z"]);
    assert.deepEqual(vc.column("count").toArray(), [3, 2, 1]);
    const withMissing = t.valueCounts("c", { dropMissing: false, normalize: true });
    assert.deepEqual(withMissing.column("c").toArray(), ["x", "y", null, "z"]);
    assert.deepEqual(withMissing.column("proportion").toArray(), [3 / 7, 2 / 7, 1 / 7, 1 / 7]);
  });

  it("groups and aggregates", () => {
    const t = Table.fromColumns({
      k: ["a", "b", "a", "b", "a", null],
      v: [1, 10, 3, null, 5, 7],
      w: [2, 2, 2, 2, 2, 2],
    });
    const g = t.groupBy("k").agg({ v: ["count", "sum", "mean", "min", "max", "std", "first"], w: "sum" });
    assert.deepEqual(g.column("k").toArray(), ["a", "b", null]);
    assert.deepEqual(g.column("v_count").toArray(), [3, 1, 1]);
    assert.deepEqual(g.column("v_sum").toArray(), [9, 10, 7]);
    assert.deepEqual(g.column("v_mean").toArray(), [3, 10, 7]);
    assert.deepEqual(g.column("v_min").toArray(), [1, 10, 7]);
    assert.deepEqual(g.column("v_max").toArray(), [5, 10, 7]);
    assert.deepEqual(g.column("v_std").toArray(), [2, null, null]);
    assert.deepEqual(g.column("v_first").toArray(), [1, 10, 7]);
    assert.deepEqual(g.column("w").toArray(), [6, 4, 2]);
    assert.deepEqual(t.groupBy(["k"]).size().column("size").toArray(), [3, 2, 1]);
    const two = t.groupBy(["k", "w"]).agg({ v: "max" });
    assert.equal(two.numRows, 3);
    assert.throws(() => t.groupBy("k").agg({ k: "mean" }), /mean needs a numeric column/);
  });
});

describe("Table.join", () => {
  const left = Table.fromColumns({ id: [1, 2, 3, null], l: ["a", "b", "c", "d"] });
  const right = Table.fromColumns({ id: [2, 3, 3, 4], r: [20, 30, 31, 40] });

  it("inner-joins matching keys, duplicates multiplying", () => {
    const j = left.join(right, { on: "id" });
    assert.deepEqual(j.toRecords(), [
      { id: 2, l: "b", r: 20 },
      { id: 3, l: "c", r: 30 },
      { id: 3, l: "c", r: 31 },
    ]);
  });

  it("left, right and outer joins keep unmatched rows with missing cells", () => {
    assert.deepEqual(left.join(right, { on: "id", how: "left" }).column("r").toArray(), [
      null,
      20,
      30,
      31,
      null,
    ]);
    const r = left.join(right, { on: "id", how: "right" });
    assert.deepEqual(r.column("id").toArray(), [2, 3, 3, 4]);
    assert.deepEqual(r.column("l").toArray(), ["b", "c", "c", null]);
    const o = left.join(right, { on: "id", how: "outer" });
    assert.deepEqual(o.column("id").toArray(), [1, 2, 3, 3, null, 4]);
    assert.deepEqual(o.column("r").toArray(), [null, 20, 30, 31, null, 40]);
  });

  it("suffixes clashing column names", () => {
    const a = Table.fromColumns({ k: ["x"], v: [1] });
    const b = Table.fromColumns({ k: ["x"], v: [2] });
    assert.deepEqual(a.join(b, { on: ["k"] }).columnNames, ["k", "v_left", "v_right"]);
  });
});

describe("Table.toTensor and toString", () => {
  it("packs numeric columns row-major and refuses strings and missing values", () => {
    const t = Table.fromColumns({
      a: [1, 2, 3],
      b: [0.5, 1.5, 2.5],
      c: [true, false, true],
      s: ["x", "y", "z"],
    });
    const x = t.toTensor(["a", "b", "c"], { dtype: "float64" });
    assert.deepEqual(x.shape, [3, 3]);
    assert.deepEqual(Array.from(x.data), [1, 0.5, 1, 2, 1.5, 0, 3, 2.5, 1]);
    assert.throws(() => t.toTensor(["s"]), /holds strings/);
    assert.throws(() => Table.fromColumns({ a: [1, null] }).toTensor(), /1 missing value/);
    assert.throws(() => t.toTensor(["b"], { dtype: "int32" }), /not representable as int32/);
  });

  it("renders aligned columns, kinds, NA and a size footer", () => {
    const text = people().toString();
    const lines = text.split("\n");
    assert.match(lines[0]!, /name\s+age\s+score\s+member\s+city/);
    assert.match(lines[1]!, /string\s+int\s+float\s+bool\s+string/);
    assert.match(lines[3]!, /^1\s+bob\s+NA\s+4\.0\s+false\s+rome$/);
    assert.equal(lines.at(-1), "[4 rows x 5 columns]");
    const long = Table.fromColumns({ i: Array.from({ length: 30 }, (_, i) => i) }).toString({ maxRows: 4 });
    assert.match(long, /\n\.\.\.\s+\.\.\.\n/);
    assert.match(long, /\n29\s+29\n/);
  });
});
