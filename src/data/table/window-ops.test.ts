// Table shift / lag / diff / rolling / dateParts. Expected values are pandas 1.5.3 (Series.shift,
// .diff, .rolling(3, min_periods=2).mean/sum/min/max/std, .dt.year/.month/.day/.dayofweek/
// .dayofyear/.hour) on the same data, computed with the script in the comment of each test.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Table } from "./table.js";

const x = [1, 2, null, 4, 8, 16];
const table = Table.fromColumns({ t: [0, 1, 2, 3, 4, 5], x });
const values = (t: Table, name: string) => t.column(name).toArray();
const close = (actual: unknown[], expected: (number | null)[]) => {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => {
    if (e === null) assert.equal(actual[i], null, `row ${i}`);
    else assert.ok(Math.abs((actual[i] as number) - e) < 1e-12, `row ${i}: ${actual[i]} vs ${e}`);
  });
};

test("shift, lag and diff", () => {
  // pd.Series([1, 2, None, 4, 8, 16]).shift(1) / .shift(-1) / .diff()
  const t = table.shift("x").shift("x", -1, "x_lead").lag("x", [1, 2]).diff("x");
  assert.deepEqual(t.columnNames, ["t", "x", "x_shift1", "x_lead", "x_lag1", "x_lag2", "x_diff1"]);
  assert.deepEqual(values(t, "x_shift1"), [null, 1, 2, null, 4, 8]);
  assert.deepEqual(values(t, "x_lead"), [2, null, 4, 8, 16, null]);
  assert.deepEqual(values(table.shift("x", -2), "x_lead2"), [null, 4, 8, 16, null, null]);
  assert.deepEqual(values(t, "x_lag1"), values(t, "x_shift1"));
  assert.deepEqual(values(t, "x_lag2"), [null, null, 1, 2, null, 4]);
  assert.deepEqual(values(t, "x_diff1"), [null, 1, null, null, 4, 8]);
  assert.deepEqual(values(table.diff("x", 2), "x_diff2"), [null, null, null, 2, null, 12]);
  // string columns shift too, and keep their kind
  const s = Table.fromColumns({ s: ["a", "b", "c"] }).shift("s");
  assert.equal(s.column("s_shift1").kind, "string");
  assert.deepEqual(values(s, "s_shift1"), [null, "a", "b"]);
  assert.throws(() => table.lag("x", 0), /lag must be an integer >= 1/);
  assert.throws(() => Table.fromColumns({ s: ["a"] }).diff("s"), /holds strings/);
});

test("rolling mean, sum, min, max and std with minPeriods (missing values skipped)", () => {
  // s.rolling(3, min_periods=2).mean() etc. for s = pd.Series([1, 2, None, 4, 8, 16])
  const t = table.rolling("x", 3, { stats: ["mean", "sum", "min", "max", "std"], minPeriods: 2 });
  close(values(t, "x_rolling3_mean"), [null, 1.5, 1.5, 3, 6, 9.333333333333334]);
  close(values(t, "x_rolling3_sum"), [null, 3, 3, 6, 12, 28]);
  close(values(t, "x_rolling3_min"), [null, 1, 1, 2, 4, 4]);
  close(values(t, "x_rolling3_max"), [null, 2, 2, 4, 8, 16]);
  close(values(t, "x_rolling3_std"), [
    null,
    Math.SQRT1_2,
    Math.SQRT1_2,
    Math.SQRT2,
    2.8284271247461903,
    6.110100926607787,
  ]);
  // default minPeriods = window: a window with a missing value has no value
  close(values(table.rolling("x", 2), "x_rolling2_mean"), [null, 1.5, null, null, 6, 12]);
  assert.throws(
    () => table.rolling("x", 2, { minPeriods: 3 }),
    /minPeriods \(3\) must not exceed the window \(2\)/,
  );
  assert.throws(() => table.rolling("x", 2, { stats: ["median" as "mean"] }), /unknown statistic "median"/);
});

test("date parts in UTC, weekday Monday = 0", () => {
  // pd.to_datetime(["2024-02-29T13:00Z", "2023-12-31T00:00Z", None]).year/.month/.day/.dayofweek/.dayofyear/.hour
  const dates = Table.fromColumns({
    when: [new Date("2024-02-29T13:00:00Z"), new Date("2023-12-31T00:00:00Z"), null],
  });
  const t = dates.dateParts("when");
  assert.deepEqual(values(t, "when_year"), [2024, 2023, null]);
  assert.deepEqual(values(t, "when_month"), [2, 12, null]);
  assert.deepEqual(values(t, "when_day"), [29, 31, null]);
  assert.deepEqual(values(t, "when_weekday"), [3, 6, null]);
  assert.deepEqual(values(t, "when_dayOfYear"), [60, 365, null]);
  assert.deepEqual(values(t, "when_hour"), [13, 0, null]);
  assert.equal(t.column("when_year").kind, "int");
  assert.deepEqual(dates.dateParts("when", ["month"]).columnNames, ["when", "when_month"]);
  assert.throws(() => table.dateParts("x"), /column "x" is int \(expected date\)/);
});
