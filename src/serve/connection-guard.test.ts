import assert from "node:assert/strict";
import { Socket } from "node:net";
import { test } from "node:test";
import { BodyBudget, clientErrorStatus } from "./connection-guard.js";

test("BodyBudget: caps per connection and in total, and gives bytes back", () => {
  const budget = new BodyBudget(100, 150);
  const a = new Socket();
  const b = new Socket();
  assert.equal(budget.reserve(a, 60), "ok");
  assert.equal(budget.reserve(a, 41), "connection", "a would hold 101 > 100");
  assert.equal(budget.reserve(b, 91), "server", "60 + 91 = 151 > 150 in total");
  assert.equal(budget.buffered, 60, "refused reservations take nothing");
  assert.equal(budget.reserve(b, 80), "ok");
  assert.equal(budget.buffered, 140);
  assert.equal(budget.reserve(b, 11), "server");
  budget.release(a, 60);
  assert.equal(budget.buffered, 80);
  assert.equal(budget.reserve(b, 20), "ok");
  assert.equal(budget.reserve(b, 1), "connection");
  assert.equal(budget.reserve(a, 30), "ok");
  budget.release(b, 1000); // gives back only b's 100: never below zero, never a's share
  assert.equal(budget.buffered, 30);
  assert.equal(budget.reserve(b, 100), "ok");
  assert.equal(budget.reserve(a, 71), "connection", "a still holds its 30");
});

test("clientErrorStatus maps Node's parser and timer errors to HTTP statuses", () => {
  const error = (code: string) => Object.assign(new Error(`parse error ${code}`), { code });
  assert.equal(clientErrorStatus(error("HPE_HEADER_OVERFLOW")).status, 431);
  assert.equal(clientErrorStatus(error("ERR_HTTP_REQUEST_TIMEOUT")).status, 408);
  assert.equal(clientErrorStatus(error("HPE_CHUNK_EXTENSIONS_OVERFLOW")).status, 413);
  const other = clientErrorStatus(error("HPE_INVALID_METHOD"));
  assert.deepEqual(other, { status: 400, message: "bad request: parse error HPE_INVALID_METHOD" });
});
