#!/usr/bin/env node
// `npm run build`: TypeScript to dist/, the demo page to dist/ui/ (scripts/build-ui.mjs), the
// native addon (scripts/build-native.mjs), then the WebAssembly backend (scripts/build-wasm.mjs),
// one line per stage. A stage's full output appears only when it fails, or with --verbose
// (TESSERA_BUILD_VERBOSE=1); `npm run build:ts`, `npm run build:ui`, `npm run build:native` and
// `npm run build:wasm` run one stage alone.
import { spawnSync } from "node:child_process";

const verbose = process.argv.includes("--verbose") || process.env.TESSERA_BUILD_VERBOSE === "1";

function run(label, args) {
  const started = Date.now();
  const result = spawnSync(process.execPath, args, {
    stdio: verbose ? "inherit" : "pipe",
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = verbose ? "" : `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) {
    process.stderr.write(output);
    console.error(`build: ${label} failed`);
    process.exit(result.status ?? 1);
  }
  return { seconds: ((Date.now() - started) / 1000).toFixed(0), output: output.trim() };
}

const ts = run("TypeScript", ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"]);
console.log(`build: TypeScript -> dist/ in ${ts.seconds} s`);
// The digits demo page of `tessera serve --ui`, bundled into dist/ui/ (scripts/build-ui.mjs).
console.log(run("demo page", ["scripts/build-ui.mjs"]).output.split("\n").at(-1));
const native = run("native addon", [
  "scripts/build-native.mjs",
  "--prebuild",
  ...(verbose ? ["--verbose"] : []),
]);
// build-native prints its own one line (or a warning when the addon did not build).
if (native.output !== "") console.log(native.output.split("\n").at(-1));
// The WebAssembly backend needs clang/lld/wasi-libc for wasm32; without them the build goes on (native
// or reference runs), unless TESSERA_REQUIRE_WASM=1 (CI) makes it a failure.
const wasmArgs = ["scripts/build-wasm.mjs", ...(verbose ? ["--verbose"] : [])];
if (process.env.TESSERA_REQUIRE_WASM === "1") {
  const wasm = run("WebAssembly backend", wasmArgs);
  if (wasm.output !== "") console.log(wasm.output.split("\n").at(-1));
} else {
  const wasm = spawnSync(process.execPath, wasmArgs, {
    stdio: "pipe",
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = `${wasm.stdout ?? ""}${wasm.stderr ?? ""}`.trim().split("\n");
  if (wasm.status === 0) console.log(lines.at(-1));
  else
    console.warn(
      `build: WebAssembly backend not built (${lines.at(-1)}); Tessera runs on the native or reference backend (npm run build:wasm shows the full log)`,
    );
}
