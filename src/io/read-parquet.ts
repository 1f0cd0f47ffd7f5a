// io/read-parquet: Parquet files. readParquet decodes in a worker thread (parquet-worker.ts) under
// a watchdog: the footer and page headers are checked first (data/formats/parquet-checks.ts), and what
// no check can rule out (a third-party decoder looping or ballooning on corrupt page data) ends in
// a FormatError when the time limit passes or the worker's heap limit is hit, not in a hung or
// crashed program. One idle worker is kept (unref'd) for the next read. Writes are atomic.
import { stat } from "node:fs/promises";
import type { Worker } from "node:worker_threads";
import * as errors from "../core/errors.js";
import { FormatError, TesseraError } from "../core/errors.js";
import {
  formatParquet,
  PARQUET_READ_OPTIONS,
  type ParquetReadOptions,
  type ParquetWriteOptions,
} from "../data/formats/parquet.js";
import { checkOptionKeys } from "../data/formats/read-report.js";
import type { Table } from "../data/table/table.js";
import { writeFileAtomic } from "./atomic-write.js";
import { spawnModuleWorker } from "./module-worker.js";
import type { ParquetJob, ParquetReply } from "./parquet-worker.js";
import { type PackedTable, unpackTable } from "./table-transfer.js";

export interface ParquetFileOptions extends ParquetReadOptions {
  /** Give up decoding after this many milliseconds (default 30 s + 2 s per MiB of file). */
  timeoutMs?: number;
  /** Heap limit of the decoding worker in MiB (default 4096, or 64 per MiB of file when larger). */
  maxMemoryMb?: number;
}

let idle: { worker: Worker; memoryMb: number; onError: () => void } | null = null;

function takeWorker(memoryMb: number): Worker {
  if (idle !== null && idle.memoryMb === memoryMb) {
    const { worker, onError } = idle;
    idle = null;
    worker.off("error", onError);
    worker.ref();
    return worker;
  }
  return spawnModuleWorker("./parquet-worker", import.meta.url, {
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  });
}

function releaseWorker(worker: Worker, memoryMb: number): void {
  if (idle !== null) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const onError = () => {
    if (idle?.worker === worker) idle = null;
  };
  worker.on("error", onError);
  idle = { worker, memoryMb, onError };
}

/** The typed error a worker's reply names (only Tessera's own classes; anything else is a FormatError). */
function rebuild(reply: { name: string; message: string }, path: string): Error {
  const cls = (errors as Record<string, unknown>)[reply.name];
  if (typeof cls === "function" && cls.prototype instanceof TesseraError) {
    return new (cls as new (message: string) => Error)(reply.message);
  }
  return new FormatError(`readParquet: ${path}: cannot decode (${reply.message})`);
}

function decodeInWorker(path: string, options: ParquetReadOptions, timeoutMs: number, memoryMb: number) {
  const worker = takeWorker(memoryMb);
  return new Promise<PackedTable>((resolve, reject) => {
    // NOTE: only our own listeners are removed; worker.removeAllListeners() would also drop the
    // Worker's internal newListener/removeListener hooks and a reused worker would never reply.
    const done = () => {
      clearTimeout(timer);
      worker.off("error", fail);
      worker.off("exit", exited);
      worker.off("message", reply);
    };
    const stop = (error: Error) => {
      done();
      void worker.terminate();
      reject(error);
    };
    const timer = setTimeout(() => {
      stop(
        new FormatError(
          `readParquet: ${path}: decoding took longer than ${timeoutMs} ms and was stopped (a corrupt page can make the decoder loop; raise timeoutMs if the file is sound)`,
        ),
      );
    }, timeoutMs);
    function fail(error: Error): void {
      const memory = (error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY";
      stop(
        new FormatError(
          memory
            ? `readParquet: ${path}: decoding needed more than ${memoryMb} MiB and was stopped (raise maxMemoryMb if the file is sound)`
            : `readParquet: ${path}: the decoding worker failed (${error.message})`,
        ),
      );
    }
    function exited(code: number): void {
      fail(new Error(`it exited with code ${code}`));
    }
    function reply(message: ParquetReply): void {
      done();
      releaseWorker(worker, memoryMb);
      if (message.ok) resolve(message.table);
      else reject(rebuild(message, path));
    }
    worker.on("error", fail);
    worker.on("exit", exited);
    worker.on("message", reply);
    worker.postMessage({ path, options } satisfies ParquetJob);
  });
}

/**
 * Reads a Parquet file (all codecs hyparquet-compressors knows, ZSTD included) into a Table.
 * @example
 * const t = await readParquet("data.parquet", { columns: ["x", "y"] });
 */
export async function readParquet(path: string, options: ParquetFileOptions = {}): Promise<Table> {
  checkOptionKeys("readParquet", options, [...PARQUET_READ_OPTIONS, "timeoutMs", "maxMemoryMb"]);
  const { timeoutMs, maxMemoryMb, ...read } = options;
  const size = (await stat(path)).size;
  const mib = size / 2 ** 20;
  const timeout = timeoutMs ?? Math.ceil(30_000 + 2_000 * mib);
  const memory = maxMemoryMb ?? Math.max(4096, Math.ceil(64 * mib));
  for (const [name, value] of [
    ["timeoutMs", timeout],
    ["maxMemoryMb", memory],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0)
      throw new errors.ValueError(`readParquet: ${name} must be a positive number (got ${value})`);
  }
  return unpackTable(await decodeInWorker(path, read, timeout, memory));
}

/** Writes a table as a Parquet file (SNAPPY by default), atomically. */
export async function writeParquet(
  path: string,
  table: Table,
  options: ParquetWriteOptions = {},
): Promise<void> {
  await writeFileAtomic(path, formatParquet(table, options));
}
