// Lists test files: every file under src/, test/ and examples/ (or the given roots) whose name ends
// with `suffix`, skipping node_modules, dist and build. Node 20 does not expand globs, so the test
// scripts (run-tests.mjs, fuzz.mjs) build their file lists here.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function collect(dir, suffix, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name === "dist" || name === "build") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, suffix, out);
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

/** Sorted paths of the files ending with `suffix` under `roots` whose path holds one of `filters`. */
export function testFiles(suffix, filters = [], roots = ["src", "test", "examples"]) {
  return roots
    .flatMap((root) => collect(root, suffix, []))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort();
}
