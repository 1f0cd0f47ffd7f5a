// data/split/leave-last-out: the recommender evaluation split. For every user, the last `holdOut`
// interactions (by time, or by row order when there is no time; ties keep row order) go to the
// test set and the rest to training; users with too few interactions (fewer than holdOut +
// minTrain) stay entirely in training, since they could not be both trained on and scored.
// Layer: data.
import { ValueError } from "../../core/errors.js";
import type { Table } from "../table/table.js";

export interface LeaveLastOutOptions {
  /** Interactions per user held out for testing (default 1). */
  holdOut?: number;
  /** Interactions a user must keep in training to be tested (default 1). */
  minTrain?: number;
}

export interface LeaveLastOutIndices {
  /** Row indices of the training interactions, in row order. */
  train: number[];
  /** Row indices of the held-out interactions, in row order. */
  test: number[];
}

/**
 * Row indices of a per-user leave-last-out split.
 * @example
 * leaveLastOutIndices(["a", "a", "b", "a"], [1, 3, 1, 2]); // train [0, 2, 3], test [1]
 */
export function leaveLastOutIndices(
  users: ArrayLike<unknown>,
  times?: ArrayLike<number> | null,
  options: LeaveLastOutOptions = {},
): LeaveLastOutIndices {
  const op = "leaveLastOut";
  const holdOut = options.holdOut ?? 1;
  const minTrain = options.minTrain ?? 1;
  if (!Number.isInteger(holdOut) || holdOut < 1)
    throw new ValueError(`${op}: holdOut must be a positive integer (got ${holdOut})`);
  if (!Number.isInteger(minTrain) || minTrain < 0)
    throw new ValueError(`${op}: minTrain must be an integer >= 0 (got ${minTrain})`);
  if (times != null && times.length !== users.length)
    throw new ValueError(`${op}: ${users.length} users but ${times.length} times`);
  const rowsOf = new Map<unknown, number[]>();
  for (let i = 0; i < users.length; i++) {
    const user = users[i];
    if (user === null || user === undefined) throw new ValueError(`${op}: row ${i} has no user`);
    const t = times?.[i];
    if (t !== undefined && Number.isNaN(t)) throw new ValueError(`${op}: row ${i} has no time`);
    const rows = rowsOf.get(user);
    if (rows === undefined) rowsOf.set(user, [i]);
    else rows.push(i);
  }
  const isTest = new Uint8Array(users.length);
  for (const rows of rowsOf.values()) {
    if (rows.length < holdOut + minTrain) continue;
    // stable: equal times keep row order
    if (times != null) rows.sort((a, b) => times[a]! - times[b]! || a - b);
    for (const row of rows.slice(rows.length - holdOut)) isTest[row] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  isTest.forEach((flag, i) => {
    (flag ? test : train).push(i);
  });
  return { train, test };
}

/**
 * Splits interactions per user: each user's last `holdOut` rows (by `time`, else row order) are
 * the test table.
 * @example
 * const { train, test } = leaveLastOut(ratings, { user: "userId", time: "timestamp" });
 */
export function leaveLastOut(
  table: Table,
  options: LeaveLastOutOptions & { user: string; time?: string },
): { train: Table; test: Table } {
  const users = table.column(options.user).toArray();
  const times = options.time === undefined ? null : table.column(options.time).toFloat64();
  const { train, test } = leaveLastOutIndices(users, times, options);
  return { train: table.take(train), test: table.take(test) };
}
