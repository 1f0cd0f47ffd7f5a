// io/trial-store: a search's results file, the TrialStore (ml/search-trials) that makes a search
// resumable. Each finished trial is added and the whole file rewritten atomically (io/atomic-write),
// so a crash leaves the file as it was after the last finished trial; a resumed search with the same
// spec reads it and runs only the trials it lacks. The file records the spec it was written for
// and refuses to resume another.
import { readFile } from "node:fs/promises";
import { ConfigError, FormatError } from "../core/errors.js";
import type { TrialOutcome, TrialStore } from "../ml/search-trials.js";
import { writeFileAtomic } from "./atomic-write.js";
import { parseStrictJson } from "./strict-json.js";

/** The results file's contents. */
export interface SearchResultsFile {
  format: "tessera-search-results";
  version: 1;
  /** What the search was (estimator, space, folds, seed, data fingerprint...). */
  spec: unknown;
  trials: Record<string, TrialOutcome>;
}

/** A TrialStore backed by a file; `resumed` counts the trials read from an earlier run. */
export interface FileTrialStore extends TrialStore {
  readonly path: string;
  readonly resumed: number;
  /** Resolves once every put so far is on disk. */
  flush(): Promise<void>;
}

/**
 * Opens the results file at `path` for a search described by `spec` (any JSON value). With
 * `resume`, finished trials of an earlier run of the same spec are kept; otherwise it starts empty
 * (the file is replaced at the first finished trial).
 * @example
 * const store = await openTrialStore("runs/tuned.trials.json", spec, { resume: true });
 * await search.fitAsync(x, y, { store });
 */
export async function openTrialStore(
  path: string,
  spec: unknown,
  options: { resume?: boolean } = {},
): Promise<FileTrialStore> {
  const specText = JSON.stringify(spec);
  const trials = new Map<string, TrialOutcome>();
  if (options.resume) {
    let text: string | null = null;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (text !== null) {
      const file = parseStrictJson(text, path) as Partial<SearchResultsFile> | null;
      if (file?.format !== "tessera-search-results" || file.version !== 1 || typeof file.trials !== "object")
        throw new FormatError(
          `${path}: not a search results file (expected "format": "tessera-search-results", version 1)`,
        );
      if (JSON.stringify(file.spec) !== specText)
        throw new ConfigError(
          `${path} was written by a different search (spec or data changed); delete it or run without --resume`,
        );
      for (const [key, outcome] of Object.entries(file.trials ?? {})) {
        if (typeof outcome?.score !== "number" || typeof outcome.fitSeconds !== "number")
          throw new FormatError(`${path}: trial ${key} must hold numbers score and fitSeconds`);
        trials.set(key, { score: outcome.score, fitSeconds: outcome.fitSeconds });
      }
    }
  }
  const resumed = trials.size;
  let writing: Promise<void> = Promise.resolve();
  const contents = (): string =>
    `${JSON.stringify({ format: "tessera-search-results", version: 1, spec: JSON.parse(specText) as unknown, trials: Object.fromEntries(trials) } satisfies SearchResultsFile)}\n`;
  return {
    path,
    resumed,
    get: (key) => trials.get(key),
    put(key, outcome) {
      trials.set(key, outcome);
      // Writes run one after another; each writes every trial finished so far.
      writing = writing.then(() => writeFileAtomic(path, contents()));
      return writing;
    },
    flush: () => writing,
  };
}
