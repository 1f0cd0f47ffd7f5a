#!/usr/bin/env node
// Guards the shape of the code base (ARCHITECTURE.md, "Rules the CI checks"):
//  1. no source file over 450 lines (src/, test/, examples/, bench/, scripts/);
//  2. no import cycle across files that runs at load time. Value imports (anything but
//     `import type` / `export type`) load the imported module first, so a cycle of them makes
//     one of its modules run before its dependency has finished evaluating. The one cycle we
//     keep on purpose is inside ops/: an op's gradient rule calls other ops, which import the
//     gradient machinery back; it is safe because every use of those bindings happens inside
//     function bodies, never at module top level. It is allowed only while it stays inside ops/.
// Run: node scripts/check-structure.mjs   (exit 1 with a list of problems)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const MAX_LINES = 450;
const LINE_ROOTS = ["src", "test", "examples", "bench", "scripts"];
const SOURCE = /\.(ts|mjs|js)$/;
/** Cycles allowed to stay: every file of the cycle lies under one of these folders (see header). */
const ALLOWED_CYCLE_FOLDERS = ["src/ops/"];

function walk(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (name === "node_modules" || name.startsWith(".")) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : SOURCE.test(name) ? [path] : [];
  });
}

const problems = [];
const repo = resolve(".");
const rel = (path) => relative(repo, path).replaceAll("\\", "/");

for (const file of LINE_ROOTS.flatMap((root) => walk(resolve(root)))) {
  const lines = readFileSync(file, "utf8").split("\n").length - 1;
  if (lines > MAX_LINES)
    problems.push(`${rel(file)}: ${lines} lines (at most ${MAX_LINES}; split it by concept)`);
}

// The value-import graph of src/.
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/g;
const srcFiles = walk(resolve("src")).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
const known = new Set(srcFiles);
const edges = new Map();
for (const file of srcFiles) {
  const targets = [];
  for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
    const [, , typeOnly, spec] = match;
    if (typeOnly !== undefined || spec === undefined || !spec.startsWith(".")) continue;
    const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
    if (known.has(target)) targets.push(target);
  }
  edges.set(file, targets);
}

// Tarjan's strongly connected components, iteratively (deep graphs would overflow recursion).
const index = new Map();
const low = new Map();
const onStack = new Set();
const stack = [];
const components = [];
let counter = 0;
for (const start of srcFiles) {
  if (index.has(start)) continue;
  const work = [[start, 0]];
  index.set(start, counter);
  low.set(start, counter++);
  stack.push(start);
  onStack.add(start);
  while (work.length > 0) {
    const frame = work[work.length - 1];
    const [node, i] = frame;
    const next = edges.get(node)[i];
    if (next !== undefined) {
      frame[1] = i + 1;
      if (!index.has(next)) {
        index.set(next, counter);
        low.set(next, counter++);
        stack.push(next);
        onStack.add(next);
        work.push([next, 0]);
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
      continue;
    }
    work.pop();
    const parent = work[work.length - 1];
    if (parent !== undefined) low.set(parent[0], Math.min(low.get(parent[0]), low.get(node)));
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = component.length === 1 && edges.get(node).includes(node);
      if (component.length > 1 || selfLoop) components.push(component.map(rel).sort());
    }
  }
}

let allowed = 0;
for (const component of components) {
  const folder = ALLOWED_CYCLE_FOLDERS.find((f) => component.every((file) => file.startsWith(f)));
  if (folder !== undefined) {
    allowed += 1;
    continue;
  }
  const shown =
    component.slice(0, 12).join(", ") + (component.length > 12 ? `, ... (${component.length} files)` : "");
  problems.push(`import cycle of value imports across ${component.length} files: ${shown}`);
}

if (problems.length > 0) {
  console.error(`check-structure: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(
  `check-structure: ok (files <= ${MAX_LINES} lines; no load-time import cycle outside ${ALLOWED_CYCLE_FOLDERS.join(", ")}; ${allowed} allowed cycle(s) there)`,
);
