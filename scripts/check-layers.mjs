#!/usr/bin/env node
// Enforces the layering of ARCHITECTURE.md section 2: a folder under src/ never imports from a
// folder above it, and nothing below io/ imports node:* (the native loader excepted).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ORDER = [
  "core",
  "backend",
  "tensor",
  "autograd",
  "ops",
  "nn",
  "optim",
  "data",
  "models",
  "train",
  "ml",
  "io",
  "responsible",
  "report",
  "serve",
  "cli",
];
const NODE_ALLOWED = new Set(["io", "responsible", "report", "serve", "cli"]);
const NODE_ALLOWED_FILES = [/^backend\/native\//, /^backend\/wasm\/node-/];
const root = resolve("src");

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function layerOf(rel) {
  const top = rel.split("/")[0];
  return ORDER.includes(top) ? top : null;
}

const problems = [];
for (const file of files(root)) {
  const rel = relative(root, file).replaceAll("\\", "/");
  const layer = layerOf(rel);
  if (layer === null) continue; // top-level entry files (index.ts, version.ts) may import anything
  const isTest = rel.endsWith(".test.ts");
  const source = readFileSync(file, "utf8");
  for (const match of source.matchAll(
    /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
  )) {
    const spec = match[1] ?? match[2];
    if (spec.startsWith("node:")) {
      if (!isTest && !NODE_ALLOWED.has(layer) && !NODE_ALLOWED_FILES.some((re) => re.test(rel))) {
        problems.push(
          `${rel}: imports ${spec}, but only io/, responsible/, report/, serve/, cli/ and the native loader may use node:*`,
        );
      }
      continue;
    }
    if (!spec.startsWith(".")) continue;
    const target = relative(root, resolve(dirname(file), spec)).replaceAll("\\", "/");
    const targetLayer = layerOf(target);
    if (targetLayer === null) {
      if (!isTest) problems.push(`${rel}: imports ${spec}, outside the layered folders`);
      continue;
    }
    if (!isTest && ORDER.indexOf(targetLayer) > ORDER.indexOf(layer)) {
      problems.push(`${rel}: imports ${spec} (${targetLayer}/ is above ${layer}/)`);
    }
  }
}
if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} import(s) break the layering:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("check-layers: every import points down the layering");
