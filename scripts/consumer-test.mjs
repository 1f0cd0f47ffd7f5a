#!/usr/bin/env node
// The package as a user meets it: `npm pack`, then `npm install <tarball>` with npm's defaults
// into a fresh project made by `npm init -y` (CommonJS), and there: the README's quick start
// (examples/quickstart/quickstart.mjs) through `import "tessera-ml"`, `require("tessera-ml")`,
// the `tessera` command, and a TypeScript file type-checked against the installed types with no
// @types/node. Asserts the native backend when TESSERA_REQUIRE_NATIVE=1 (CI), the quick start's
// accuracy, and that the tarball holds no tests, benchmarks or sources of the build tooling it
// does not need. Prints the tarball's size and the times. Run after `npm run build`.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..");
const requireNative = process.env.TESSERA_REQUIRE_NATIVE === "1";
const work = mkdtempSync(join(tmpdir(), "tessera-consumer-"));
const failures = [];

function check(ok, message) {
  console.log(`consumer: ${ok ? "ok  " : "FAIL"} ${message}`);
  if (!ok) failures.push(message);
}

function run(command, args, cwd, extraEnv = {}) {
  const started = Date.now();
  const out = execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { out, seconds: (Date.now() - started) / 1000 };
}

/** Runs a command and keeps its stdout and stderr apart. */
function runWithStderr(command, args, cwd) {
  const env = { ...process.env, NO_COLOR: "1" };
  delete env.TESSERA_REQUIRE_NATIVE; // the fallback path is what this checks
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

try {
  // 1. The tarball.
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], repo).out)[0];
  const tarball = join(work, packed.filename);
  const files = packed.files.map((f) => f.path);
  console.log(
    `consumer: tarball ${packed.filename}: ${(packed.size / 1024 / 1024).toFixed(2)} MiB packed, ` +
      `${(packed.unpackedSize / 1024 / 1024).toFixed(2)} MiB unpacked, ${packed.entryCount} files`,
  );
  check(
    files.includes("prebuilds/linux-x64/tessera_native.node"),
    "the tarball carries the prebuilt linux-x64 addon",
  );
  check(files.includes("datasets/breast-cancer.csv"), "the tarball carries the quick start's dataset");
  const unwanted = files.filter((f) =>
    /\.test\.|^bench\/|^test\/|^examples\/|^native\/build\/|^src\//.test(f),
  );
  check(
    unwanted.length === 0,
    `no tests, benches, examples or build folders in the tarball (${unwanted.slice(0, 5).join(", ")})`,
  );

  // 2. A fresh CommonJS project, npm's defaults.
  const project = join(work, "project");
  cpSync(join(repo, "examples", "quickstart", "quickstart.mjs"), join(project, "quickstart.mjs"));
  run("npm", ["init", "-y"], project);
  const install = run("npm", ["install", "--no-audit", "--no-fund", tarball], project);
  console.log(`consumer: npm install of the tarball took ${install.seconds.toFixed(1)} s`);

  // 3. The README's quick start.
  const quick = run(process.execPath, ["quickstart.mjs"], project);
  const backend = /^backend: (.+)$/m.exec(quick.out)?.[1] ?? "(none printed)";
  const accuracy = Number(/^test accuracy: ([\d.]+)$/m.exec(quick.out)?.[1]);
  console.log(
    `consumer: quick start ran in ${quick.seconds.toFixed(1)} s on ${backend}, test accuracy ${accuracy}`,
  );
  if (requireNative)
    check(backend.startsWith("native"), `the quick start runs on the native backend (${backend})`);
  check(accuracy >= 0.93, `the quick start's test accuracy is at least 0.93 (${accuracy})`);
  check(/^reloaded model agrees: true$/m.test(quick.out), "the saved model reloads and predicts the same");

  // 4. require() from CommonJS, and the command.
  let required = "";
  try {
    required = run(
      process.execPath,
      ["-e", 'console.log(require("tessera-ml").getBackend())'],
      project,
    ).out.trim();
  } catch (error) {
    required = `${error.stderr ?? error}`.split("\n").find((line) => line.includes("Error")) ?? String(error);
  }
  check(
    requireNative ? required === "native" : /^(native|reference)$/.test(required),
    `require("tessera-ml") works (${required})`,
  );
  const version = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).version;
  const cli = run(join(project, "node_modules", ".bin", "tessera"), ["--version"], project);
  check(cli.out.trim() === version, `the tessera command answers --version (${cli.out.trim()})`);

  // 5. Types, with no @types/node in scope.
  writeFileSync(
    join(project, "consumer.ts"),
    [
      'import * as ts from "tessera-ml";',
      "const x: ts.Tensor = ts.tensor([[1, 2], [3, 4]]);",
      "const model = ts.sequential([ts.layers.dense({ units: 1, inputShape: [2] })]);",
      'model.compile({ optimizer: "adam", loss: "mse" });',
      "const y: ts.Tensor = model.predict(x);",
      "const backend: ts.BackendName = ts.getBackend();",
      "export const shape: readonly number[] = y.shape;",
      'export const table: Promise<ts.Table> = ts.loadDataset("iris");',
      "export { backend };",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        strict: true,
        noEmit: true,
        types: [],
        skipLibCheck: false,
      },
      files: ["consumer.ts"],
    }),
  );
  let typeErrors = "";
  try {
    run(
      process.execPath,
      [join(repo, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
      project,
    );
  } catch (error) {
    typeErrors = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim();
  }
  check(
    typeErrors === "",
    `a TypeScript consumer type-checks without @types/node${typeErrors ? `:\n${typeErrors.split("\n").slice(0, 15).join("\n")}` : ""}`,
  );

  // 6. No binary that fits (as on macOS or Windows): one line says so and the WebAssembly backend
  // runs (the reference one without the .wasm); then the documented from-source build
  // (--from-source: a few minutes of compiling) brings native.
  rmSync(join(project, "node_modules", "tessera-ml", "prebuilds"), { recursive: true, force: true });
  const probe = 'import("tessera-ml").then((ts) => console.log(ts.describeBackend()))';
  const strict = spawnSync(process.execPath, ["-e", probe], {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, TESSERA_REQUIRE_NATIVE: "1" },
  });
  check(
    strict.status !== 0 && /TESSERA_REQUIRE_NATIVE=1, but the native addon did not load/.test(strict.stderr),
    `with TESSERA_REQUIRE_NATIVE=1 a missing addon is an error (exit ${strict.status})`,
  );
  // The WebAssembly build of the same kernels ships in the package and runs instead.
  const fallback = runWithStderr(process.execPath, ["-e", probe], project);
  const lines = fallback.stderr.split("\n").filter((line) => line.trim() !== "");
  check(
    fallback.stdout.trim().startsWith("wasm"),
    `without a fitting binary the WebAssembly backend runs (${fallback.stdout.trim()})`,
  );
  check(
    lines.length === 1 && /WebAssembly backend/.test(lines[0]) && /npx tessera-build-native/.test(lines[0]),
    `and one stderr line says so and how to build the native one (${lines.length} lines: ${lines[0] ?? ""})`,
  );
  // Without the .wasm either, the reference backend runs, and the line says that instead.
  rmSync(join(project, "node_modules", "tessera-ml", "wasm"), { recursive: true, force: true });
  const plain = runWithStderr(process.execPath, ["-e", probe], project);
  const plainLines = plain.stderr.split("\n").filter((line) => line.trim() !== "");
  check(
    plain.stdout.trim() === "reference",
    `without the .wasm too the reference backend runs (${plain.stdout.trim()})`,
  );
  check(
    plainLines.length === 1 && /reference backend/.test(plainLines[0]),
    `and one stderr line says so (${plainLines.length} lines: ${plainLines[0] ?? ""})`,
  );
  if (process.argv.includes("--from-source")) {
    const build = run("npx", ["tessera-build-native"], project);
    console.log(`consumer: ${build.out.trim()}`);
    const after = run(process.execPath, ["-e", probe], project).out.trim();
    check(after.startsWith("native"), `after npx tessera-build-native the native backend runs (${after})`);
  }
} catch (error) {
  failures.push(String(error instanceof Error ? error.message : error));
  console.error(`consumer: ${error instanceof Error ? error.message : error}`);
  if (error?.stderr) console.error(String(error.stderr).slice(-4000));
} finally {
  if (process.env.KEEP_CONSUMER !== "1") rmSync(work, { recursive: true, force: true });
  else console.log(`consumer: kept ${work}`);
}
if (failures.length > 0) {
  console.error(`consumer: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("consumer: every check passed");
