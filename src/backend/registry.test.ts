// backend/registry tests: TESSERA_BACKEND naming a backend that is not there fails the same way in
// getBackend and in every op, until setBackend chooses one. Runs in child processes because the
// variable is read when the process starts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

const script = `
import * as ts from ${JSON.stringify(new URL("../index.ts", import.meta.url).href)};
const report = (f) => { try { return "ok " + JSON.stringify(f()); } catch (e) { return e.name + " " + e.message; } };
console.log(report(() => ts.getBackend()));
console.log(report(() => ts.tensor([1, 2]).add(1).toArray()));
ts.setBackend("reference");
console.log(report(() => ts.tensor([1, 2]).add(1).toArray()));
`;

function run(backend: string): string[] {
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { ...process.env, TESSERA_BACKEND: backend },
    encoding: "utf8",
  });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout.trim().split("\n");
}

test("a forced backend that is missing fails in getBackend and in ops alike, until setBackend", () => {
  // not a backend Tessera has (native and wasm both register where they load)
  const [backend, op, afterSet] = run("webgpu");
  const expected = /^BackendError TESSERA_BACKEND: backend "webgpu" is not available \(registered: reference/;
  assert.match(backend ?? "", expected);
  assert.match(op ?? "", expected);
  assert.equal(afterSet, "ok [2,3]");
});

test("a forced backend that is there runs the ops", () => {
  const [backend, op] = run("reference");
  assert.equal(backend, 'ok "reference"');
  assert.equal(op, "ok [2,3]");
});
