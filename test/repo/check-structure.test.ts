// scripts/check-structure.mjs on small trees of its own: it must catch a load-time import cycle,
// ignore a type-only one, allow the stated ops/ cycle, and catch a file over 450 lines.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";

const script = resolve("scripts/check-structure.mjs");

function check(files: Record<string, string>): { code: number; out: string } {
  const root = mkdtempSync(join(tmpdir(), "tessera-structure-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = spawnSync(process.execPath, [script], { cwd: root, encoding: "utf8" });
    return { code: run.status ?? -1, out: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test("a cycle of value imports across two folders fails and names both files", () => {
  const { code, out } = check({
    "src/data/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
    "src/data/b.ts": 'import {\n  a,\n} from "./a.js";\nexport const b = () => a;\n',
  });
  assert.equal(code, 1);
  assert.match(out, /import cycle of value imports across 2 files: src\/data\/a\.ts, src\/data\/b\.ts/);
});

test("type-only imports make no load-time cycle, and the ops/ cycle is allowed", () => {
  const { code, out } = check({
    "src/data/a.ts": 'import type { B } from "./b.js";\nexport type A = B;\n',
    "src/data/b.ts": 'import { type A } from "./a.js";\nexport type B = A | number;\n',
    "src/ops/grad.ts": 'import { mul } from "./mul.js";\nexport const grad = () => mul;\n',
    "src/ops/mul.ts": 'import { grad } from "./grad.js";\nexport const mul = () => grad;\n',
  });
  // b.ts's `import { type A }` still loads a.ts under verbatimModuleSyntax, but a.ts imports b
  // only as a type, so there is no cycle; ops/ has one and it is the allowed kind.
  assert.equal(code, 0, out);
  assert.match(out, /1 allowed cycle/);
});

test("a source file over 450 lines fails with its line count", () => {
  const { code, out } = check({ "test/long.test.ts": "// x\n".repeat(451) });
  assert.equal(code, 1);
  assert.match(out, /test\/long\.test\.ts: 451 lines \(at most 450/);
});
