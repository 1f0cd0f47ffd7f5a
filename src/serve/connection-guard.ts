// serve/connection-guard: what keeps one client from hurting the server or the other requests on
// its own connection.
//   - A budget of request-body bytes buffered at once, per connection (pipelined requests share
//     it) and over the whole server, so stalled or slow uploads cannot pile up memory.
//   - Per-connection bookkeeping of the responses still owed, so that a protocol error (junk after
//     a valid pipelined request, a header block over the limit, a request timeout) is answered
//     only after the responses owed before it, and the valid requests keep their answers.
//   - The answer to such an error: 400, 408 (timeout), 413 or 431 (header block too large), with a
//     JSON body like every other error of the server, and the connection closed.
import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { HttpError } from "./http-util.js";

/** Whether a chunk fits: "ok", or which limit it would break. */
export type Reservation = "ok" | "connection" | "server";

/** Request-body bytes buffered now, per connection and in total, against two caps. */
export class BodyBudget {
  private readonly perSocket = new WeakMap<Socket, number>();
  private total = 0;

  constructor(
    readonly maxPerConnection: number,
    readonly maxTotal: number,
  ) {}

  /** Bytes buffered now over all connections. */
  get buffered(): number {
    return this.total;
  }

  /** Takes `bytes` from both budgets, or nothing when either would overflow. */
  reserve(socket: Socket, bytes: number): Reservation {
    const mine = this.perSocket.get(socket) ?? 0;
    if (mine + bytes > this.maxPerConnection) return "connection";
    if (this.total + bytes > this.maxTotal) return "server";
    this.perSocket.set(socket, mine + bytes);
    this.total += bytes;
    return "ok";
  }

  /** Gives back up to `bytes` of what `socket` holds (never another connection's share). */
  release(socket: Socket, bytes: number): void {
    const mine = this.perSocket.get(socket) ?? 0;
    const freed = Math.min(mine, bytes);
    this.perSocket.set(socket, mine - freed);
    this.total -= freed;
  }
}

interface ConnectionState {
  /** Responses started on this connection and not yet closed. */
  open: number;
  /** The request whose body is being read on this connection now, and how to fail that read. */
  body: { readonly request: IncomingMessage; readonly fail: (error: HttpError) => void } | undefined;
  /** An error answer waiting for the responses owed before it. */
  deferred: (() => void) | undefined;
}

const states = new WeakMap<Socket, ConnectionState>();

function stateOf(socket: Socket): ConnectionState {
  let state = states.get(socket);
  if (state === undefined) {
    state = { open: 0, body: undefined, deferred: undefined };
    states.set(socket, state);
  }
  return state;
}

/** Counts a response as owed on its connection until it closes (call once per request). */
export function trackResponse(request: IncomingMessage, response: ServerResponse): void {
  const state = stateOf(request.socket);
  state.open++;
  response.once("close", () => {
    state.open--;
    if (state.open === 0 && state.deferred !== undefined) {
      const answer = state.deferred;
      state.deferred = undefined;
      answer();
    }
  });
}

/**
 * Registers the body being read on a connection, so a connection-level failure (a request timeout
 * Node detects, a malformed chunk) fails the read with `error` rather than leaving it waiting.
 * Returns the function that unregisters it.
 */
export function watchBody(request: IncomingMessage, fail: (error: HttpError) => void): () => void {
  const state = stateOf(request.socket);
  const body = { request, fail };
  state.body = body;
  return () => {
    if (state.body === body) state.body = undefined;
  };
}

/** Status and message for an error Node's HTTP parser or timers raised on a connection. */
export function clientErrorStatus(error: Error & { code?: string }): { status: number; message: string } {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return { status: 431, message: "request header fields too large" };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, message: "request timeout: the request did not arrive in time" };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return { status: 413, message: "chunk extensions too large" };
    default:
      return { status: 400, message: `bad request: ${error.message}` };
  }
}

function writeRaw(socket: Socket, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: message });
  const reason = STATUS_CODES[status] ?? "Error";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Answers protocol errors on `server`'s connections (Node's `clientError`): after the responses
 * already owed on the connection (bounded by `graceMs`), then closes it.
 */
export function guardClientErrors(server: Server, graceMs: number): void {
  server.on("clientError", (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, message } = clientErrorStatus(error);
    const state = stateOf(socket);
    if (state.body !== undefined && !state.body.request.complete) {
      // The error hit the body still arriving: its request answers, with Connection: close.
      state.body.fail(new HttpError(status, message, undefined, { Connection: "close" }));
      return;
    }
    if (state.open === 0) {
      writeRaw(socket, status, message);
      return;
    }
    if (state.deferred !== undefined) return;
    state.deferred = () => writeRaw(socket, status, message);
    setTimeout(() => socket.destroy(), graceMs).unref();
  });
}
