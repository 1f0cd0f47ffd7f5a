import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { quickstart } from "./quickstart.js";

test("the README quick start trains, evaluates, saves and reloads a breast-cancer classifier", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tessera-quickstart-"));
  try {
    const scores = await quickstart(join(dir, "model"));
    assert.ok(scores.accuracy! >= 0.93, `test accuracy ${scores.accuracy}`);
    assert.ok(scores.loss! < 0.3, `test loss ${scores.loss}`);
    assert.equal(scores.reloadedPredictsTheSame, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
