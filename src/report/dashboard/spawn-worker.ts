// report/dashboard/spawn-worker: starts a worker thread on one of our modules, whether Tessera runs
// from its compiled JavaScript (dist/) or from the TypeScript sources under tsx (tests, examples):
// in the latter case the worker registers tsx before importing the module. Layer: report.
import { Worker } from "node:worker_threads";

/**
 * A worker running `moduleUrl` (the .ts URL from source, else the .js one) with workerData.
 * @example
 * const worker = spawnModuleWorker(new URL("./worker.js", import.meta.url), { port: 0 });
 */
export function spawnModuleWorker(moduleUrl: URL, data: unknown): Worker {
  const fromSource = moduleUrl.pathname.endsWith(".ts");
  if (!fromSource) return new Worker(moduleUrl, { workerData: data });
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}
