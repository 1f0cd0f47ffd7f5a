// Every entry path gets the fastest backend without asking for it: a worker thread and a child
// process that import deep modules only (never the package entry) run on the same backend as
// this process's registry chose. With TESSERA_REQUIRE_NATIVE=1 (CI) that backend must be native.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { getBackend, listBackends } from "../../src/backend/registry.js";
import { spawnModuleWorker } from "../../src/io/module-worker.js";

const FIXTURE = new URL("./fixtures/deep-import-backend.ts", import.meta.url);
const expected = process.env.TESSERA_BACKEND || (listBackends().includes("native") ? "native" : "reference");

test("this process runs the best backend (native when CI requires it)", () => {
  if (process.env.TESSERA_REQUIRE_NATIVE === "1") assert.equal(getBackend(), "native");
  assert.equal(getBackend(), expected);
});

test("a worker_threads worker importing deep modules runs the same backend", async () => {
  const worker = spawnModuleWorker("./fixtures/deep-import-backend", import.meta.url);
  const report = await new Promise<{ backend: string; value: number }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  assert.deepEqual(report, { backend: expected, value: 3 });
});

test("a child process importing deep modules runs the same backend", () => {
  const out = execFileSync(process.execPath, ["--import", "tsx", FIXTURE.pathname], { encoding: "utf8" });
  assert.deepEqual(JSON.parse(out), { backend: expected, value: 3 });
});
