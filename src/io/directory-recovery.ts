// io/directory-recovery: finishes or cleans up what a killed writeDirectoryAtomic left behind.
// atomic-write.ts replaces a directory `dir` in two renames: the complete new copy is written to
// `.<name>.tmp-<pid>-<hex>`, then `dir` is renamed to `<temp>-old`, the new copy to `dir`, and
// `<temp>-old` is removed. A kill between the two renames leaves no `dir` at all, only the complete
// new copy and the complete old one beside it; a kill while writing leaves a partial temp folder.
// recoverDirectory() (run before every model or checkpoint save and load) puts the new copy in
// place in the first case and removes the leftovers of dead writers; folders of live processes
// (another writer at work) are left alone.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

interface Leftover {
  readonly name: string;
  readonly key: string;
  readonly old: boolean;
}

/** When this process started, ms since the epoch. */
const STARTED = Date.now() - process.uptime() * 1000;

/**
 * Whether the writer of a temp folder group (`paths`: the new copy and/or the old one) may still
 * be at work. Our own pid counts only when a folder of the group was touched since this process
 * started: in a container every run may get the same pid, and the killed run's folders must not
 * pass for ours (the old copy's mtime is its original one, so the group is judged together).
 */
function alive(pid: number, paths: readonly string[]): boolean {
  if (pid === process.pid) {
    return paths.some((path) => {
      try {
        return statSync(path).mtimeMs >= STARTED - 1000;
      } catch {
        return false;
      }
    });
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The temp and old folders of dead writers next to `dir` (names as atomic-write.ts makes them). */
function leftovers(dir: string): Leftover[] {
  let entries: string[];
  try {
    entries = readdirSync(dirname(dir));
  } catch {
    return [];
  }
  const pattern = new RegExp(`^(\\.${escapeRegExp(basename(dir))}\\.tmp-(\\d+)-[0-9a-f]+)(-old)?$`);
  const found: (Leftover & { pid: number })[] = [];
  for (const name of entries) {
    const match = pattern.exec(name);
    if (match !== null)
      found.push({ name, key: match[1]!, old: match[3] !== undefined, pid: Number(match[2]) });
  }
  const paths = (key: string) => found.filter((f) => f.key === key).map((f) => join(dirname(dir), f.name));
  return found.filter((f) => !alive(f.pid, paths(f.key)));
}

/**
 * Makes `dir` the newest complete copy a killed directory write left, and removes the temporary
 * folders of writers that are no longer running. Returns what it did, for logs and tests.
 * @example
 * recoverDirectory("runs/x/checkpoint"); // { restored: true, removed: 1 } after a kill mid-swap
 */
export function recoverDirectory(dir: string): { restored: boolean; removed: number } {
  const found = leftovers(dir);
  if (found.length === 0) return { restored: false, removed: 0 };
  const parent = dirname(dir);
  let restored = false;
  if (!existsSync(dir)) {
    // A kill between the two renames: the new copy (complete: it is renamed aside only after
    // every file was written and synced) sits next to the old copy it was replacing.
    const olds = new Set(found.filter((f) => f.old).map((f) => f.key));
    const complete = found.find((f) => !f.old && olds.has(f.key)) ?? found.find((f) => f.old);
    if (complete !== undefined) {
      renameSync(join(parent, complete.name), dir);
      restored = true;
    }
  }
  let removed = 0;
  for (const f of found) {
    const path = join(parent, f.name);
    if (!existsSync(path)) continue;
    rmSync(path, { recursive: true, force: true });
    removed += 1;
  }
  return { restored, removed };
}
