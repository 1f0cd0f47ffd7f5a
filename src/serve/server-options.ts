// serve/server-options: what startServer accepts (models, binding, batching, connection limits,
// preload modules), with the defaults each option documents.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { StaticFiles } from "./static-files.js";

/** Where KServe mounts the model of a custom runtime. */
export const KSERVE_MODEL_DIR = "/mnt/models";

export interface ModelSource {
  readonly dir: string;
  /** Name in URLs; defaults to the model's own name, else the directory's name. */
  readonly name?: string;
}

export interface ServerOptions {
  /** Model directories to serve (default: /mnt/models, the KServe convention). */
  readonly models?: readonly ModelSource[];
  /** Interface to bind (default 127.0.0.1; 0.0.0.0 when serving the KServe default /mnt/models). */
  readonly host?: string;
  /** TCP port (default 8080; 0 picks a free one). */
  readonly port?: number;
  /** Most rows per batch (default 64). */
  readonly maxBatchSize?: number;
  /** Longest a request waits for a batch to fill, ms (default 0: batches form from what queued while the workers were busy). */
  readonly maxWaitMs?: number;
  /** Worker threads per model (default 1). */
  readonly workers?: number;
  /** Largest request body in bytes (default 8 MiB); also the most buffered per connection. */
  readonly maxBodyBytes?: number;
  /** Most request-body bytes buffered at once over all connections (default max(64 MiB, 2 x maxBodyBytes)); past it, 503. */
  readonly maxBufferedBytes?: number;
  /** A started body with no new bytes for this long is refused with 408 (default 10 s). */
  readonly bodyTimeoutMs?: number;
  /** The header block must arrive within this time (default 10 s), else 408. */
  readonly headersTimeoutMs?: number;
  /** The whole request (headers and body) must arrive within this time (default 60 s), else 408. */
  readonly requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open (default 5 s, as Node's). */
  readonly keepAliveTimeoutMs?: number;
  /** Largest header block in bytes (default 16 KiB); past it, 431. */
  readonly maxHeaderBytes?: number;
  /** Modules each inference worker imports before loading its model (where custom layers are registered): paths or file: URLs. */
  readonly preload?: readonly string[];
  /** How long shutdown waits for in-flight requests before cutting connections (default 30 s). */
  readonly drainTimeoutMs?: number;
  /** Serve /v2/models/{name}/explain and /v1/models/{name}:explain (default false: they answer 404). */
  readonly explain?: boolean;
  /** Module exporting loadServable(dir) (default: serve/model-servable for real model directories). */
  readonly loaderUrl?: string;
  /** Answers GET requests no route takes: `tessera serve --ui`'s page (static-ui.ts). Default: none (404). */
  readonly staticFiles?: StaticFiles;
  /** Log lines (default: none). */
  readonly log?: (line: string) => void;
}

/** A preload module as a URL the worker can import: file: URLs and bare package names as they are, paths resolved. */
export function preloadUrl(module: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(module)) return module;
  if (module.startsWith(".") || module.startsWith("/")) return pathToFileURL(resolve(module)).href;
  return module;
}
