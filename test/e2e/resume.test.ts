// Training killed with SIGKILL in the middle of an epoch (twice) and resumed from its checkpoints
// ends with exactly the weights of an uninterrupted run.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const CHILD = join(import.meta.dirname, "fixtures", "train-child.ts");

/** Runs the child; kills it with SIGKILL once it prints `killAfter` (if given). Returns its output. */
function run(
  checkpointDir: string,
  weightsOut: string,
  killAfter?: string,
): Promise<{ output: string; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, checkpointDir, weightsOut], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfter !== undefined && output.includes(`${killAfter}\n`)) child.kill("SIGKILL");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`child failed (${code}): ${errors}`));
      else resolve({ output, signal });
    });
  });
}

test("kill -9 mid-epoch twice, resume, same final weights as an uninterrupted run", async () => {
  const root = mkdtempSync(join(tmpdir(), "tessera-resume-"));
  const straight = await run(join(root, "ckpt-a"), join(root, "a.safetensors"));
  assert.match(straight.output, /done/);

  const first = await run(join(root, "ckpt-b"), join(root, "b.safetensors"), "batch 1:3");
  assert.equal(first.signal, "SIGKILL");
  assert.doesNotMatch(first.output, /done/);
  const second = await run(join(root, "ckpt-b"), join(root, "b.safetensors"), "batch 2:6");
  assert.equal(second.signal, "SIGKILL");
  assert.match(second.output, /^resumed 1:[3-8]\n/, "resumed in epoch 1 where the first run stopped");
  const last = await run(join(root, "ckpt-b"), join(root, "b.safetensors"));
  assert.match(last.output, /^resumed 2:[6-8]\n/);
  assert.match(last.output, /done/);

  const a = readFileSync(join(root, "a.safetensors"));
  const b = readFileSync(join(root, "b.safetensors"));
  assert.ok(a.length > 200);
  assert.ok(a.equals(b), "final weights differ between the uninterrupted and the resumed run");
});
