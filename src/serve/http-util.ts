// serve/http-util: small node:http helpers for the inference server: an HTTP error type carrying
// the offending field, a size-limited body reader and JSON responses.
import type { IncomingMessage, ServerResponse } from "node:http";

/** An error answered with `status` and a JSON body {"error": message, "field"?: path}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** A 400 naming the JSON path of the offending field, e.g. `inputs[0].shape`. */
export function badRequest(field: string, problem: string): HttpError {
  return new HttpError(400, `${field}: ${problem}`, field);
}

/**
 * Reads the whole request body, refusing (413) anything over `limit` bytes, whether announced by
 * Content-Length or discovered while streaming.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    request.resume(); // drain so the connection can answer
    return Promise.reject(
      new HttpError(413, `request body of ${declared} bytes exceeds the ${limit}-byte limit`),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(
          new HttpError(413, `request body exceeds the ${limit}-byte limit`, undefined, {
            Connection: "close",
          }),
        );
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    request.on("error", (error) => {
      if (!failed) reject(error);
      failed = true;
    });
  });
}

/** Parses a JSON body, answering 400 with the parser's complaint when it is malformed. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new HttpError(400, "request body is empty (expected a JSON object)", "body");
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new HttpError(400, `malformed JSON: ${(error as Error).message}`, "body");
  }
}

/** Sends a JSON response. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Sends plain text (Prometheus exposition, errors before JSON is possible). */
export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain",
): void {
  response.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}

/** Plain object check for parsed JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
