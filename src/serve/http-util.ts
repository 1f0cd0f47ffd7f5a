// serve/http-util: small node:http helpers for the inference server: an HTTP error type carrying
// the offending field, a percent-decoder for path segments, JSON parsing and JSON responses.
import type { ServerResponse } from "node:http";
import { TesseraError } from "../core/errors.js";

/**
 * An error answered with `status` and a JSON body {"error": message, "field"?: path}. A typed
 * Tessera error: the request codecs throw only this for bad input.
 */
export class HttpError extends TesseraError {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** A 400 naming the JSON path of the offending field, e.g. `inputs[0].shape`. */
export function badRequest(field: string, problem: string): HttpError {
  return new HttpError(400, `${field}: ${problem}`, field);
}

/** Decodes one percent-encoded path segment; malformed encoding (`%E0%A4%A`) is a 400 naming `field`. */
export function decodeSegment(segment: string, field: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `${field}: malformed percent-encoding in "${segment}"`, field);
  }
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
