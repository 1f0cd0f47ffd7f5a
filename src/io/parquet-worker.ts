// io/parquet-worker: the worker thread that decodes one Parquet file at a time for readParquet.
// hyparquet runs here, not in the caller's thread, so a decoder that loops or balloons on corrupt
// page data is stopped by the caller's watchdog (worker.terminate) or the worker's heap limit,
// and the program carries on. Replies carry the Table's typed arrays (transferred, not cloned) or
// the error's class and message.
import { open } from "node:fs/promises";
import { parentPort } from "node:worker_threads";
import {
  decodeParquet,
  type ParquetColumns,
  type ParquetReadOptions,
  parquetColumnsToTable,
} from "../data/formats/parquet.js";
import { type PackedTable, packTable } from "./table-transfer.js";

export interface ParquetJob {
  readonly path: string;
  readonly options: ParquetReadOptions;
}

export type ParquetReply =
  | { readonly ok: true; readonly table: PackedTable }
  | { readonly ok: false; readonly name: string; readonly message: string };

/** An AsyncBuffer over positional reads of an open file (only the footer and pages asked for are read). */
export async function decodeParquetFile(path: string, options: ParquetReadOptions): Promise<ParquetColumns> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const file = {
      byteLength: size,
      async slice(start: number, end: number = size): Promise<ArrayBuffer> {
        const buffer = new Uint8Array(Math.max(0, Math.min(end, size) - start));
        let read = 0;
        while (read < buffer.length) {
          const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
          if (bytesRead === 0) break;
          read += bytesRead;
        }
        return buffer.buffer;
      },
    };
    return await decodeParquet(file, { source: path, ...options });
  } finally {
    await handle.close();
  }
}

parentPort?.on("message", (job: ParquetJob) => {
  decodeParquetFile(job.path, job.options).then(
    (columns) => {
      const { packed, transfer } = packTable(parquetColumnsToTable(columns));
      parentPort!.postMessage({ ok: true, table: packed } satisfies ParquetReply, transfer);
    },
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      parentPort!.postMessage({ ok: false, name: e.name, message: e.message } satisfies ParquetReply);
    },
  );
});
