// The browser entry (src/browser.ts) bundles for a browser: esbuild with platform "browser" builds
// it, and no module of the bundle's graph imports node:* or anything left external (esbuild's
// metafile lists every input and its imports). The package's "browser" condition points at the
// entry's build. The minified and gzipped sizes are logged, not asserted.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "../..");

test("src/browser.ts bundles for a browser with no node:* import in its module graph", async () => {
  const result = await build({
    entryPoints: [resolve(ROOT, "src/browser.ts")],
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  assert.deepEqual(result.errors, []);
  const inputs = Object.entries(result.metafile.inputs);
  const fromNode = inputs.flatMap(([file, input]) =>
    input.imports.filter((i) => i.path.startsWith("node:") || i.external).map((i) => `${file} -> ${i.path}`),
  );
  assert.deepEqual(fromNode, [], "modules of the browser bundle that import Node built-ins");
  assert.ok(
    inputs.some(([file]) => file.endsWith("src/train/fit.ts")),
    "the bundle holds fit",
  );
  assert.ok(
    inputs.some(([file]) => file.endsWith("src/backend/wasm/module.ts")),
    "and the wasm backend",
  );
  assert.ok(!inputs.some(([file]) => file.includes("src/io/read-csv")), "and no file reader");
  const code = result.outputFiles[0]?.contents;
  assert.ok(code !== undefined && code.length > 0);
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(
    `browser bundle: ${inputs.length} modules, ${kib(code.length)} minified, ${kib(gzipSync(code).length)} gzip`,
  );
});

test('package.json: a "browser" condition after "tessera-source" points at the entry\'s build', () => {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as {
    exports: Record<string, Record<string, unknown>>;
  };
  const main = pkg.exports["."];
  assert.ok(main !== undefined);
  assert.deepEqual(Object.keys(main).slice(0, 2), ["tessera-source", "browser"]);
  assert.deepEqual(main.browser, { types: "./dist/browser.d.ts", default: "./dist/browser.js" });
  const build = JSON.parse(readFileSync(resolve(ROOT, "tsconfig.build.json"), "utf8")) as {
    include: string[];
    compilerOptions: { rootDir: string; outDir: string };
  };
  // src/browser.ts compiles to dist/browser.js: under the included root, mapped onto outDir.
  assert.ok(build.include.includes("src"));
  assert.equal(build.compilerOptions.rootDir, "src");
  assert.equal(build.compilerOptions.outDir, "dist");
});
