#!/usr/bin/env node
// Builds wasm/tessera.wasm and wasm/tessera-threads.wasm, the WebAssembly backend, from the same
// C++ kernel sources as the native addon (native/src): the kernel loops (*-isa.inc) and their
// drivers are compiled for wasm32 with SIMD128, the N-API entry points against
// native/wasm/include/napi.h (a C ABI, not N-API; the addon's binding.cc registers them as in the
// addon), with native/wasm/binding.cc (the module's exports) and, in place of the addon's pool, a
// serial thread pool (tessera.wasm) or one over shared memory whose helpers are further instances
// in workers (tessera-threads.wasm: atomics, imported shared memory, per-instance TLS). Toolchain: Debian's clang, lld, wasi-libc, libc++-dev-wasm32 and
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
// objects beside the outputs (ignored by git; not native/build, which node-gyp rebuild wipes):
// wasm/obj and wasm/obj-threads, see BUILDS

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

/** native/wasm files each build leaves out: the other build's thread pool (and its heap lock). */
const SERIAL_ONLY = new Set(["thread-pool-serial.cc"]);
const THREADS_ONLY = new Set(["thread-pool-shared.cc", "malloc-lock.cc"]);

/** The sources of one build: native/src's (see above) and native/wasm's, less the other build's pool. */
function sourcesFor(threads) {
  const skip = threads ? SERIAL_ONLY : THREADS_ONLY;
  return [
    ...readdirSync(src)
      .filter((f) => f.endsWith(".cc") && !EXCLUDED.has(f) && !X86_ONLY.test(f) && !replacedBySimd128(f))
      .map((f) => join(src, f)),
    ...readdirSync(wasmSrc)
      .filter((f) => f.endsWith(".cc") && !skip.has(f))
      .map((f) => join(wasmSrc, f)),
  ];
}

const COMMON_FLAGS = [
  "--target=wasm32-wasi",
  "-O3",
  "-msimd128",
  "-mbulk-memory",
  "-mnontrapping-fptoint",
  "-std=c++17",
  // `throw` compiles to calls into native/wasm/binding.cc, which raises the error in JavaScript
  "-fignore-exceptions",
  "-fno-math-errno",
  "-fvisibility=hidden",
  `-I${join(wasmSrc, "include")}`,
  "-DNAPI_VERSION=8",
  "-Wall",
  "-Wno-unused-parameter",
  "-Wno-unused-function",
  // `#pragma GCC optimize("fp-contract=off")`: SIMD128 has no fused multiply-add to contract into
  "-Wno-unknown-pragmas",
];

/** The allocator calls the threaded build serialises (native/wasm/malloc-lock.cc). */
const WRAPPED = ["malloc", "free", "calloc", "realloc", "aligned_alloc", "posix_memalign"];

/** The most linear memory the threaded module's shared memory may grow to (wasm32's 4 GiB). */
const THREADS_MAX_MEMORY = 4 * 1024 * 1024 * 1024;

/**
 * The two modules: wasm/tessera.wasm, one thread (thread_local scratch buffers become plain
 * globals: wasm32 has thread-local storage only with the atomics feature), and
 * wasm/tessera-threads.wasm, atomics with a shared memory the JavaScript side creates and hands to
 * every instance (the main one and each helper thread's), thread_local as real per-instance TLS.
 */
const BUILDS = [
  {
    output: join(root, "wasm", "tessera.wasm"),
    objDir: join(root, "wasm", "obj"),
    sources: sourcesFor(false),
    flags: [...COMMON_FLAGS, "-Dthread_local=", "-Wno-keyword-macro"],
    link: [],
    label: "simd128",
  },
  {
    output: join(root, "wasm", "tessera-threads.wasm"),
    objDir: join(root, "wasm", "obj-threads"),
    sources: sourcesFor(true),
    // local-exec: the only TLS model wasm-ld offers outside Emscripten (one module, no dynamic linking)
    flags: [...COMMON_FLAGS, "-matomics", "-ftls-model=local-exec"],
    link: [
      "-matomics",
      "-Wl,--shared-memory",
      "-Wl,--import-memory",
      `-Wl,--max-memory=${THREADS_MAX_MEMORY}`,
      // wasi-libc's objects carry no atomics feature: they are linked as they are, their
      // allocator serialised by the wrappers
      "-Wl,--no-check-features",
      ...WRAPPED.map((name) => `-Wl,--wrap=${name}`),
    ],
    label: "simd128, threads",
  },
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

function compile(build, file) {
  const object = join(build.objDir, `${file.startsWith(wasmSrc) ? "wasm-" : ""}${file.split("/").pop()}.o`);
  if (upToDate(file, object)) return Promise.resolve({ file, object, ok: true, log: "" });
  return new Promise((resolve) => {
    const extra = RENAMES[file.split("/").pop()] ?? [];
    const child = spawn(clang, [...build.flags, ...extra, "-c", file, "-o", object], { cwd: root });
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
for (const build of BUILDS) mkdirSync(build.objDir, { recursive: true });
mkdirSync(join(root, "wasm"), { recursive: true });
// every object of both builds, compiled by as many processes as there are cores
const queue = BUILDS.flatMap((build) => build.sources.map((file) => ({ build, file })));
const results = new Map(BUILDS.map((build) => [build, []]));
const workers = Array.from({ length: Math.max(1, availableParallelism()) }, async () => {
  for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
    const result = await compile(job.build, job.file);
    results.get(job.build).push(result);
    if (verbose || (result.log.trim() !== "" && result.ok)) process.stderr.write(result.log);
  }
});
await Promise.all(workers);
const failed = [...results.values()].flat().filter((r) => !r.ok);
if (failed.length > 0)
  fail(
    `${failed.length} file(s) did not compile: ${failed.map((r) => r.file).join(", ")}`,
    failed.map((r) => r.log).join(""),
  );

const built = [];
for (const build of BUILDS) {
  const temporary = `${build.output}.tmp`;
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
      ...build.link,
      ...results
        .get(build)
        .map((r) => r.object)
        .sort(),
      "-o",
      temporary,
    ],
    { cwd: root, encoding: "utf8" },
  );
  if (link.error || link.status !== 0)
    fail(`linking ${build.output} failed`, `${link.stdout ?? ""}${link.stderr ?? ""}`);
  renameSync(temporary, build.output);
  const kib = (statSync(build.output).size / 1024).toFixed(0);
  built.push(
    `wasm/${build.output.split("/").pop()} (${kib} KiB, ${build.sources.length} files, ${build.label})`,
  );
}
console.log(`build:wasm: ${built.join(", ")} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
