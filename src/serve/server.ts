// serve/server: the node:http inference server. Routes (ARCHITECTURE.md section 6):
//   Open Inference Protocol (KServe v2): GET /v2, GET /v2/health/live, GET /v2/health/ready,
//     GET /v2/models/{name}[/versions/{v}], GET .../ready, POST .../infer
//   TF-Serving REST: POST /v1/models/{name}[/versions/{v}]:predict, GET /v1/models/{name}
//   with the explain option: POST /v2/models/{name}/explain, POST /v1/models/{name}:explain
//   GET /metrics (Prometheus text)
//   with the staticFiles option (tessera serve --ui): the demo page under /ui/ (static-ui.ts)
// Requests are validated on the event loop, batched per model and run in worker threads.
// Connections are guarded (connection-guard, read-body): header and body timeouts, a budget of
// buffered body bytes, protocol errors answered after the valid pipelined requests before them.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, resolve } from "node:path";
import type { BackendName } from "../backend/registry.js";
import { VERSION } from "../core/version.js";
import { MicroBatcher } from "./batcher.js";
import { BodyBudget, guardClientErrors, trackResponse } from "./connection-guard.js";
import { encodeExplanation, readExplainRequest } from "./explain-route.js";
import { decodeSegment, HttpError, parseJsonBody, sendJson, sendText } from "./http-util.js";
import { decodeKServeRequest, encodeKServeResponse, kserveMetadata } from "./kserve-codec.js";
import { ServerMetrics } from "./metrics.js";
import { readBody } from "./read-body.js";
import { measureEventLoopLag, RuntimeMetrics } from "./runtime-metrics.js";
import type { BatchItem, ItemResult, ServingSignature } from "./servable.js";
import { KSERVE_MODEL_DIR, type ModelSource, preloadUrl, type ServerOptions } from "./server-options.js";
import { answerStatic } from "./static-ui.js";
import { decodeTfServingRequest, encodeTfServingResponse } from "./tfserving-codec.js";
import { DEFAULT_LOADER_URL, WorkerPool } from "./worker-pool.js";

export { KSERVE_MODEL_DIR, type ModelSource, type ServerOptions } from "./server-options.js";

interface ServedModel {
  readonly source: ModelSource;
  name: string;
  readonly pool: WorkerPool;
  readonly batcher: MicroBatcher;
  signature: ServingSignature | undefined;
  loadError: string | undefined;
}

// NOTE: no node:http type appears here, so the package's root types need no @types/node.
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly metrics: ServerMetrics;
  /** Resolves when every model has loaded; rejects if one fails. */
  readonly ready: Promise<void>;
  /** Names the models are served under (known once loaded). */
  modelNames(): string[];
  /** The backend each model's workers run on, by model name (undefined until loaded). */
  backends(): Record<string, BackendName | undefined>;
  /** Graceful shutdown: stop accepting, finish in-flight requests, stop the workers. */
  close(): Promise<void>;
}

type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  match: RegExpExecArray,
) => Promise<void> | void;
interface Route {
  readonly template: string;
  readonly pattern: RegExp;
  readonly methods: Readonly<Record<string, Handler>>;
}

const NAME = "([^/:]+)";
const VERSION_PART = "(?:/versions/([^/:]+))?";

/** A model URL's name and optional version (NAME and VERSION_PART), percent-decoded (a 400 when malformed). */
function modelPath(match: RegExpExecArray): { name: string; version: string | undefined } {
  const version = match[2];
  return {
    name: decodeSegment(match[1]!, "name"),
    version: version === undefined ? undefined : decodeSegment(version, "version"),
  };
}

/**
 * Starts the server; resolves once it listens (models keep loading; readiness answers 503 until
 * they are in). SIGTERM/SIGINT handling is left to the caller (the CLI), see `close()`.
 * @example
 * const server = await startServer({ models: [{ dir: "runs/house-prices/model" }], port: 8080 });
 * await server.ready;
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const sources = options.models ?? [{ dir: KSERVE_MODEL_DIR }];
  const host = options.host ?? (options.models === undefined ? "0.0.0.0" : "127.0.0.1");
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const log = options.log ?? (() => {});
  const metrics = new ServerMetrics();
  const runtime = new RuntimeMetrics();
  const budget = new BodyBudget(
    maxBodyBytes,
    options.maxBufferedBytes ?? Math.max(64 * 1024 * 1024, 2 * maxBodyBytes),
  );
  const bodyLimits = { maxBytes: maxBodyBytes, idleTimeoutMs: options.bodyTimeoutMs ?? 10_000, budget };
  const preload = (options.preload ?? []).map(preloadUrl);
  let draining = false;
  let inflight = 0;
  let inflightZero: (() => void) | undefined;

  const models: ServedModel[] = sources.map((source) => {
    let model: ServedModel | undefined;
    const pool = new WorkerPool(
      resolve(source.dir),
      options.loaderUrl ?? DEFAULT_LOADER_URL,
      options.workers ?? 1,
      {
        onIdle: () => model?.batcher.pump(),
        onInference: (ms, replays) => metrics.recordInference(model?.name ?? "", ms, replays),
        onCrash: (message) => log(`model ${model?.name}: worker stopped (${message}); restarting it`),
      },
      preload,
    );
    const batcher = new MicroBatcher(
      { maxBatchSize: options.maxBatchSize ?? 64, maxWaitMs: options.maxWaitMs ?? 0 },
      pool,
      (rows, requests) => {
        metrics.batchSize.observe(rows, { model: model?.name ?? "" });
        metrics.batchRequests.observe(requests, { model: model?.name ?? "" });
      },
    );
    model = {
      source,
      name: source.name ?? basename(resolve(source.dir)),
      pool,
      batcher,
      signature: undefined,
      loadError: undefined,
    };
    return model;
  });

  const findModel = (match: RegExpExecArray): ServedModel & { signature: ServingSignature } => {
    const { name, version } = modelPath(match);
    const model = models.find((m) => m.name === name);
    if (model === undefined) throw new HttpError(404, `unknown model "${name}"`, "name");
    if (model.signature === undefined) {
      throw new HttpError(
        503,
        model.loadError === undefined ? `model "${name}" is loading` : `model "${name}" failed to load`,
      );
    }
    if (version !== undefined && version !== model.signature.version) {
      throw new HttpError(
        404,
        `model "${name}" has no version "${version}" (serving "${model.signature.version}")`,
        "version",
      );
    }
    return model as ServedModel & { signature: ServingSignature };
  };

  const infer = async (model: ServedModel, item: BatchItem): Promise<ItemResult & { ok: true }> => {
    metrics.queuedRows.add(item.rows, { model: model.name });
    const result = await model.batcher.submit(item);
    metrics.queuedRows.set(model.batcher.queuedRows, { model: model.name });
    if (!result.ok) throw new HttpError(result.status, result.message);
    return result;
  };

  // /explain is off unless asked for: attributions cost a backward pass per integration step.
  const explainable = (match: RegExpExecArray) => {
    if (options.explain !== true)
      throw new HttpError(
        404,
        "explanations are off; start the server with --explain (option explain: true)",
        "path",
      );
    return findModel(match);
  };

  const allReady = () => !draining && models.every((m) => m.signature !== undefined && m.pool.ready);

  const routes: Route[] = [
    {
      template: "/v2/health/live",
      pattern: /^\/v2\/health\/live$/,
      methods: { GET: (_q, r) => sendJson(r, 200, { live: true }) },
    },
    {
      template: "/v2/health/ready",
      pattern: /^\/v2\/health\/ready$/,
      methods: { GET: (_q, r) => sendJson(r, allReady() ? 200 : 503, { ready: allReady() }) },
    },
    {
      template: "/v2",
      pattern: /^\/v2\/?$/,
      methods: { GET: (_q, r) => sendJson(r, 200, { name: "tessera", version: VERSION, extensions: [] }) },
    },
    {
      template: "/v2/models/{name}/ready",
      pattern: new RegExp(`^/v2/models/${NAME}${VERSION_PART}/ready$`),
      methods: {
        GET: (_q, r, m) => {
          const name = decodeSegment(m[1]!, "name");
          const model = models.find((x) => x.name === name);
          if (model === undefined) throw new HttpError(404, `unknown model "${name}"`, "name");
          const ready = !draining && model.signature !== undefined && model.pool.ready;
          sendJson(r, ready ? 200 : 503, { name: model.name, ready });
        },
      },
    },
    {
      template: "/v2/models/{name}",
      pattern: new RegExp(`^/v2/models/${NAME}${VERSION_PART}$`),
      methods: {
        GET: (_q, r, m) => sendJson(r, 200, kserveMetadata(renamed(findModel(m)))),
      },
    },
    {
      template: "/v2/models/{name}/infer",
      pattern: new RegExp(`^/v2/models/${NAME}${VERSION_PART}/infer$`),
      methods: {
        POST: async (q, r, m) => {
          const model = findModel(m);
          const request = decodeKServeRequest(parseJsonBody(await readBody(q, bodyLimits)), model.signature);
          const result = await infer(model, request.item);
          sendJson(r, 200, encodeKServeResponse(renamed(model), request, result.outputs));
        },
      },
    },
    {
      template: "/v1/models/{name}:predict",
      pattern: new RegExp(`^/v1/models/${NAME}${VERSION_PART}:predict$`),
      methods: {
        POST: async (q, r, m) => {
          const model = findModel(m);
          const item = decodeTfServingRequest(parseJsonBody(await readBody(q, bodyLimits)), model.signature);
          const result = await infer(model, item);
          sendJson(r, 200, encodeTfServingResponse(model.signature, item.rows, result.outputs));
        },
      },
    },
    {
      template: "/v2/models/{name}/explain",
      pattern: new RegExp(`^/v2/models/${NAME}${VERSION_PART}/explain$`),
      methods: {
        POST: async (q, r, m) => {
          const model = explainable(m);
          const body = parseJsonBody(await readBody(q, bodyLimits));
          const explain = readExplainRequest(body);
          const request = decodeKServeRequest(body, model.signature);
          const result = await infer(model, { ...request.item, explain });
          sendJson(
            r,
            200,
            encodeExplanation(renamed(model), request.id, explain, request.item.rows, result.outputs),
          );
        },
      },
    },
    {
      template: "/v1/models/{name}:explain",
      pattern: new RegExp(`^/v1/models/${NAME}${VERSION_PART}:explain$`),
      methods: {
        POST: async (q, r, m) => {
          const model = explainable(m);
          const body = parseJsonBody(await readBody(q, bodyLimits));
          const explain = readExplainRequest(body);
          const item = decodeTfServingRequest(body, model.signature);
          const result = await infer(model, { ...item, explain });
          sendJson(r, 200, encodeExplanation(renamed(model), undefined, explain, item.rows, result.outputs));
        },
      },
    },
    {
      template: "/v1/models/{name}",
      pattern: new RegExp(`^/v1/models/${NAME}${VERSION_PART}$`),
      methods: {
        GET: (_q, r, m) => {
          const model = findModel(m);
          sendJson(r, 200, {
            model_version_status: [
              {
                version: model.signature.version,
                state: "AVAILABLE",
                status: { error_code: "OK", error_message: "" },
              },
            ],
          });
        },
      },
    },
    {
      template: "/metrics",
      pattern: /^\/metrics$/,
      methods: {
        GET: async (_q, r) => {
          metrics.bufferedBodyBytes.set(budget.buffered);
          const lag = await measureEventLoopLag();
          const text = metrics.render() + runtime.render(lag);
          sendText(r, 200, text, "text/plain; version=0.0.4; charset=utf-8");
        },
      },
    },
  ];

  const servedDirs = () => models.map((m) => ({ name: m.name, dir: resolve(m.source.dir) }));

  const renamed = (model: ServedModel & { signature: ServingSignature }): ServingSignature => ({
    ...model.signature,
    name: model.name,
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    const path = (request.url ?? "/").split("?")[0]!;
    const method = request.method ?? "GET";
    const route = routes.find((r) => r.pattern.test(path));
    const template = route?.template ?? "other";
    inflight++;
    metrics.inflight.set(inflight);
    trackResponse(request, response);
    response.on("close", () => {
      metrics.requests.inc({ route: template, method, code: String(response.statusCode) });
      metrics.latency.observe((performance.now() - started) / 1000, { route: template });
      inflight--;
      metrics.inflight.set(inflight);
      if (inflight === 0) inflightZero?.();
    });
    try {
      if (draining) response.setHeader("Connection", "close");
      if (route === undefined) {
        // `tessera serve --ui`: the demo page's files (static-ui.ts)
        if (await answerStatic(options.staticFiles, method, path, servedDirs, response)) return;
        throw new HttpError(404, `no route for ${path}`, "path");
      }
      const match = route.pattern.exec(path)!;
      const handler = route.methods[method === "HEAD" ? "GET" : method];
      if (handler === undefined) {
        const allow = Object.keys(route.methods).join(", ");
        throw new HttpError(
          405,
          `${method} is not allowed on ${route.template} (allowed: ${allow})`,
          "method",
          { Allow: allow },
        );
      }
      await handler(request, response, match);
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (status === 500) log(`error on ${method} ${path}: ${message}`);
      const body = {
        error: message,
        ...(error instanceof HttpError && error.field !== undefined ? { field: error.field } : {}),
      };
      const headers = error instanceof HttpError ? error.headers : {};
      sendJson(response, status, body, headers);
      if (status === 413) request.resume();
    }
  };

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 60_000, headersTimeout);
  const server = createServer(
    {
      keepAlive: true,
      headersTimeout,
      requestTimeout,
      maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 5000,
      // How often Node checks the two timeouts: often enough that they hold to about a second.
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(headersTimeout / 4))),
    },
    (request, response) => {
      void handle(request, response);
    },
  );
  guardClientErrors(server, options.drainTimeoutMs ?? 30_000);

  await new Promise<void>((ok, fail) => {
    server.once("error", (error) => {
      runtime.stop(); // nothing else started yet: the workers start once the port is open
      fail(error);
    });
    server.listen(options.port ?? 8080, host, () => {
      server.removeAllListeners("error");
      ok();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;

  const ready = Promise.all(
    models.map(async (model) => {
      const started = performance.now();
      try {
        const signature = await model.pool.start();
        model.signature = signature;
        if (model.source.name === undefined) model.name = signature.name || model.name;
        metrics.loadSeconds.set((performance.now() - started) / 1000, { model: model.name });
        const backend = model.pool.backend ?? "unknown";
        metrics.backend.set(1, { model: model.name, backend });
        log(
          `model ${model.name} (version ${signature.version}) loaded from ${model.source.dir} in ${Math.round(performance.now() - started)} ms (backend ${backend})`,
        );
      } catch (error) {
        model.loadError = error instanceof Error ? error.message : String(error);
        log(`model from ${model.source.dir} failed to load: ${model.loadError}`);
        throw new Error(`${model.source.dir}: ${model.loadError}`);
      }
    }),
  ).then(() => {
    const names = models.map((m) => m.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined)
      throw new Error(`two models are named "${duplicate}"; give them distinct names`);
  });
  ready.catch(() => {}); // callers observe it; an unobserved failure must not crash the process

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      const stopped = new Promise<void>((ok) => server.close(() => ok()));
      server.closeIdleConnections();
      const timeout = options.drainTimeoutMs ?? 30_000;
      if (inflight > 0) {
        await new Promise<void>((ok) => {
          inflightZero = ok;
          setTimeout(ok, timeout).unref();
        });
      }
      server.closeAllConnections();
      await stopped;
      await Promise.all(models.map((m) => m.pool.close()));
      runtime.stop();
    })();
    return closing;
  };

  return {
    url,
    port: address.port,
    metrics,
    ready,
    modelNames: () => models.map((m) => m.name),
    backends: () => Object.fromEntries(models.map((m) => [m.name, m.pool.backend])),
    close,
  };
}
