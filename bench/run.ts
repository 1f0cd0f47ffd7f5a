// bench/run: `npm run bench` runs every bench/*.bench.ts in turn (or only those whose file name
// contains one of the command-line arguments). Each bench module exports `main()` or `run()`
// (which prints its own table). Other
// scripts may import runBenches to run a chosen list.
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

/** The bench files, optionally filtered by substrings of their names. */
export function benchFiles(filters: readonly string[] = []): string[] {
  return readdirSync(BENCH_DIR)
    .filter((name) => name.endsWith(".bench.ts"))
    .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
    .sort();
}

/** Imports each bench file and awaits its main(). */
export async function runBenches(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const module = (await import(pathToFileURL(`${BENCH_DIR}/${file}`).href)) as {
      main?: () => Promise<unknown> | unknown;
      run?: () => Promise<unknown> | unknown;
    };
    const entry = module.main ?? module.run;
    if (typeof entry !== "function") throw new Error(`bench/${file} exports neither main() nor run()`);
    console.log(`\n=== bench/${file}`);
    await entry();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const files = benchFiles(process.argv.slice(2));
  if (files.length === 0) {
    console.error(`bench: no bench/*.bench.ts matches ${process.argv.slice(2).join(", ")}`);
    process.exit(1);
  }
  await runBenches(files);
}
