// bench/csv.bench: CSV parsing throughput (MB/s) and peak memory on a generated file (100 MB by
// default; CSV_BENCH_MB=... to change), reading it whole (readCsv) versus streaming it in
// batches (readCsvStream) and through a Dataset (Dataset.fromCsv().batch()), and the browser entry's
// readers on the file as a Blob (fs.openAsBlob, disk-backed like a page's picked File): whole
// (readCsvFrom, streamed from the Blob) and in batches (readCsvStreamFrom). Each way runs in its
// own child process so their peaks do not mix; peak RSS is the kernel's maxRSS of that process,
// heap is sampled every 10 ms (the whole read is synchronous, so for it the figure is the heap
// still held when it returns, plus maxRSS). csv-parse alone on a 16 MB prefix is the ceiling
// the library sets. The file goes to os.tmpdir() and is deleted afterwards.
//
// Run alone: npx tsx bench/csv.bench.ts     (also exports run() for the bench driver)
import { spawnSync } from "node:child_process";
import {
  closeSync,
  createReadStream,
  openAsBlob,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse as csvParseSync } from "csv-parse/sync";
import { Generator } from "../src/core/random.js";
import { Dataset } from "../src/data/dataset/index.js";
import { readCsv, readCsvStream } from "../src/io/read-csv.js";
import { readCsvFrom, readCsvStreamFrom } from "../src/io/web/read-csv-from.js";

type Mode = "whole" | "stream" | "dataset" | "blob-whole" | "blob-stream";

export interface CsvBenchResult {
  mode: Mode | "csv-parse-only";
  megabytes: number;
  rows: number;
  seconds: number;
  mbPerSecond: number;
  /** MB per second of this process's CPU time (user + system): less sensitive to a busy machine. */
  mbPerCpuSecond: number;
  peakRssMB: number;
  peakHeapMB: number;
}

const MB = 1024 * 1024;

/** Writes a CSV of about `megabytes` MB: id, 4 floats, a category, a bool, a date, some missing. */
export function generateCsv(path: string, megabytes: number, seed = 7): { rows: number; bytes: number } {
  const g = new Generator(seed);
  const fd = openSync(path, "w");
  const categories = ["alpha", "beta", "gamma", "delta", "epsilon"];
  let bytes = 0;
  let rows = 0;
  const header = "id,x1,x2,x3,x4,category,flag,day\n";
  writeSync(fd, header);
  bytes += header.length;
  const target = megabytes * MB;
  while (bytes < target) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const day = new Date(Date.UTC(2020, 0, 1 + (rows % 1500))).toISOString().slice(0, 10);
      const x4 = g.random() < 0.02 ? "NA" : (g.normal() * 100).toFixed(3);
      lines.push(
        `${rows},${g.normal().toFixed(6)},${(g.random() * 1000).toFixed(2)},${g.int(-500, 500)},${x4},${categories[g.int(0, 5)]},${g.random() < 0.5},${day}`,
      );
      rows++;
    }
    const text = `${lines.join("\n")}\n`;
    writeSync(fd, text);
    bytes += text.length;
  }
  closeSync(fd);
  return { rows, bytes };
}

/** One measured read, inside a child process. */
async function child(mode: Mode, path: string): Promise<CsvBenchResult> {
  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 10);
  const megabytes = statSync(path).size / MB;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let rows = 0;
  let checksum = 0;
  if (mode === "whole" || mode === "blob-whole") {
    const table = mode === "whole" ? await readCsv(path) : await readCsvFrom(await openAsBlob(path));
    rows = table.numRows;
    checksum = table.column("x3").numbers.reduce((s, v) => s + v, 0);
    sample(); // the whole table is still held here
  } else if (mode === "stream" || mode === "blob-stream") {
    const batches =
      mode === "stream"
        ? readCsvStream(path, { batchSize: 10_000 })
        : readCsvStreamFrom(await openAsBlob(path), { batchSize: 10_000 });
    for await (const batch of batches) {
      rows += batch.numRows;
      checksum += batch.column("x3").numbers.reduce((s, v) => s + v, 0);
    }
  } else {
    // Rows -> { x3 } -> batches of 1024 (collated into a tensor), as a training loop would read.
    const dataset = Dataset.fromCsv(() => createReadStream(path, { highWaterMark: MB }))
      .map((row) => ({ x3: Number((row as Record<string, unknown>).x3) }))
      .batch(1024);
    for await (const batch of dataset) {
      const values = (batch as { x3: { data: ArrayLike<number> } }).x3.data;
      rows += values.length;
      for (let i = 0; i < values.length; i++) checksum += values[i]!;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(timer);
  sample();
  if (!Number.isFinite(checksum)) throw new Error("csv bench: checksum is not finite");
  return {
    mode,
    megabytes,
    rows,
    seconds,
    mbPerSecond: megabytes / seconds,
    mbPerCpuSecond: megabytes / ((cpu.user + cpu.system) / 1e6),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    peakHeapMB: peakHeap / MB,
  };
}

/** csv-parse alone (sync, no types, no line tracking) on the first 16 MB: the library's ceiling. */
function csvParseOnly(path: string): CsvBenchResult {
  const all = readFileSync(path);
  const cut = all.lastIndexOf(10, 16 * MB);
  const prefix = all.subarray(0, cut + 1);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const records = csvParseSync(prefix, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    mode: "csv-parse-only",
    megabytes: prefix.length / MB,
    rows: records.length - 1,
    seconds,
    mbPerSecond: prefix.length / MB / seconds,
    mbPerCpuSecond: prefix.length / MB / ((cpu.user + cpu.system) / 1e6),
    peakRssMB: Number.NaN,
    peakHeapMB: Number.NaN,
  };
}

/** Generates the file, measures each way in a fresh process, deletes the file, prints a table. */
export async function run(options: { megabytes?: number; print?: boolean } = {}): Promise<CsvBenchResult[]> {
  const megabytes = options.megabytes ?? Number(process.env.CSV_BENCH_MB ?? 100);
  const path = join(tmpdir(), `tessera-csv-bench-${process.pid}.csv`);
  const results: CsvBenchResult[] = [];
  try {
    const t0 = performance.now();
    const { rows, bytes } = generateCsv(path, megabytes);
    if (options.print !== false) {
      console.log(
        `csv bench: generated ${(bytes / MB).toFixed(1)} MB, ${rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (${path})`,
      );
    }
    results.push(csvParseOnly(path));
    const self = fileURLToPath(import.meta.url);
    for (const mode of ["whole", "blob-whole", "stream", "blob-stream", "dataset"] as const) {
      const out = spawnSync(process.execPath, ["--import", "tsx", self, "--child", mode, path], {
        encoding: "utf8",
        maxBuffer: 16 * MB,
      });
      const line = out.stdout.trim().split("\n").at(-1) ?? "";
      if (out.status !== 0 || !line.startsWith("{")) {
        throw new Error(`csv bench: ${mode} run failed (status ${out.status}):\n${out.stderr}`);
      }
      results.push(JSON.parse(line) as CsvBenchResult);
    }
  } finally {
    rmSync(path, { force: true });
  }
  if (options.print !== false) {
    const fmt = (v: number, d = 1) => (Number.isNaN(v) ? "-" : v.toFixed(d));
    console.log("mode             MB      rows       s     MB/s  MB/cpu-s   peak RSS MB   peak heap MB");
    for (const r of results) {
      console.log(
        `${r.mode.padEnd(15)} ${fmt(r.megabytes).padStart(6)} ${String(r.rows).padStart(9)} ${fmt(r.seconds, 2).padStart(7)} ${fmt(r.mbPerSecond).padStart(8)} ${fmt(r.mbPerCpuSecond).padStart(9)} ${fmt(r.peakRssMB).padStart(13)} ${fmt(r.peakHeapMB).padStart(14)}`,
      );
    }
  }
  return results;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const childIndex = process.argv.indexOf("--child");
  if (childIndex >= 0) {
    const mode = process.argv[childIndex + 1] as Mode;
    const path = process.argv[childIndex + 2]!;
    console.log(JSON.stringify(await child(mode, path)));
  } else {
    await run();
  }
}
