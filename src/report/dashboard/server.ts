// report/dashboard/server: the dashboard's HTTP server (node:http, loopback by default): the page,
// its script and the Vega/Vega-Lite browser builds (from node_modules, so nothing comes from the
// network), a server-sent-events stream that first replays the current run then sends every new
// message, and the run folders to compare. A closed or stalled connection is dropped from the
// client set at once, so nothing piles up for it. Layer: report.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../core/errors.js";
import { compareRuns, learningCurves } from "../plots-training.js";
import { type DashboardMessage, ReplayLog } from "./messages.js";
import { DASHBOARD_SCRIPT, dashboardPage } from "./page.js";
import { listRuns, readRunHistory } from "./runs.js";

export interface DashboardServerOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Interface to listen on (default "127.0.0.1": this machine only). */
  host?: string;
  /** A folder of run folders (each with history.json) to compare side by side. */
  runsDir?: string;
  /** Seconds between keep-alive comments on idle streams (default 15). */
  heartbeatSeconds?: number;
}

/** The page's URL on an interface and port. */
export function pageUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}

/** Bytes a stream may have queued before the client is considered stalled and dropped. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

const VENDOR: Record<string, () => string> = {
  "/vendor/vega.js": () => join(dirname(fileURLToPath(import.meta.resolve("vega"))), "vega.min.js"),
  "/vendor/vega-lite.js": () =>
    join(dirname(fileURLToPath(import.meta.resolve("vega-lite"))), "vega-lite.min.js"),
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(body);
}

/** The dashboard server; `publish` sends a message to every open page and to the replay log. */
export class DashboardServer {
  readonly options: DashboardServerOptions;
  private readonly log = new ReplayLog();
  private readonly clients = new Set<ServerResponse>();
  private server: Server | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Streams dropped because the client stalled. */
  droppedStalled = 0;

  constructor(options: DashboardServerOptions = {}) {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigError(
        `dashboard: port must be an integer from 0 to 65535 (got ${String(options.port)})`,
      );
    }
    this.options = options;
  }

  /** Open event streams right now. */
  get clientCount(): number {
    return this.clients.size;
  }

  /** Starts listening; resolves to the page's URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent)
          send(res, 500, "text/plain; charset=utf-8", `dashboard: ${(error as Error).message}\n`);
        else res.destroy();
      });
    });
    this.server = server;
    const host = this.options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, host, () => resolve());
    });
    this.heartbeat = setInterval(
      () => this.broadcastRaw(": ping\n\n"),
      (this.options.heartbeatSeconds ?? 15) * 1000,
    );
    this.heartbeat.unref();
    return pageUrl(host, (server.address() as AddressInfo).port);
  }

  /** Records a message for replay and streams it to every open page. */
  publish(message: DashboardMessage): void {
    this.log.add(message);
    this.broadcastRaw(`data: ${JSON.stringify(message)}\n\n`);
  }

  /** Ends every stream and stops listening. */
  async close(): Promise<void> {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private broadcastRaw(chunk: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_QUEUED_BYTES) {
        // A page that stopped reading: drop it rather than queue without bound.
        this.droppedStalled++;
        this.clients.delete(res);
        res.destroy();
        continue;
      }
      res.write(chunk);
    }
  }

  private openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 1000\n\n");
    for (const message of this.log.replay()) res.write(`data: ${JSON.stringify(message)}\n\n`);
    this.clients.add(res);
    const drop = (): void => {
      this.clients.delete(res);
    };
    req.on("close", drop);
    res.on("close", drop);
    res.on("error", drop);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://dashboard");
    if (req.method !== "GET") return send(res, 405, "text/plain; charset=utf-8", "dashboard: GET only\n");
    const path = url.pathname;
    if (path === "/")
      return send(res, 200, "text/html; charset=utf-8", dashboardPage(this.options.runsDir !== undefined));
    if (path === "/dashboard.js") return send(res, 200, "text/javascript; charset=utf-8", DASHBOARD_SCRIPT);
    if (path === "/events") return this.openStream(req, res);
    if (path === "/favicon.ico") {
      res.writeHead(204);
      return void res.end();
    }
    if (path === "/api/status") {
      return send(
        res,
        200,
        "application/json",
        JSON.stringify({ clients: this.clients.size, droppedStalled: this.droppedStalled }),
      );
    }
    const vendor = VENDOR[path];
    if (vendor !== undefined)
      return send(res, 200, "text/javascript; charset=utf-8", await readFile(vendor()));
    const runsDir = this.options.runsDir;
    if (path === "/api/runs")
      return send(
        res,
        200,
        "application/json",
        JSON.stringify(runsDir === undefined ? [] : await listRuns(runsDir)),
      );
    if (path === "/api/compare.svg" && runsDir !== undefined) {
      const known = await listRuns(runsDir);
      const names = (url.searchParams.get("runs") ?? "").split(",").filter((name) => known.includes(name));
      if (names.length === 0) return send(res, 404, "text/plain; charset=utf-8", "dashboard: no such runs\n");
      const histories = Object.fromEntries(
        await Promise.all(names.map(async (name) => [name, await readRunHistory(runsDir, name)] as const)),
      );
      return send(res, 200, "image/svg+xml", await compareRuns(histories, { width: 240, height: 160 }));
    }
    const curves = /^\/api\/runs\/([^/]+)\/curves\.svg$/.exec(path);
    if (curves !== null && runsDir !== undefined) {
      const name = decodeURIComponent(curves[1]!);
      if (!(await listRuns(runsDir)).includes(name))
        return send(res, 404, "text/plain; charset=utf-8", `dashboard: no run ${name}\n`);
      const svg = await learningCurves(await readRunHistory(runsDir, name), {
        title: name,
        width: 220,
        height: 150,
        columns: 2,
      });
      return send(res, 200, "image/svg+xml", svg);
    }
    send(res, 404, "text/plain; charset=utf-8", `dashboard: no page ${path}\n`);
  }
}
