// test/fuzz: the inference server's front door, raw bytes on a real loopback connection (after a
// valid request half the time). Properties: every connection gets answers or a close (never left
// hanging: short header, body, request and keep-alive timeouts here), no 5xx other than 503, the
// valid request first answered 200, and the server still serving after each case. A case costs
// about 20 ms (sockets, timeouts): give this file a smaller budget than the codec targets in a
// large run (`node scripts/fuzz.mjs --runs 20000 http-socket`).
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before } from "node:test";
import type { RunningServer } from "../../src/serve/server.js";
import { serveLinear } from "../e2e/fixtures/linear-server.js";
import { bytesFrom, fc, fuzzAsync } from "./harness.js";

let server: RunningServer;
before(async () => {
  // Short timeouts: a case whose bytes stop mid-request ends with a 408 soon.
  server = await serveLinear(
    { name: "lin", weights: [[1], [2]], bias: [0] },
    {
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
      bodyTimeoutMs: 200,
      keepAliveTimeoutMs: 200,
      maxBodyBytes: 4096,
    },
  );
});
after(() => server.close());

const VALID =
  'POST /v1/models/lin:predict HTTP/1.1\r\nHost: f\r\nConnection: close\r\nContent-Length: 24\r\n\r\n{"instances": [[1, 2]]}\n';

/**
 * Sends `bytes` and collects what comes back until the server closes the connection (an answer
 * with Connection: close, a protocol error, or a timeout: never left open). The client does not
 * half-close: Node's server treats a client's FIN as the end of the exchange and drops requests
 * still in progress, as most servers do.
 */
function exchange(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1", () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" ? undefined : reject(error),
    );
    socket.on("close", () => resolve(Buffer.concat(chunks)));
  });
}

fuzzAsync(
  "raw HTTP bytes on a real server: an answer or a close, no 5xx but 503, the server still serves",
  fc.tuple(
    fc.boolean(),
    bytesFrom("GETPOS /v12:\r\n HTTP/1.1Host:Content-Length:Transfer-Encoding: chunked0{}%", 200),
  ),
  async ([prefixed, junk]) => {
    const reply = await exchange(Buffer.concat([Buffer.from(prefixed ? VALID : ""), Buffer.from(junk)]));
    const statuses = [...reply.toString("latin1").matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    for (const status of statuses)
      assert.ok(status < 500 || status === 503, `status ${status}: ${reply.toString("latin1")}`);
    if (prefixed)
      assert.equal(statuses[0], 200, `the valid request first got ${reply.toString("latin1").slice(0, 200)}`);
    const health = await exchange(
      Buffer.from("GET /v2/health/live HTTP/1.1\r\nHost: f\r\nConnection: close\r\n\r\n"),
    );
    assert.match(health.toString("latin1"), /^HTTP\/1\.1 200 /);
  },
  { runs: 40 },
);
