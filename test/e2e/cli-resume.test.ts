// `tessera train` killed with SIGKILL in the middle of a run and continued with --resume ends with
// the same weights (and the same history length) as an uninterrupted run.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, runCli } from "./fixtures/cli-process.js";

const SPEC = {
  name: "iris-resume",
  seed: 5,
  data: { path: "data.csv", target: "species" },
  model: {
    layers: [
      { type: "dense", units: 8, activation: "relu" },
      { type: "dropout", rate: 0.2 },
    ],
  },
  compile: { optimizer: { type: "adam", learningRate: 0.02 } },
  fit: { epochs: 6, batchSize: 16, checkpointEvery: 1 },
};

/** `tessera train spec.json --out <out> --verbose 2 ...extra`, SIGKILLed when the output matches killWhen. */
function train(dir: string, out: string, extra: string[], killWhen?: RegExp) {
  return runCli(
    ["train", "spec.json", "--out", out, "--verbose", "2", ...extra],
    dir,
    killWhen ? { killWhen } : {},
  );
}

test("tessera train: SIGKILL mid-run, then --resume, equals an uninterrupted run", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-cli-resume-"));
  copyFileSync(join(ROOT, "examples", "iris", "data.csv"), join(dir, "data.csv"));
  writeFileSync(join(dir, "spec.json"), JSON.stringify(SPEC));

  const straight = await train(dir, "a", []);
  assert.equal(straight.code, 0, straight.err);

  const killed = await train(dir, "b", [], /Epoch 4\/6/);
  assert.equal(killed.signal, "SIGKILL");
  assert.ok(existsSync(join(dir, "b", "checkpoint", "checkpoint.json")), "a checkpoint survives the kill");
  const resumed = await train(dir, "b", ["--resume"]);
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.err, /resuming from .*checkpoint at epoch [34]/);

  const weights = (run: string) => readFileSync(join(dir, run, "model", "weights.safetensors"));
  assert.ok(weights("a").equals(weights("b")), "final weights differ");
  const history = (run: string) =>
    JSON.parse(readFileSync(join(dir, run, "history.json"), "utf8")).epochs as unknown[];
  assert.equal(history("b").length, history("a").length);
});
