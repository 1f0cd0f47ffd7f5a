#!/usr/bin/env node
// Builds the native addon from native/ with node-gyp and prints one line; the compiler's full log
// only when the build fails or with --verbose (or TESSERA_BUILD_VERBOSE=1). A failed build is
// reported, not fatal: Tessera then runs on the reference backend. TESSERA_REQUIRE_NATIVE=1 makes
// it fatal (CI). With --prebuild the result is also copied to prebuilds/<platform>-<arch>/, the
// place the npm package ships it from (the repository's `npm run build:native` does this).
//
// Installed as the `tessera-build-native` command of the package too, for users on a platform
// with no prebuilt binary: it builds inside the installed package, where the loader looks first.
// It finds node-gyp in the package's dependencies or, failing that, the copy npm carries.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const verbose = process.argv.includes("--verbose") || process.env.TESSERA_BUILD_VERBOSE === "1";
const prebuild = process.argv.includes("--prebuild");
const required = process.env.TESSERA_REQUIRE_NATIVE === "1";

function fail(message, log = "") {
  if (log !== "") process.stderr.write(log.endsWith("\n") ? log : `${log}\n`);
  const text = `build:native: ${message}; Tessera will use the reference backend`;
  if (required) {
    console.error(`${text} (TESSERA_REQUIRE_NATIVE=1, failing)`);
    process.exit(1);
  }
  console.warn(text);
  process.exit(0);
}

/** node-gyp's entry script: the package's own dependency, else the one npm bundles. */
function findNodeGyp() {
  try {
    return createRequire(join(root, "package.json")).resolve("node-gyp/bin/node-gyp.js");
  } catch {}
  const npmCli = process.env.npm_execpath;
  const candidates = [
    npmCli && join(dirname(npmCli), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"),
    join(
      dirname(process.execPath),
      "..",
      "lib",
      "node_modules",
      "npm",
      "node_modules",
      "node-gyp",
      "bin",
      "node-gyp.js",
    ),
  ];
  return candidates.find((path) => path && existsSync(path));
}

if (!existsSync(join(root, "native", "binding.gyp"))) fail("native/binding.gyp is missing");
const gyp = findNodeGyp();
if (gyp === undefined) fail("node-gyp was not found (install it with `npm install -g node-gyp`)");
const args = [gyp, "rebuild", "--directory=native", "--jobs=max"];
// node-gyp downloads Node's headers unless told where they are. Use the running Node's own
// headers (<prefix>/include/node, as Debian's nodejs and the official tarballs install them)
// when no nodedir is configured, so the build never needs the network.
const prefix = dirname(dirname(process.execPath));
const configured = process.env.npm_config_nodedir || process.argv.some((a) => a.startsWith("--nodedir"));
if (!configured && existsSync(join(prefix, "include", "node", "node_api.h")))
  args.push(`--nodedir=${prefix}`);

const started = Date.now();
const result = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: verbose ? "inherit" : "pipe",
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
});
const log = verbose ? "" : `${result.stdout ?? ""}${result.stderr ?? ""}`;
if (result.error) fail(`node-gyp did not run (${result.error.message})`, log);
if (result.status !== 0) fail("the native addon did not build (compiler log above)", log);

const built = join(root, "native", "build", "Release", "tessera_native.node");
let isas = "unknown";
try {
  const addon = createRequire(import.meta.url)(built);
  isas = addon.supportedIsas().join(", ");
} catch (error) {
  fail(`the built addon does not load (${error instanceof Error ? error.message : error})`);
}
let where = "native/build/Release/tessera_native.node";
if (prebuild) {
  const folder = join(root, "prebuilds", `${process.platform}-${process.arch}`);
  mkdirSync(folder, { recursive: true });
  const target = join(folder, "tessera_native.node");
  copyFileSync(built, `${target}.tmp`);
  renameSync(`${target}.tmp`, target);
  where += ` and prebuilds/${process.platform}-${process.arch}/`;
}
const seconds = ((Date.now() - started) / 1000).toFixed(0);
// The kernels have AVX-512, AVX2 and portable paths on x86-64; no other architecture builds yet.
const compiled = process.arch === "x64" ? "avx512, avx2, scalar" : "scalar";
console.log(
  `build:native: addon built in ${seconds} s (ISA paths compiled: ${compiled}; this CPU: ${isas}) -> ${where}`,
);
