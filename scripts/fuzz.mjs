#!/usr/bin/env node
// Runs the fuzz suite (every *.fuzz.test.ts under src/ and test/) at a large budget.
//
// `npm test` already runs these files at a small budget (a fixed seed, ~100 cases per target).
// This script is the nightly-style run: many cases, a fresh random seed each time (printed first,
// so a failure can be replayed), one file at a time so every target has the cores to itself.
//
//   node scripts/fuzz.mjs                      10^6 cases per target, random seed
//   node scripts/fuzz.mjs --runs 100000 csv    10^5 cases per target, files whose path has "csv"
//   node scripts/fuzz.mjs --seed 1234          replay a run's seed
//   node scripts/fuzz.mjs --case-ms 10000      per-case time limit (default 5000 ms)
//
// A failing target prints its seed and the fast-check path of the shrunk case; replay one case
// with `FUZZ_SEED=<seed> FUZZ_PATH=<path> node --import tsx --test <file>`. A case that runs past
// the hang limit (FUZZ_HANG_MS, default 4 x the case limit, at least 20 s) kills its process after
// printing the same replay line. Exit status: 0 when every file passed, 1 otherwise.
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { testFiles } from "./test-files.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: "string", default: "1000000" },
    seed: { type: "string" },
    "case-ms": { type: "string" },
  },
});

const runs = Number(values.runs);
if (!Number.isSafeInteger(runs) || runs < 1) {
  console.error(`fuzz: --runs must be a positive integer (got ${values.runs})`);
  process.exit(2);
}
const seed = values.seed ?? String(randomInt(0, 2 ** 31));
const files = testFiles(".fuzz.test.ts", positionals, ["src", "test"]);
if (files.length === 0) {
  console.error("fuzz: no *.fuzz.test.ts files found");
  process.exit(1);
}

console.log(`fuzz: ${files.length} file(s), ${runs} cases per target, FUZZ_SEED=${seed}`);
const env = { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: seed };
if (values["case-ms"] !== undefined) env.FUZZ_CASE_MS = values["case-ms"];
const failed = [];
for (const file of files) {
  const started = Date.now();
  console.log(`\nfuzz: ${file}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", file], {
    stdio: "inherit",
    env,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const status = result.status ?? `signal ${result.signal}`;
  console.log(`fuzz: ${file}: ${status === 0 ? "passed" : `FAILED (${status})`} in ${seconds} s`);
  if (status !== 0) failed.push(file);
}
console.log(
  `\nfuzz: FUZZ_SEED=${seed}, ${runs} cases per target: ${files.length - failed.length} file(s) passed`,
);
if (failed.length > 0) {
  console.log(`fuzz: failed: ${failed.join(", ")}`);
  process.exit(1);
}
