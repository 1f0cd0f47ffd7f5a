#!/usr/bin/env node
// Builds wasm/tessera.wasm, the WebAssembly backend, from the same C++ kernel sources as the
// native addon (native/src): the kernel loops (*-isa.inc) and their drivers are compiled for
// wasm32 with SIMD128, the N-API entry points against native/wasm/include/napi.h (a C ABI, not
// N-API; the addon's binding.cc registers them as in the addon), with native/wasm/binding.cc (the
// module's exports) and a serial thread pool in place of the addon's pool. Toolchain: Debian's clang, lld, wasi-libc, libc++-dev-wasm32 and
// libclang-rt-dev-wasm32 (`apt-get install clang lld wasi-libc libc++-14-dev-wasm32
// libc++abi-14-dev-wasm32 libclang-rt-14-dev-wasm32`). The module imports only five WASI calls the
// C++ runtime links (environment, stdio), which the loader answers without touching the host.
//
//   node scripts/build-wasm.mjs [--verbose]   (npm run build:wasm)
// One line on success; the compiler's log when a file fails. CLANG / WASM_LD override the tools.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const verbose = process.argv.includes("--verbose") || process.env.TESSERA_BUILD_VERBOSE === "1";
const clang = process.env.CLANG ?? "clang++";
const src = join(root, "native", "src");
const wasmSrc = join(root, "native", "wasm");
// objects beside the output (ignored by git; not native/build, which node-gyp rebuild wipes)
const objDir = join(root, "wasm", "obj");
const output = join(root, "wasm", "tessera.wasm");

/** Files of native/src the wasm build leaves out: the addon's thread pool, x86-only paths and probes. */
const EXCLUDED = new Set(["thread-pool.cc", "probes.cc"]);
const X86_ONLY = /-(avx2|avx512)\.cc$/;

/**
 * Portable paths a SIMD128 version in native/wasm (<group>-simd128.cc) takes the place of: it
 * defines the same table (elementwiseScalar(), ...), with vector loops. gemm-scalar.cc stays, its
 * kernel renamed (it also holds the shared packing and epilogue routines).
 */
function replacedBySimd128(file) {
  const base = file.replace(/-scalar\.cc$/, "");
  return file.endsWith("-scalar.cc") && !(file in RENAMES) && existsSync(join(wasmSrc, `${base}-simd128.cc`));
}

/** Per-file defines: the portable kernel whose slot a SIMD128 kernel fills keeps a second name. */
const RENAMES = { "gemm-scalar.cc": ["-DgemmKernelScalar=gemmKernelPortable"] };

const sources = [
  ...readdirSync(src)
    .filter((f) => f.endsWith(".cc") && !EXCLUDED.has(f) && !X86_ONLY.test(f) && !replacedBySimd128(f))
    .map((f) => join(src, f)),
  ...readdirSync(wasmSrc)
    .filter((f) => f.endsWith(".cc"))
    .map((f) => join(wasmSrc, f)),
];

const FLAGS = [
  "--target=wasm32-wasi",
  "-O3",
  "-msimd128",
  "-mbulk-memory",
  "-mnontrapping-fptoint",
  "-std=c++17",
  // `throw` compiles to calls into native/wasm/binding.cc, which raises the error in JavaScript
  "-fignore-exceptions",
  "-fno-math-errno",
  // thread_local scratch buffers: plain globals in this single-threaded module (wasm32 has
  // thread-local storage only with the atomics feature, i.e. a threaded build)
  "-Dthread_local=",
  "-Wno-keyword-macro",
  "-fvisibility=hidden",
  `-I${join(wasmSrc, "include")}`,
  "-DNAPI_VERSION=8",
  "-Wall",
  "-Wno-unused-parameter",
  "-Wno-unused-function",
  // `#pragma GCC optimize("fp-contract=off")`: SIMD128 has no fused multiply-add to contract into
  "-Wno-unknown-pragmas",
];

function fail(message, log = "") {
  if (log !== "") process.stderr.write(log.endsWith("\n") ? log : `${log}\n`);
  console.error(`build:wasm: ${message}`);
  process.exit(1);
}

/** Newest modification time of the headers and loop files every source may include. */
const headersTime = Math.max(
  ...[src, join(wasmSrc, "include"), wasmSrc].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => /\.(h|inc)$/.test(f))
      .map((f) => statSync(join(dir, f)).mtimeMs),
  ),
);

/** An object file newer than its source and every header is reused (incremental rebuilds). */
function upToDate(file, object) {
  if (!existsSync(object)) return false;
  const built = statSync(object).mtimeMs;
  return built > statSync(file).mtimeMs && built > headersTime;
}

function compile(file) {
  const object = join(objDir, `${file.startsWith(wasmSrc) ? "wasm-" : ""}${file.split("/").pop()}.o`);
  if (upToDate(file, object)) return Promise.resolve({ file, object, ok: true, log: "" });
  return new Promise((resolve) => {
    const extra = RENAMES[file.split("/").pop()] ?? [];
    const child = spawn(clang, [...FLAGS, ...extra, "-c", file, "-o", object], { cwd: root });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("error", (error) => resolve({ file, object, ok: false, log: String(error.message) }));
    child.on("close", (code) => resolve({ file, object, ok: code === 0, log }));
  });
}

const check = spawnSync(clang, ["--version"], { encoding: "utf8" });
if (check.error || check.status !== 0)
  fail(
    `${clang} was not found: apt-get install clang lld wasi-libc libc++-14-dev-wasm32 libc++abi-14-dev-wasm32 libclang-rt-14-dev-wasm32`,
  );

const started = Date.now();
mkdirSync(objDir, { recursive: true });
mkdirSync(dirname(output), { recursive: true });
const queue = [...sources];
const results = [];
const workers = Array.from({ length: Math.max(1, availableParallelism()) }, async () => {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const result = await compile(file);
    results.push(result);
    if (verbose || (result.log.trim() !== "" && result.ok)) process.stderr.write(result.log);
  }
});
await Promise.all(workers);
const failed = results.filter((r) => !r.ok);
if (failed.length > 0)
  fail(
    `${failed.length} file(s) did not compile: ${failed.map((r) => r.file).join(", ")}`,
    failed.map((r) => r.log).join(""),
  );

const temporary = `${output}.tmp`;
const link = spawnSync(
  clang,
  [
    "--target=wasm32-wasi",
    "-O3",
    "-mexec-model=reactor",
    "-Wl,--gc-sections",
    "-Wl,--strip-all",
    "-Wl,--export=__stack_pointer",
    "-Wl,-z,stack-size=1048576",
    ...results.map((r) => r.object).sort(),
    "-o",
    temporary,
  ],
  { cwd: root, encoding: "utf8" },
);
if (link.error || link.status !== 0) fail("linking failed", `${link.stdout ?? ""}${link.stderr ?? ""}`);
renameSync(temporary, output);
const kib = (statSync(output).size / 1024).toFixed(0);
console.log(
  `build:wasm: wasm/tessera.wasm (${kib} KiB, ${sources.length} files, simd128) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
