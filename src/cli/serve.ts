// cli/serve: `tessera serve [model-dir...]`: the inference server (serve/server.ts) with signal
// handling: SIGTERM or SIGINT stops accepting, finishes in-flight requests and exits 0, also when
// it arrives while the models are still loading (the handlers are in place before anything starts).
// --ui adds the digits demo page (serve/static-ui.ts) under /ui/.
import { KSERVE_MODEL_DIR, type RunningServer, type ServerOptions, startServer } from "../serve/server.js";
import { staticUi } from "../serve/static-ui.js";
import { type Io, intOption, parseCommand, UsageError } from "./args.js";

export const SERVE_HELP = `Usage: tessera serve [model-dir...] [options]

Serves saved models over HTTP: the Open Inference Protocol (KServe v2) under /v2, TF-Serving
style REST under /v1 (raw records accepted), Prometheus metrics at /metrics. Concurrent requests
are batched; inference runs in worker threads. With no model directory it serves ${KSERVE_MODEL_DIR}
on 0.0.0.0 (the KServe custom-runtime convention).

Options:
  --port <n>            TCP port (default 8080)
  --host <addr>         interface (default 127.0.0.1; 0.0.0.0 when serving ${KSERVE_MODEL_DIR})
  --name <name>         URL name of the model (one model only; default: its saved name)
  --max-batch-size <n>  most rows per batch (default 64)
  --max-wait-ms <n>     longest a request waits for its batch to fill (default 0: batches
                        form from the requests that queue while inference runs)
  --workers <n>         inference threads per model (default 1)
  --max-body-bytes <n>  largest request body (default 8388608)
  --body-timeout-ms <n> a request body that stalls this long is refused with 408 (default 10000)
  --max-buffered-bytes <n>
                        request-body bytes buffered at once over all connections; past it,
                        503 (default max(67108864, 2 x --max-body-bytes))
  --request-timeout-ms <n>
                        a request (headers and body) must arrive within this time, else 408
                        (default 60000)
  --drain-timeout-ms <n>
                        on SIGTERM, how long in-flight requests may finish before connections
                        are cut (default 30000; keep it under the pod's termination grace)
  --explain             also serve POST /v2/models/{name}/explain and /v1/models/{name}:explain
                        (integrated gradients or saliency per row; body "parameters": {"method":
                        "ig"|"saliency", "steps", "target"}), with the same body limits as /infer
  --import <module>     a module each inference worker imports before loading the model, e.g.
                        one that calls registerLayer for a custom layer (repeatable; a path or
                        a package name)
  --ui                  also serve the digits demo page at /ui/ (train a CNN in the browser,
                        draw a digit; the served models answer it too); with --ui and no
                        model directory, only the page (on 127.0.0.1)
  -h, --help            show this help

Run it as a plain process (node_modules/.bin/tessera serve, or node), not behind npx or npm
run, whose wrappers do not pass SIGTERM on.

Example:
  node_modules/.bin/tessera serve runs/house-prices/model --port 8080
  curl -s localhost:8080/v1/models/house-prices:predict -d '{"instances": [{"crim": 0.02, ...}]}'
`;

const SERVE_OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  name: { type: "string" },
  "max-batch-size": { type: "string" },
  "max-wait-ms": { type: "string" },
  workers: { type: "string" },
  "max-body-bytes": { type: "string" },
  "body-timeout-ms": { type: "string" },
  "max-buffered-bytes": { type: "string" },
  "request-timeout-ms": { type: "string" },
  "drain-timeout-ms": { type: "string" },
  import: { type: "string", multiple: true },
  explain: { type: "boolean" },
  ui: { type: "boolean" },
} as const;

/** `{ [key]: value }`, or nothing when the flag was not given. */
const optional = <K extends keyof ServerOptions>(key: K, value: ServerOptions[K] | undefined) =>
  value === undefined ? {} : ({ [key]: value } as Pick<ServerOptions, K>);

/**
 * The server options a \`tessera serve\` command line stands for (null for --help). Exported so
 * the deployment manifests' arguments can be checked against the real parser.
 */
export function parseServeArgs(args: readonly string[]): ServerOptions | null {
  const { values, positionals } = parseCommand("serve", args, SERVE_OPTIONS);
  if (values.help) return null;
  if (values.name !== undefined && positionals.length > 1)
    throw new UsageError("tessera serve: --name needs exactly one model directory");
  const ui = values.ui === true;
  const dirs = positionals.length === 0 && !ui ? [KSERVE_MODEL_DIR] : positionals;
  return {
    models: dirs.map((dir) => (values.name === undefined ? { dir } : { dir, name: values.name })),
    host: values.host ?? (positionals.length === 0 && !ui ? "0.0.0.0" : "127.0.0.1"),
    port: intOption("serve", "port", values.port, 0) ?? 8080,
    maxBatchSize: intOption("serve", "max-batch-size", values["max-batch-size"]) ?? 64,
    maxWaitMs: intOption("serve", "max-wait-ms", values["max-wait-ms"], 0) ?? 0,
    workers: intOption("serve", "workers", values.workers) ?? 1,
    maxBodyBytes: intOption("serve", "max-body-bytes", values["max-body-bytes"]) ?? 8 * 1024 * 1024,
    bodyTimeoutMs: intOption("serve", "body-timeout-ms", values["body-timeout-ms"]) ?? 10_000,
    preload: values.import ?? [],
    ...(values.explain === true ? { explain: true } : {}),
    ...(ui ? { staticFiles: staticUi() } : {}),
    // Left out when not given: the server's own defaults apply.
    ...optional("maxBufferedBytes", intOption("serve", "max-buffered-bytes", values["max-buffered-bytes"])),
    ...optional("requestTimeoutMs", intOption("serve", "request-timeout-ms", values["request-timeout-ms"])),
    ...optional("drainTimeoutMs", intOption("serve", "drain-timeout-ms", values["drain-timeout-ms"], 0)),
  };
}

/** Resolves once the server has shut down (on SIGTERM/SIGINT); the exit code is 0. */
export async function serveCommand(args: readonly string[], io: Io): Promise<number> {
  const options = parseServeArgs(args);
  if (options === null) {
    io.out(SERVE_HELP);
    return 0;
  }
  // The signal handlers go in before the server starts: a SIGTERM while the port opens or the
  // models load must stop the server cleanly, not kill it (or, as PID 1 in a container, be ignored).
  let server: RunningServer | undefined;
  let stopping: string | undefined;
  let failed = false;
  let stopped: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const stop = (why: string) => {
    if (stopping !== undefined) return;
    stopping = why;
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
    io.err(`tessera serve: ${why}\n`);
    if (server !== undefined) void server.close().then(stopped);
  };
  const onTerm = () => stop("SIGTERM: draining in-flight requests");
  const onInt = () => stop("SIGINT: draining in-flight requests");
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  try {
    server = await startServer({ ...options, log: (line) => io.err(`${line}\n`) });
  } catch (error) {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
    throw error;
  }
  io.err(`tessera serve: listening on ${server.url}\n`);
  if (options.staticFiles !== undefined) io.err(`tessera serve: demo page at ${server.url}/ui/\n`);
  if (stopping !== undefined) void server.close().then(stopped);
  const running = server;
  running.ready.then(
    () => {
      if (stopping !== undefined) return;
      const urls = running.modelNames().map((n) => `${running.url}/v2/models/${n}`);
      io.err(`tessera serve: ready: ${urls.join(", ")}\n`);
    },
    (error: unknown) => {
      if (stopping !== undefined) return; // stopped while loading: the load was cut short on purpose
      failed = true;
      stop(`cannot serve: ${(error as Error).message}`);
    },
  );
  await done;
  io.err("tessera serve: stopped\n");
  return failed ? 1 : 0;
}
