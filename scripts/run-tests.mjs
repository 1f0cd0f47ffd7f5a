#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and examples/ with node:test via tsx.
// Node 20 does not expand globs, so the file list is built here. Extra args filter by substring.
import { spawnSync } from "node:child_process";
import { testFiles } from "./test-files.mjs";

const filters = process.argv.slice(2);
const files = testFiles(".test.ts", filters);
if (files.length === 0) {
  const wanted =
    filters.length === 0 ? "" : ` whose path contains ${filters.map((f) => JSON.stringify(f)).join(" or ")}`;
  console.error(`run-tests: no *.test.ts file under src/, test/ or examples/${wanted}`);
  process.exit(1);
}
// tessera-source: `import "tessera-ml"` (the examples import the package by name, as users do)
// resolves to src/index.ts, the code under test, rather than to a built dist/.
const args = ["--conditions=tessera-source", "--import", "tsx", "--test", "--test-concurrency=2", ...files];
const result = spawnSync(process.execPath, args, { stdio: "inherit" });
process.exit(result.status ?? 1);
