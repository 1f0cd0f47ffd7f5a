import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  writeDirectoryAtomic,
  writeDirectoryAtomicSync,
  writeFileAtomic,
  writeFileAtomicSync,
} from "./atomic-write.js";

const fresh = () => mkdtempSync(join(tmpdir(), "tessera-atomic-"));

test("writeFileAtomic replaces the content and leaves no temporary file", async () => {
  const dir = fresh();
  const path = join(dir, "model.json");
  writeFileSync(path, "old");
  await writeFileAtomic(path, "new content");
  assert.equal(readFileSync(path, "utf8"), "new content");
  await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...readFileSync(path)], [1, 2, 3]);
  assert.deepEqual(readdirSync(dir), ["model.json"]);
});

test("writeFileAtomic into a missing directory fails and leaves nothing behind", async () => {
  const dir = fresh();
  await assert.rejects(writeFileAtomic(join(dir, "nope", "x"), "data"), /ENOENT/);
  assert.deepEqual(readdirSync(dir), []);
});

test("writeDirectoryAtomic creates, then replaces a directory as a unit", async () => {
  const root = fresh();
  const dir = join(root, "runs", "model");
  await writeDirectoryAtomic(dir, { "a.json": "1", "b.bin": new Uint8Array([9]) });
  assert.deepEqual(readdirSync(dir).sort(), ["a.json", "b.bin"]);
  await writeDirectoryAtomic(dir, { "a.json": "2" });
  assert.deepEqual(readdirSync(dir), ["a.json"]);
  assert.equal(readFileSync(join(dir, "a.json"), "utf8"), "2");
  assert.deepEqual(readdirSync(join(root, "runs")), ["model"]);
});

test("writeDirectoryAtomic refuses path-like file names and cleans up", async () => {
  const root = fresh();
  await assert.rejects(writeDirectoryAtomic(join(root, "m"), { "../evil": "x" }), /invalid file name/);
  assert.deepEqual(readdirSync(root), []);
});

test("the synchronous variants behave the same", () => {
  const root = fresh();
  writeFileAtomicSync(join(root, "a.txt"), "one");
  writeFileAtomicSync(join(root, "a.txt"), "two");
  assert.equal(readFileSync(join(root, "a.txt"), "utf8"), "two");
  writeDirectoryAtomicSync(join(root, "d"), { "x.json": "1", "y.bin": new Uint8Array([1, 2]) });
  writeDirectoryAtomicSync(join(root, "d"), { "x.json": "3" });
  assert.deepEqual(readdirSync(join(root, "d")), ["x.json"]);
  assert.equal(readFileSync(join(root, "d", "x.json"), "utf8"), "3");
  assert.deepEqual(readdirSync(root).sort(), ["a.txt", "d"]);
});
