#!/usr/bin/env node
// Builds the digits demo page (examples/browser) into dist/ui/ for `tessera serve --ui`:
// index.html, main.js (the page) and worker.js (its training worker) bundled with esbuild for a
// browser, "tessera-ml" resolved to the browser entry (src/browser.ts), the code both share in one
// chunk. The page also fetches tessera.wasm and digits.csv, which the server takes from the
// package's wasm/ and datasets/. test/browser/demo-page.test.ts bundles the page with bundleUi().
//
//   node scripts/build-ui.mjs [outdir]   (part of npm run build; default dist/ui)
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const UI_SOURCE = join(root, "examples", "browser");

/**
 * Bundles the page; with `outdir`, writes it there (index.html included), else returns the files
 * in memory as a Map of file name to bytes (index.html included).
 */
export async function bundleUi(outdir) {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(UI_SOURCE, "main.ts"), join(UI_SOURCE, "worker.ts")],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    alias: { "tessera-ml": join(root, "src", "browser.ts") },
    outdir: outdir ?? join(root, ".tmp", "ui"),
    write: outdir !== undefined,
    logLevel: "silent",
  });
  if (outdir !== undefined) {
    copyFileSync(join(UI_SOURCE, "index.html"), join(outdir, "index.html"));
    return null;
  }
  const files = new Map(result.outputFiles.map((file) => [file.path.split(/[\\/]/).pop(), file.contents]));
  files.set("index.html", readFileSync(join(UI_SOURCE, "index.html")));
  return files;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = resolve(process.argv[2] ?? join(root, "dist", "ui"));
  const started = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await bundleUi(outdir);
  console.log(
    `build-ui: ${relative(root, outdir) || "."}/ (the digits demo page) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
