// io/atomic-write: crash-safe file and directory writes. A file is written to a temporary file in
// the same directory, fsynced, renamed over the target (atomic on POSIX file systems) and the
// directory is fsynced, so after a crash the target holds either the old or the new content, never
// a mix. Every writer in Tessera goes through here.
import { randomBytes } from "node:crypto";
import {
  close,
  closeSync,
  fsync,
  fsyncSync,
  mkdirSync,
  open,
  openSync,
  rename,
  renameSync,
  rm,
  rmSync,
  statSync,
  write,
  writeFileSync,
} from "node:fs";
import * as fs from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";

const openAsync = promisify(open);
const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);
const renameAsync = promisify(rename);
const rmAsync = promisify(rm);

function tempName(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
}

function checkFileName(name: string): void {
  if (name.includes("/") || name.includes("\\") || name === "." || name === ".." || name === "") {
    throw new Error(`writeDirectoryAtomic: invalid file name "${name}"`);
  }
}

/** rename() onto an existing non-empty directory fails with one of these. */
function isReplaceableError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOTEMPTY" || code === "EEXIST" || code === "EPERM" || code === "EISDIR";
}

async function writeAndSync(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const fd = await openAsync(path, "wx", 0o644);
  try {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await writeAsync(fd, bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    await fsyncAsync(fd);
  } finally {
    await closeAsync(fd);
  }
}

/** Fsyncs a directory so a rename inside it is durable. Some platforms cannot; that is not an error. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `data` to `path` atomically: readers see the old file or the new one, never a partial one.
 * @example
 * await writeFileAtomic("runs/a/model.json", JSON.stringify(config));
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = tempName(path);
  try {
    await writeAndSync(temp, data);
    await renameAsync(temp, path);
  } catch (error) {
    await rmAsync(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/**
 * Writes a whole directory of files atomically as a unit: the files go into a temporary sibling
 * directory, are fsynced, and the directory is renamed into place. When `dir` already exists it is
 * first renamed aside and removed after the new one is in place, so at every instant `dir` is
 * either absent, the complete old directory or the complete new one.
 */
export async function writeDirectoryAtomic(
  dir: string,
  files: Readonly<Record<string, Uint8Array | string>>,
): Promise<void> {
  const parent = dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  const temp = tempName(dir);
  await fs.mkdir(temp);
  try {
    for (const [name, data] of Object.entries(files)) {
      checkFileName(name);
      await writeAndSync(join(temp, name), data);
    }
    await syncDirectory(temp);
    let old: string | undefined;
    try {
      await renameAsync(temp, dir);
    } catch (error) {
      if (!isReplaceableError(error)) throw error;
      const stat = await fs.stat(dir);
      if (!stat.isDirectory()) throw new Error(`writeDirectoryAtomic: ${dir} exists and is not a directory`);
      old = `${temp}-old`;
      await renameAsync(dir, old);
      await renameAsync(temp, dir);
    }
    await syncDirectory(parent);
    if (old !== undefined) await rmAsync(old, { recursive: true, force: true });
  } catch (error) {
    await rmAsync(temp, { recursive: true, force: true });
    throw error;
  }
}

// ---- synchronous variants, for callbacks (training hooks run synchronously) ----

function writeAndSyncSync(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, "wx", 0o644);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // see syncDirectory
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** writeFileAtomic, synchronously. */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const temp = tempName(path);
  try {
    writeAndSyncSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectorySync(dirname(path));
}

/** writeDirectoryAtomic, synchronously. */
export function writeDirectoryAtomicSync(
  dir: string,
  files: Readonly<Record<string, Uint8Array | string>>,
): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const temp = tempName(dir);
  mkdirSync(temp);
  try {
    for (const [name, data] of Object.entries(files)) {
      checkFileName(name);
      writeAndSyncSync(join(temp, name), data);
    }
    syncDirectorySync(temp);
    let old: string | undefined;
    try {
      renameSync(temp, dir);
    } catch (error) {
      if (!isReplaceableError(error)) throw error;
      if (!statSync(dir).isDirectory())
        throw new Error(`writeDirectoryAtomic: ${dir} exists and is not a directory`);
      old = `${temp}-old`;
      renameSync(dir, old);
      renameSync(temp, dir);
    }
    syncDirectorySync(parent);
    if (old !== undefined) rmSync(old, { recursive: true, force: true });
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}
