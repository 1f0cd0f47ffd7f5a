// Crash-safe checkpoints (issue 12): a SIGKILL between the two renames of a checkpoint save used to
// leave no checkpoint at all, so resume silently started over (8 of 8 injected trials), and killed
// writes left hidden temporary folders forever. Real child processes are killed right before each
// file-system step of a save that replaces a checkpoint; afterwards the last complete checkpoint
// (the old one, or the new one once its files were complete) must load, with the weights of its
// epoch, and the leftovers of the killed save must be gone after the next load.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { hasCheckpoint, loadCheckpoint } from "../../src/io/checkpoint.js";

const root = mkdtempSync(join(tmpdir(), "tessera-ckpt-kill-"));
after(() => rmSync(root, { recursive: true, force: true }));
const child = new URL("./fixtures/checkpoint-kill-child.ts", import.meta.url).pathname;

function run(dir: string, killAt: number): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", child, dir, String(killAt)], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    p.on("error", reject);
    p.on("exit", (code, signal) => resolve(signal ?? code));
  });
}

// The epoch-2 save writes 4 files (model.json, weights, optimizer slots, checkpoint.json), then
// renames: the new folder onto the old one (refused: not empty), the old one aside, the new one
// into place, and removes the old one. Step 7 is the moment between the two renames.
const STEPS = 8;

describe("checkpoint saves survive SIGKILL at every step", () => {
  test("kill before each step of a save; the last complete checkpoint resumes", async () => {
    const trials = Array.from({ length: STEPS }, (_, i) => i + 1);
    const outcomes = await Promise.all(
      trials.map(async (step) => {
        const parent = join(root, `kill-${step}`);
        const dir = join(parent, "ckpt");
        const signal = await run(dir, step);
        return { step, parent, dir, signal };
      }),
    );
    const weightsOf: number[][][] = [];
    for (const { step, parent, dir, signal } of outcomes) {
      assert.equal(signal, "SIGKILL", `step ${step}: the child was not killed`);
      assert.ok(hasCheckpoint(dir), `step ${step}: no checkpoint left`);
      const ckpt = await loadCheckpoint(dir);
      weightsOf[step] = ckpt.model.getWeights().map((w) => [...w.data]);
      // From step 7 on the new folder, complete before the old one was moved aside, is the
      // checkpoint; before that the old one still is.
      assert.equal(ckpt.position.epoch, step >= 7 ? 2 : 1, `step ${step}`);
      assert.deepEqual(readdirSync(parent), ["ckpt"], `step ${step}: leftovers were not cleaned`);
    }
    // Every run trains the same way (seeded): the epoch-1 and epoch-2 checkpoints each agree.
    for (let step = 2; step <= 6; step++) assert.deepEqual(weightsOf[step], weightsOf[1], `step ${step}`);
    assert.deepEqual(weightsOf[8], weightsOf[7]);
    assert.notDeepEqual(weightsOf[7], weightsOf[1]);
  });
});
