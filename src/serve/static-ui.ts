// serve/static-ui: the files of `tessera serve --ui`: the digits demo page built into dist/ui/ at
// `npm run build` (scripts/build-ui.mjs bundles examples/browser), the WebAssembly backend
// (wasm/tessera.wasm) and datasets/digits.csv from the installed package, all under /ui/, plus
// /ui/config.json (the served models: name, labels, where their files are) and
// /ui/models/{name}/model.json and weights.safetensors, so the page can load a served model over
// fetch as well as call its /v1 route. GET / and /ui redirect to /ui/. Read-only, fixed names:
// no path from a request reaches the file system. The page is served cross-origin isolated, so
// useWasm takes the threaded module (wasm/tessera-threads.wasm) where the package has it.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../core/errors.js";
import { MODEL_JSON, WEIGHTS_FILE } from "../io/model-format.js";
import type { StaticAnswer, StaticFiles, UiModel } from "./static-files.js";

/** The package's root: this file sits in src/serve/ (sources) or dist/serve/ (the build). */
const PACKAGE_ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));

/** Where the page is: TESSERA_UI_DIR (a build elsewhere, the tests), else the package's dist/ui. */
export function uiDirectory(): string {
  return resolve(process.env.TESSERA_UI_DIR ?? join(PACKAGE_ROOT, "dist", "ui"));
}

const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  wasm: "application/wasm",
  csv: "text/csv; charset=utf-8",
  json: "application/json",
  safetensors: "application/octet-stream",
};

function typeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
}

/**
 * Every answer under /ui/ makes the page cross-origin isolated (its subresources are all from this
 * origin), so it has SharedArrayBuffer and the wasm backend runs on several threads.
 */
const ISOLATED = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
} as const;

async function file(path: string): Promise<StaticAnswer> {
  return { status: 200, type: typeOf(path), body: await readFile(path), headers: ISOLATED };
}

const redirect = (to: string): StaticAnswer => ({
  status: 302,
  type: "text/plain; charset=utf-8",
  body: `see ${to}\n`,
  headers: { Location: to },
});

/** A model's saved labels (signature.labels of its model.json), or null. */
async function labelsOf(dir: string): Promise<string[] | null> {
  try {
    const saved = JSON.parse(await readFile(join(dir, MODEL_JSON), "utf8")) as {
      signature?: { labels?: unknown };
    };
    const labels = saved.signature?.labels;
    return Array.isArray(labels) && labels.every((l) => typeof l === "string") ? labels : null;
  } catch {
    return null;
  }
}

/**
 * The UI's file handler for startServer's staticFiles option. Throws a ConfigError when the page is
 * not built, so `tessera serve --ui` says so before it listens.
 */
export function staticUi(dir = uiDirectory()): StaticFiles {
  if (!existsSync(join(dir, "index.html")))
    throw new ConfigError(
      `serve --ui: the demo page is not built (no ${join(dir, "index.html")}); run npm run build (or node scripts/build-ui.mjs)`,
    );
  const wasmDir = join(PACKAGE_ROOT, "wasm");
  const digits = join(PACKAGE_ROOT, "datasets", "digits.csv");
  return async (path, models) => {
    if (path === "/" || path === "/ui") return redirect("/ui/");
    if (!path.startsWith("/ui/")) return undefined;
    const name = path.slice("/ui/".length);
    if (name === "" || name === "index.html") return file(join(dir, "index.html"));
    // The threaded module ships beside the one-thread module when it was built (else a 404, and
    // useWasm takes the one-thread module).
    if (name === "tessera.wasm" || name === "tessera-threads.wasm")
      return existsSync(join(wasmDir, name)) ? file(join(wasmDir, name)) : undefined;
    if (name === "digits.csv") return file(digits);
    if (name === "config.json") {
      const list = await Promise.all(
        models().map(async (m) => ({
          name: m.name,
          url: `models/${encodeURIComponent(m.name)}/`,
          labels: await labelsOf(m.dir),
        })),
      );
      return { status: 200, type: TYPES.json!, body: JSON.stringify({ models: list }), headers: ISOLATED };
    }
    const modelFile = /^models\/([^/]+)\/([^/]+)$/.exec(name);
    if (modelFile !== null) {
      const model = models().find((m) => encodeURIComponent(m.name) === modelFile[1]);
      const fileName = modelFile[2];
      if (model !== undefined && (fileName === MODEL_JSON || fileName === WEIGHTS_FILE))
        return file(join(model.dir, fileName));
      return undefined;
    }
    // The bundles esbuild wrote: main.js, worker.js and their shared chunks (plain names only).
    if (/^[A-Za-z0-9_-]+\.js$/.test(name) && existsSync(join(dir, name))) return file(join(dir, name));
    return undefined;
  };
}

/** Answers a GET or HEAD request from `files` when it has the path; false otherwise (or without files). */
export async function answerStatic(
  files: StaticFiles | undefined,
  method: string,
  path: string,
  models: () => readonly UiModel[],
  response: ServerResponse,
): Promise<boolean> {
  if (files === undefined || (method !== "GET" && method !== "HEAD")) return false;
  const answer = await files(path, models);
  if (answer === undefined) return false;
  response.writeHead(answer.status, { "Content-Type": answer.type, ...answer.headers });
  response.end(method === "HEAD" ? undefined : answer.body);
  return true;
}
