// io/directory-recovery on hand-made leftovers of atomic-write's directory swap: which folders
// count as a dead writer's (finished or removed) and which as a live one's (left alone).
import assert from "node:assert/strict";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { recoverDirectory } from "../../src/io/directory-recovery.js";
import { readModelFile } from "../../src/io/load-model.js";
import { saveModel } from "../../src/io/save-model.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";

/** A parent folder holding a killed swap of `ckpt` by `pid`: the new copy and the old one. */
function killedSwap(pid: number, ageMs: number): { parent: string; dir: string; temp: string } {
  const parent = mkdtempSync(join(tmpdir(), "tessera-recover-"));
  const temp = join(parent, `.ckpt.tmp-${pid}-0a1b2c3d4e5f`);
  for (const [path, text] of [
    [temp, "new"],
    [`${temp}-old`, "old"],
  ] as const) {
    mkdirSync(path);
    writeFileSync(join(path, "model.json"), text);
    const when = new Date(Date.now() - ageMs);
    utimesSync(path, when, when);
  }
  return { parent, dir: join(parent, "ckpt"), temp };
}

test("a dead writer's swap is finished: the new copy is put in place, the old one removed", () => {
  // A pid from the past that no process holds now (pid 2^22 + 1 is above Linux's pid_max default).
  const { parent, dir } = killedSwap(4_194_305, 0);
  assert.deepEqual(recoverDirectory(dir), { restored: true, removed: 1 });
  assert.equal(readFileSync(join(dir, "model.json"), "utf8"), "new");
  assert.deepEqual(readdirSync(parent), ["ckpt"]);
});

test("our own pid from an earlier run (a container gives every run the same pid) counts as dead", () => {
  const { dir } = killedSwap(process.pid, 3_600_000);
  assert.equal(recoverDirectory(dir).restored, true);
  assert.equal(readFileSync(join(dir, "model.json"), "utf8"), "new");
});

test("a swap in progress in this process, or by a live process, is left alone", () => {
  for (const pid of [process.pid, process.ppid]) {
    const { parent, dir, temp } = killedSwap(pid, 0);
    assert.deepEqual(recoverDirectory(dir), { restored: false, removed: 0 });
    assert.equal(existsSync(dir), false);
    assert.equal(readdirSync(parent).length, 2, `pid ${pid}: ${temp}`);
  }
});

test("readModelFile finishes a killed swap as loadModel does", async () => {
  const parent = mkdtempSync(join(tmpdir(), "tessera-recover-"));
  const dir = join(parent, "m");
  await saveModel(sequential([layers.dense({ units: 1, inputShape: [2] })]), dir);
  const temp = join(parent, ".m.tmp-4194305-0a1b2c3d4e5f");
  renameSync(dir, temp);
  cpSync(temp, `${temp}-old`, { recursive: true });
  assert.equal((await readModelFile(dir)).format, "tessera-model");
  assert.deepEqual(readdirSync(parent), ["m"]);
});
