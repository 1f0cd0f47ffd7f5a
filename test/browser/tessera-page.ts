// Shared by the browser I/O tests: a page whose module script imports the browser entry
// (src/browser.ts, bundled by esbuild as "tessera-ml" resolves in a page) and defines a global
// tessera() returning it, so a test drives it with page.evaluate(() => tessera().readCsvFrom(...)):
// the function passed to evaluate runs in the page, where `tessera` is that global.
import { resolve } from "node:path";
import { build } from "esbuild";
import type { PageFiles } from "./browser.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** The browser entry's exports, as a page script sees them. */
export type Tessera = typeof import("../../src/browser.js");

/** The bundled entry, inside a function given to page.evaluate (the page defines this global). */
export function tessera(): Tessera {
  throw new Error("tessera() runs in the page: call it inside a function given to page.evaluate");
}

/**
 * A page script bundled by esbuild for a browser, "tessera-ml" resolved to the browser entry: the
 * script's text, or `{ entry }`, the path of a script file (an example's main.ts).
 */
export async function bundleForPage(script: string | { entry: string }): Promise<Uint8Array> {
  const bundle = await build({
    ...(typeof script === "string"
      ? { stdin: { contents: script, resolveDir: ROOT, loader: "js" as const } }
      : { entryPoints: [script.entry] }),
    bundle: true,
    platform: "browser",
    format: "esm",
    alias: { "tessera-ml": resolve(ROOT, "src/browser.ts") },
    write: false,
    logLevel: "silent",
  });
  const js = bundle.outputFiles[0]?.contents;
  if (js === undefined) throw new Error("esbuild produced no bundle");
  return js;
}

/**
 * The page's files: "/" holding `body` (HTML) and a module script that loads the entry, then
 * marks <body data-state="ready">.
 */
export async function tesseraPage(body: string): Promise<PageFiles> {
  const js = await bundleForPage(
    `import * as ts from "tessera-ml"; globalThis.tessera = () => ts; document.body.dataset.state = "ready";`,
  );
  const html = `<!doctype html><link rel="icon" href="data:,"><body>${body}<script type="module" src="/main.js"></script></body>`;
  return new Map([
    ["/", { body: html, type: "text/html" }],
    ["/main.js", { body: js, type: "text/javascript" }],
  ]);
}
