// leaveLastOut: each user's latest interactions are held out; short histories stay in training.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Table } from "../table/table.js";
import { leaveLastOut, leaveLastOutIndices } from "./leave-last-out.js";

test("leaveLastOutIndices holds out each user's latest rows (by time, ties by row order)", () => {
  // user a: times 1, 3, 2 -> row 1 is last; user b has one row and stays in training
  assert.deepEqual(leaveLastOutIndices(["a", "a", "b", "a"], [1, 3, 1, 2]), { train: [0, 2, 3], test: [1] });
  // without times the row order decides; equal times too
  assert.deepEqual(leaveLastOutIndices([1, 1, 2, 2, 2]), { train: [0, 2, 3], test: [1, 4] });
  assert.deepEqual(leaveLastOutIndices([1, 1, 1], [5, 5, 5], { holdOut: 2 }), { train: [0], test: [1, 2] });
  // minTrain 2: a user needs 3 rows to be tested with holdOut 1
  assert.deepEqual(leaveLastOutIndices([1, 1, 2, 2, 2], null, { minTrain: 2 }), {
    train: [0, 1, 2, 3],
    test: [4],
  });
  assert.throws(() => leaveLastOutIndices([1], [1, 2]), /1 users but 2 times/);
  assert.throws(() => leaveLastOutIndices([1, null]), /row 1 has no user/);
  assert.throws(() => leaveLastOutIndices([1], null, { holdOut: 0 }), /holdOut must be a positive integer/);
});

test("leaveLastOut splits a ratings table", () => {
  const ratings = Table.fromRecords([
    { user: "u1", item: "x", t: new Date("2020-01-03") },
    { user: "u2", item: "y", t: new Date("2020-01-01") },
    { user: "u1", item: "z", t: new Date("2020-01-01") },
    { user: "u2", item: "x", t: new Date("2020-01-05") },
    { user: "u1", item: "y", t: new Date("2020-01-02") },
  ]);
  const { train, test } = leaveLastOut(ratings, { user: "user", time: "t" });
  assert.deepEqual(test.column("item").toArray(), ["x", "x"]);
  assert.deepEqual(test.column("user").toArray(), ["u1", "u2"]);
  assert.deepEqual(train.column("item").toArray(), ["y", "z", "y"]);
  assert.equal(train.numRows + test.numRows, ratings.numRows);
});
