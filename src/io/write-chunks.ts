// io/write-chunks: atomic writing of a file produced piece by piece (large CSV/NDJSON exports):
// the pieces go to a temporary file in the target's directory, which is fsynced and renamed over
// the target, and the directory is fsynced (see atomic-write.ts for the single-buffer version).
// A failure at any point removes the temporary file and leaves the target untouched.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { syncDirectory } from "./atomic-write.js";

/**
 * Writes `chunks` to `path` atomically.
 * @example
 * await writeChunksAtomic("out.csv", csvChunks(table));
 */
export async function writeChunksAtomic(
  path: string,
  chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  const encoder = new TextEncoder();
  const handle = await fs.open(temp, "wx", 0o644);
  try {
    try {
      for await (const chunk of chunks) {
        const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
        let written = 0;
        while (written < bytes.length) {
          const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
          written += bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}
