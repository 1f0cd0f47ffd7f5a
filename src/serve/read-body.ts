// serve/read-body: reads one request body under three limits: its own size (413), the bytes the
// server may buffer at once per connection and in total (413 / 503, see connection-guard), and a
// stall timeout (408: no byte for `idleTimeoutMs`). A refused body closes its connection.
import type { IncomingMessage } from "node:http";
import { type BodyBudget, watchBody } from "./connection-guard.js";
import { HttpError } from "./http-util.js";

export interface BodyLimits {
  /** Largest body in bytes. */
  readonly maxBytes: number;
  /** Longest wait for the next bytes of a started body, ms. */
  readonly idleTimeoutMs: number;
  /** Shared budget of buffered bytes. */
  readonly budget: BodyBudget;
}

const CLOSE = { Connection: "close" } as const;

/** Reads the whole request body, or rejects with an HttpError naming the limit it broke. */
export function readBody(request: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const { maxBytes, idleTimeoutMs, budget } = limits;
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) {
    request.resume(); // drain so the connection can answer
    return Promise.reject(
      new HttpError(413, `request body of ${declared} bytes exceeds the ${maxBytes}-byte limit`),
    );
  }
  const socket = request.socket;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: HttpError | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unwatch();
      budget.release(socket, size);
      request.off("data", onData);
      if (error === undefined) {
        resolve(Buffer.concat(chunks, size));
        return;
      }
      chunks.length = 0;
      request.resume(); // discard whatever still arrives; the answer closes the connection
      reject(error);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          finish(
            new HttpError(
              408,
              `request body stalled: no data for ${idleTimeoutMs} ms (${size} bytes received)`,
              undefined,
              CLOSE,
            ),
          ),
        idleTimeoutMs,
      );
    };
    const onData = (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.length > maxBytes) {
        finish(new HttpError(413, `request body exceeds the ${maxBytes}-byte limit`, undefined, CLOSE));
        return;
      }
      const fits = budget.reserve(socket, chunk.length);
      if (fits === "connection") {
        finish(
          new HttpError(
            413,
            `request bodies buffered on this connection exceed ${budget.maxPerConnection} bytes`,
            undefined,
            CLOSE,
          ),
        );
        return;
      }
      if (fits === "server") {
        finish(
          new HttpError(503, "the server is buffering too many request bodies; retry shortly", undefined, {
            ...CLOSE,
            "Retry-After": "1",
          }),
        );
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
      arm();
    };
    const unwatch = watchBody(request, finish);
    request.on("data", onData);
    request.on("end", () => finish(undefined));
    request.on("error", (error) =>
      finish(new HttpError(400, `request body: ${error.message}`, undefined, CLOSE)),
    );
    request.on("close", () => {
      if (!request.complete)
        finish(new HttpError(400, "the connection closed before the body ended", undefined, CLOSE));
    });
    arm();
  });
}
