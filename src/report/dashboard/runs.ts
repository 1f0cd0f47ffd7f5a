// report/dashboard/runs: the run folders the dashboard compares side by side: every folder under
// runsDir holding the history.json `tessera train` writes ({"epochs": [{"epoch", "loss", ...}]}).
// Layer: report.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { FormatError } from "../../core/errors.js";

/** A run folder's per-epoch history: metric name -> one value per epoch. */
export type RunHistory = Record<string, number[]>;

/** Names of the folders under runsDir that hold a history.json, sorted. Missing runsDir: none. */
export async function listRuns(runsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch {
    return [];
  }
  const runs: string[] = [];
  for (const name of names.sort()) {
    try {
      if ((await stat(join(runsDir, name, "history.json"))).isFile()) runs.push(name);
    } catch {
      // not a run folder
    }
  }
  return runs;
}

/** The history of one run folder, validated. */
export async function readRunHistory(runsDir: string, name: string): Promise<RunHistory> {
  if (!/^[\w.-]+$/.test(name) || name === "." || name === "..")
    throw new FormatError(`runs: bad run name ${JSON.stringify(name)}`);
  const path = join(runsDir, name, "history.json");
  const parsed = JSON.parse(await readFile(path, "utf8")) as unknown;
  const epochs = (parsed as { epochs?: unknown } | null)?.epochs;
  if (!Array.isArray(epochs))
    throw new FormatError(`${path}: expected {"epochs": [...]} (got ${typeof parsed})`);
  const history: RunHistory = {};
  epochs.forEach((entry: unknown, i) => {
    if (entry === null || typeof entry !== "object")
      throw new FormatError(`${path}: epochs[${i}] must be an object`);
    for (const [key, value] of Object.entries(entry)) {
      if (key === "epoch") continue;
      if (typeof value !== "number") throw new FormatError(`${path}: epochs[${i}].${key} must be a number`);
      (history[key] ??= [])[i] = value;
    }
  });
  return history;
}
