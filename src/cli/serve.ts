// cli/serve: `tessera serve [model-dir...]`: the inference server (serve/server.ts) with signal
// handling: SIGTERM or SIGINT stops accepting, finishes in-flight requests and exits 0.
import { KSERVE_MODEL_DIR, startServer } from "../serve/server.js";
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
  -h, --help            show this help

Example:
  tessera serve runs/house-prices/model --port 8080
  curl -s localhost:8080/v1/models/house-prices:predict -d '{"instances": [{"crim": 0.02, ...}]}'
`;

/** Resolves once the server has shut down (on SIGTERM/SIGINT); the exit code is 0. */
export async function serveCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("serve", args, {
    port: { type: "string" },
    host: { type: "string" },
    name: { type: "string" },
    "max-batch-size": { type: "string" },
    "max-wait-ms": { type: "string" },
    workers: { type: "string" },
    "max-body-bytes": { type: "string" },
  });
  if (values.help) {
    io.out(SERVE_HELP);
    return 0;
  }
  if (values.name !== undefined && positionals.length > 1)
    throw new UsageError("tessera serve: --name needs exactly one model directory");
  const dirs = positionals.length === 0 ? [KSERVE_MODEL_DIR] : positionals;
  const server = await startServer({
    models: dirs.map((dir) => (values.name === undefined ? { dir } : { dir, name: values.name })),
    host: values.host ?? (positionals.length === 0 ? "0.0.0.0" : "127.0.0.1"),
    port: intOption("serve", "port", values.port, 0) ?? 8080,
    maxBatchSize: intOption("serve", "max-batch-size", values["max-batch-size"]) ?? 64,
    maxWaitMs: intOption("serve", "max-wait-ms", values["max-wait-ms"], 0) ?? 0,
    workers: intOption("serve", "workers", values.workers) ?? 1,
    maxBodyBytes: intOption("serve", "max-body-bytes", values["max-body-bytes"]) ?? 8 * 1024 * 1024,
    log: (line) => io.err(`${line}\n`),
  });
  io.err(`tessera serve: listening on ${server.url}\n`);
  let failed = false;
  await new Promise<void>((resolve) => {
    const stop = (why: string) => {
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      io.err(`tessera serve: ${why}\n`);
      void server.close().then(resolve);
    };
    const onTerm = () => stop("SIGTERM: draining in-flight requests");
    const onInt = () => stop("SIGINT: draining in-flight requests");
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
    server.ready.then(
      () =>
        io.err(
          `tessera serve: ready: ${server
            .modelNames()
            .map((n) => `${server.url}/v2/models/${n}`)
            .join(", ")}\n`,
        ),
      (error: unknown) => {
        failed = true;
        stop(`cannot serve: ${(error as Error).message}`);
      },
    );
  });
  io.err("tessera serve: stopped\n");
  return failed ? 1 : 0;
}
