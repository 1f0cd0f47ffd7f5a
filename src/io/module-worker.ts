// io/module-worker: starts a worker thread on one of Tessera's own modules, whether Tessera runs
// from its built JavaScript (dist/) or from the TypeScript sources under tsx (tests, examples).
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * A Worker running the module `name` (a path without extension, relative to `base`, usually the
 * caller's import.meta.url): its `.ts` file under tsx, its `.js` file once built.
 * @example
 * const worker = spawnModuleWorker("./parquet-worker", import.meta.url);
 */
export function spawnModuleWorker(name: string, base: string, options: WorkerOptions = {}): Worker {
  const fromSource = base.endsWith(".ts");
  const entry = new URL(`${name}.${fromSource ? "ts" : "js"}`, base);
  if (!fromSource) return new Worker(entry, options);
  // From the TypeScript sources: the worker registers tsx before importing the module.
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { ...options, eval: true });
}
