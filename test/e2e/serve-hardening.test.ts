// The server's connection-level defences, each reproducing a finding of issue 12 on a real loopback
// server with raw sockets: stalled bodies (timeout, buffered-bytes cap), junk after a valid
// pipelined request, malformed percent-encoding in a path segment, an oversized header block, a
// slow header block and a trickled body past the request timeout.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import type { RunningServer, ServerOptions } from "../../src/serve/server.js";
import { until } from "../helpers/until.js";
import { call } from "./fixtures/http-client.js";
import { serveLinear } from "./fixtures/linear-server.js";

const serve = (options: Partial<ServerOptions> = {}) =>
  serveLinear({ name: "lin", weights: [[1], [2]], bias: [0.5] }, options);

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits the bytes a server sent on one connection into responses (Content-Length bodies). */
function parseResponses(bytes: Buffer): RawResponse[] {
  const out: RawResponse[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf("\r\n\r\n", at);
    assert.ok(end >= 0, `incomplete response head: ${JSON.stringify(bytes.subarray(at).toString())}`);
    const [statusLine, ...lines] = bytes.subarray(at, end).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine!)?.[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    out.push({ status, headers, body: bytes.subarray(end + 4, end + 4 + length).toString("utf8") });
    at = end + 4 + length;
  }
  return out;
}

/** Opens a raw connection to `server`. */
function open(server: RunningServer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1", () => resolve(socket));
    socket.on("error", reject);
  });
}

/** Everything the server sends until it closes the connection. */
function collect(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on("data", (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => socket.on("close", () => resolve(Buffer.concat(chunks))));
}

const head = (path: string, length: number) =>
  `POST ${path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

async function metric(server: RunningServer, name: string): Promise<number> {
  const text = (await call(`${server.url}/metrics`)).text;
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  assert.ok(line !== undefined, `${name} missing from /metrics`);
  return Number(line.split(" ")[1]);
}

describe("server hardening: stalled bodies", () => {
  let server: RunningServer;
  before(async () => {
    server = await serve({ maxBodyBytes: 1_000_000, maxBufferedBytes: 2_000_000, bodyTimeoutMs: 400 });
  });
  after(() => server.close());

  test("stalled bodies are capped in total (503 past the cap) and time out with 408", async () => {
    const sockets = [await open(server), await open(server)];
    const replies = sockets.map(collect);
    // Two bodies announced at 1,000,000 bytes, 900,000 sent, then nothing.
    for (const socket of sockets)
      socket.write(head("/v1/models/lin:predict", 1_000_000) + " ".repeat(900_000));
    await until(
      async () => (await metric(server, "tessera_buffered_body_bytes")) === 1_800_000,
      "1.8 MB buffered",
      25,
    );
    // A third stalled upload would pass the 2,000,000-byte budget: refused now, not buffered.
    const third = await open(server);
    const thirdReply = collect(third);
    third.write(head("/v1/models/lin:predict", 1_000_000) + " ".repeat(900_000));
    const [refused] = parseResponses(await thirdReply);
    assert.equal(refused!.status, 503);
    assert.equal(refused!.headers["retry-after"], "1");
    assert.match(JSON.parse(refused!.body).error, /buffering too many request bodies/);
    assert.equal(await metric(server, "tessera_buffered_body_bytes"), 1_800_000);
    // The stalled two: 408 with a JSON error, connection closed, memory given back.
    for (const reply of replies) {
      const [timedOut, ...rest] = parseResponses(await reply);
      assert.equal(timedOut!.status, 408);
      assert.equal(timedOut!.headers.connection, "close");
      assert.match(JSON.parse(timedOut!.body).error, /stalled: no data for 400 ms \(900000 bytes received\)/);
      assert.equal(rest.length, 0);
    }
    assert.equal(await metric(server, "tessera_buffered_body_bytes"), 0);
    // The server still serves.
    const ok = await call(`${server.url}/v1/models/lin:predict`, "POST", { instances: [[1, 1]] });
    assert.deepEqual(ok.json, { predictions: [[3.5]] });
  });
});

describe("server hardening: protocol errors", () => {
  let server: RunningServer;
  before(async () => {
    server = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600, maxHeaderBytes: 4096 });
  });
  after(() => server.close());

  test("valid pipelined requests keep their responses when junk follows on the socket", async () => {
    const socket = await open(server);
    const reply = collect(socket);
    const body = JSON.stringify({
      instances: [
        [1, 2],
        [0, 0],
      ],
    });
    socket.write(
      `${head("/v1/models/lin:predict", Buffer.byteLength(body))}${body}` +
        "GET /v2/health/live HTTP/1.1\r\nHost: t\r\n\r\n" +
        "\u0000\u0001 this is not HTTP\r\n\r\n",
    );
    const responses = parseResponses(await reply);
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200, 400],
    );
    assert.deepEqual(JSON.parse(responses[0]!.body), { predictions: [[5.5], [0.5]] });
    assert.deepEqual(JSON.parse(responses[1]!.body), { live: true });
    assert.match(JSON.parse(responses[2]!.body).error, /^bad request: /);
    assert.equal(responses[2]!.headers.connection, "close");
  });

  test("malformed percent-encoding in a model name or version is a 400 with a JSON error", async () => {
    for (const [method, path, field] of [
      ["GET", "/v2/models/%E0%A4%A", "name"],
      ["GET", "/v2/models/%ZZ/ready", "name"],
      ["POST", "/v2/models/lin%/infer", "name"],
      ["POST", "/v1/models/%C3%28:predict", "name"],
      ["GET", "/v2/models/lin/versions/%E2%82", "version"],
    ] as const) {
      const reply = await call(
        `${server.url}${path}`,
        method,
        method === "POST" ? { inputs: [] } : undefined,
      );
      assert.equal(reply.status, 400, `${method} ${path}: ${reply.text}`);
      const json = reply.json as { error: string; field: string };
      assert.equal(json.field, field);
      assert.match(json.error, /malformed percent-encoding/);
    }
    // Well-formed encoding still finds the model.
    assert.equal((await call(`${server.url}/v2/models/%6C%69%6E`)).status, 200);
  });

  test("a header block over the limit is answered 431", async () => {
    const socket = await open(server);
    const reply = collect(socket);
    socket.write(`GET /v2/health/live HTTP/1.1\r\nHost: t\r\nX-Big: ${"a".repeat(8000)}\r\n\r\n`);
    const [response] = parseResponses(await reply);
    assert.equal(response!.status, 431);
    assert.match(JSON.parse(response!.body).error, /header fields too large/);
  });

  test("a header block that stops arriving is answered 408 and closed", async () => {
    const socket = await open(server);
    const reply = collect(socket);
    socket.write("GET /v2/health/live HTTP/1.1\r\nHost: t\r\n");
    const [response] = parseResponses(await reply);
    assert.equal(response!.status, 408);
    assert.match(JSON.parse(response!.body).error, /request timeout/);
  });

  test("a body trickled past the request timeout is answered 408 by its request", async () => {
    const socket = await open(server);
    const reply = collect(socket);
    socket.write(head("/v1/models/lin:predict", 1000));
    const trickle = setInterval(() => socket.writable && socket.write(" "), 50);
    const [response, ...rest] = parseResponses(await reply);
    clearInterval(trickle);
    assert.equal(response!.status, 408);
    assert.equal(response!.headers.connection, "close");
    assert.equal(rest.length, 0);
  });
});
