// End-to-end tests of the inference server on 127.0.0.1 with a test-only linear servable (the
// real-model tests live in test/e2e once models can be trained and saved).
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { call } from "../../test/e2e/fixtures/http-client.js";
import { type RunningServer, startServer } from "./server.js";

const LOADER = pathToFileURL(join(import.meta.dirname, "../../test/e2e/fixtures/linear-servable.ts")).href;

// y = x W + b with W = [[1, 2], [3, 4], [5, 6]], b = [0.5, -1]: hand-checkable outputs.
const WEIGHTS = [
  [1, 2],
  [3, 4],
  [5, 6],
];
const BIAS = [0.5, -1];
const expected = (x: number[]) =>
  [0, 1].map((o) => BIAS[o]! + x.reduce((s, v, f) => s + v * WEIGHTS[f]![o]!, 0));

function modelDir(extra: object = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "tessera-serve-"));
  writeFileSync(
    join(dir, "linear.json"),
    JSON.stringify({ name: "lin", weights: WEIGHTS, bias: BIAS, columns: ["a", "b", "c"], ...extra }),
  );
  return dir;
}

async function serve(extra: object = {}, options: object = {}): Promise<RunningServer> {
  const server = await startServer({
    models: [{ dir: modelDir(extra) }],
    port: 0,
    loaderUrl: LOADER,
    ...options,
  });
  await server.ready;
  return server;
}

describe("server: protocol shapes", () => {
  let server: RunningServer;
  before(async () => {
    server = await serve({}, { maxBodyBytes: 2000 });
  });
  after(() => server.close());

  test("health, server metadata and model metadata", async () => {
    assert.deepEqual((await call(`${server.url}/v2/health/live`)).json, { live: true });
    const ready = await call(`${server.url}/v2/health/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json, { ready: true });
    const meta = (await call(`${server.url}/v2`)).json as { name: string; extensions: unknown[] };
    assert.equal(meta.name, "tessera");
    assert.deepEqual((await call(`${server.url}/v2/models/lin`)).json, {
      name: "lin",
      versions: ["1"],
      platform: "tessera",
      inputs: [{ name: "input", datatype: "FP32", shape: [-1, 3] }],
      outputs: [{ name: "output", datatype: "FP32", shape: [-1, 2] }],
      parameters: {
        columns: [
          { name: "a", datatype: "FP64" },
          { name: "b", datatype: "FP64" },
          { name: "c", datatype: "FP64" },
        ],
      },
    });
    assert.equal((await call(`${server.url}/v2/models/lin/ready`)).status, 200);
    assert.equal((await call(`${server.url}/v1/models/lin`)).status, 200);
  });

  test("KServe v2 infer with a tensor input (flat and nested data)", async () => {
    for (const data of [
      [1, 0, 0, 0.5, 1, -2],
      [
        [1, 0, 0],
        [0.5, 1, -2],
      ],
    ]) {
      const reply = await call(`${server.url}/v2/models/lin/infer`, "POST", {
        id: "req-7",
        inputs: [{ name: "input", shape: [2, 3], datatype: "FP32", data }],
      });
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(reply.json, {
        model_name: "lin",
        model_version: "1",
        id: "req-7",
        outputs: [
          {
            name: "output",
            datatype: "FP32",
            shape: [2, 2],
            data: [...expected([1, 0, 0]), ...expected([0.5, 1, -2])],
          },
        ],
      });
    }
  });

  test("KServe v2 infer with one input per raw column", async () => {
    const reply = await call(`${server.url}/v2/models/lin/versions/1/infer`, "POST", {
      inputs: [
        { name: "c", shape: [2], datatype: "FP64", data: [3, 0] },
        { name: "a", shape: [2, 1], datatype: "FP32", data: [1, 2] },
        { name: "b", shape: [2], datatype: "INT32", data: [2, 0] },
      ],
    });
    assert.equal(reply.status, 200, reply.text);
    const out = (reply.json as { outputs: { data: number[] }[] }).outputs[0]!.data;
    assert.deepEqual(out, [...expected([1, 2, 3]), ...expected([2, 0, 0])]);
  });

  test("TF-Serving predict with numeric rows and with raw records", async () => {
    const rows = await call(`${server.url}/v1/models/lin:predict`, "POST", {
      instances: [
        [1, 1, 1],
        [0, 0, 2],
      ],
    });
    assert.equal(rows.status, 200, rows.text);
    assert.deepEqual(rows.json, { predictions: [expected([1, 1, 1]), expected([0, 0, 2])] });
    const records = await call(`${server.url}/v1/models/lin:predict`, "POST", {
      instances: [{ a: 1, b: 2, c: 3, extra: "ignored" }],
    });
    assert.equal(records.status, 200, records.text);
    assert.deepEqual(records.json, { predictions: [expected([1, 2, 3])] });
  });

  test("malformed requests get 400 naming the field", async () => {
    const cases: [string, string | object, string, RegExp][] = [
      ["/v2/models/lin/infer", "{not json", "body", /malformed JSON/],
      ["/v2/models/lin/infer", { inputs: [] }, "inputs", /non-empty array/],
      [
        "/v2/models/lin/infer",
        { inputs: [{ name: "input", shape: [1, 2], datatype: "FP32", data: [1, 2] }] },
        "inputs[0].shape",
        /expected shape \[-1, 3\]/,
      ],
      [
        "/v2/models/lin/infer",
        { inputs: [{ name: "input", shape: [1, 3], datatype: "FP32", data: [1, "x", 2] }] },
        "inputs[0].data[1]",
        /expected a number/,
      ],
      [
        "/v2/models/lin/infer",
        { inputs: [{ name: "input", shape: [1, 3], datatype: "FP32", data: [1, 2] }] },
        "inputs[0].data",
        /needs 3 values \(got 2\)/,
      ],
      [
        "/v2/models/lin/infer",
        { inputs: [{ name: "input", shape: [1, 3], datatype: "FLOAT", data: [1, 2, 3] }] },
        "inputs[0].datatype",
        /unknown datatype/,
      ],
      [
        "/v2/models/lin/infer",
        { inputs: [{ name: "input", shape: [1, 3], datatype: "BOOL", data: [true, false, true] }] },
        "inputs[0].data",
        /got datatype BOOL/,
      ],
      [
        "/v2/models/lin/infer",
        { inputs: [{ name: "a", shape: [1], datatype: "FP32", data: [1] }] },
        "inputs",
        /missing column "b"/,
      ],
      [
        "/v2/models/lin/infer",
        {
          inputs: [{ name: "input", shape: [1, 3], datatype: "FP32", data: [1, 2, 3] }],
          outputs: [{ name: "nope" }],
        },
        "outputs[0].name",
        /unknown output "nope"/,
      ],
      ["/v1/models/lin:predict", { rows: [] }, "instances", /missing/],
      ["/v1/models/lin:predict", { instances: [[1, 2]] }, "instances[0]", /expected a row of shape \[3\]/],
      [
        "/v1/models/lin:predict",
        {
          instances: [
            [1, 2, 3],
            [1, [2], 3],
          ],
        },
        "instances[1][1]",
        /ragged/,
      ],
      [
        "/v1/models/lin:predict",
        { instances: [{ a: 1, b: "2", c: 3 }] },
        "instances[0].b",
        /expected a number or null \(got "2"\)/,
      ],
      ["/v1/models/lin:predict", { instances: [{ a: 1, c: 3 }] }, "instances[0].b", /missing column/],
    ];
    for (const [path, body, field, message] of cases) {
      const reply = await call(`${server.url}${path}`, "POST", body);
      assert.equal(reply.status, 400, `${JSON.stringify(body)} -> ${reply.text}`);
      const error = reply.json as { error: string; field: string };
      assert.equal(error.field, field, reply.text);
      assert.match(error.error, message);
    }
  });

  test("unknown model 404, wrong method 405, unknown route 404, oversized body 413", async () => {
    const unknown = await call(`${server.url}/v2/models/nope/infer`, "POST", { inputs: [] });
    assert.equal(unknown.status, 404);
    assert.match((unknown.json as { error: string }).error, /unknown model "nope"/);
    assert.equal(
      (await call(`${server.url}/v1/models/nope:predict`, "POST", { instances: [[1]] })).status,
      404,
    );
    assert.equal((await call(`${server.url}/v2/models/lin/versions/9/infer`, "POST", {})).status, 404);
    const wrongMethod = await call(`${server.url}/v2/models/lin/infer`, "GET");
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.allow, "POST");
    assert.equal((await call(`${server.url}/v2/health/live`, "POST", "{}")).status, 405);
    assert.equal((await call(`${server.url}/nowhere`)).status, 404);
    const big = { instances: Array.from({ length: 400 }, () => [1, 2, 3]) };
    const tooBig = await call(`${server.url}/v1/models/lin:predict`, "POST", big);
    assert.equal(tooBig.status, 413);
    assert.match((tooBig.json as { error: string }).error, /exceeds the 2000-byte limit/);
    // Streamed without a Content-Length, the limit is enforced while reading.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/models/lin:predict`, { method: "POST", agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 50; i++) req.write(`${"[1,2,3],".repeat(10)}`);
      req.end();
    });
    assert.equal(chunked, 413);
    const deep = await call(
      `${server.url}/v1/models/lin:predict`,
      "POST",
      `{"instances": [${"[".repeat(40)}1${"]".repeat(40)}]}`,
    );
    assert.equal(deep.status, 400);
    assert.match((deep.json as { error: string }).error, /nesting deeper than 32/);
    // The server is still fine afterwards.
    assert.equal(
      (await call(`${server.url}/v1/models/lin:predict`, "POST", { instances: [[0, 0, 0]] })).status,
      200,
    );
  });

  test("/metrics exposes request counts, latency, batch sizes and load time", async () => {
    const text = (await call(`${server.url}/metrics`)).text;
    assert.match(
      text,
      /tessera_http_requests_total\{code="200",method="POST",route="\/v2\/models\/\{name\}\/infer"\} [1-9]/,
    );
    assert.match(
      text,
      /tessera_http_requests_total\{code="400",method="POST",route="\/v1\/models\/\{name\}:predict"\} [1-9]/,
    );
    assert.match(
      text,
      /tessera_http_request_duration_seconds_bucket\{le="\+Inf",route="\/v2\/health\/live"\} [1-9]/,
    );
    assert.match(text, /tessera_batch_size_rows_count\{model="lin"\} [1-9]/);
    assert.match(text, /tessera_model_load_seconds\{model="lin"\} [0-9.e-]+/);
  });
});

describe("server: batching, workers, lifecycle", () => {
  test("concurrent requests are batched together and each gets its own rows", async () => {
    const server = await serve({}, { maxWaitMs: 200, maxBatchSize: 64 });
    try {
      const inputs = Array.from({ length: 20 }, (_, i) => [i, -i, i / 2]);
      const replies = await Promise.all(
        inputs.map((x) => call(`${server.url}/v1/models/lin:predict`, "POST", { instances: [x] })),
      );
      replies.forEach((reply, i) => {
        assert.equal(reply.status, 200);
        const got = (reply.json as { predictions: number[][] }).predictions[0]!;
        const want = expected(inputs[i]!);
        assert.ok(
          Math.abs(got[0]! - want[0]!) < 1e-5 && Math.abs(got[1]! - want[1]!) < 1e-5,
          `${got} vs ${want}`,
        );
      });
      const { count, sum } = server.metrics.batchRequests.stats({ model: "lin" });
      assert.equal(sum, 20);
      assert.ok(count < 20, `expected fewer batches than requests (got ${count})`);
    } finally {
      await server.close();
    }
  });

  test("health checks answer while a slow batch occupies the worker", async () => {
    const server = await serve({ predictDelayMs: 800 });
    try {
      const order: string[] = [];
      const slow = call(`${server.url}/v1/models/lin:predict`, "POST", { instances: [[1, 2, 3]] }).then(
        (r) => {
          order.push("infer");
          return r;
        },
      );
      await new Promise((r) => setTimeout(r, 100));
      const live = await call(`${server.url}/v2/health/live`);
      order.push("live");
      assert.equal(live.status, 200);
      assert.equal((await slow).status, 200);
      assert.deepEqual(order, ["live", "infer"]);
    } finally {
      await server.close();
    }
  });

  test("readiness is 503 while the model loads, then 200", async () => {
    const server = await startServer({
      models: [{ dir: modelDir({ loadDelayMs: 600 }) }],
      port: 0,
      loaderUrl: LOADER,
    });
    try {
      const early = await call(`${server.url}/v2/health/ready`);
      assert.equal(early.status, 503);
      assert.equal((await call(`${server.url}/v2/models/lin/infer`, "POST", {})).status, 404); // not named yet
      await server.ready;
      assert.equal((await call(`${server.url}/v2/health/ready`)).status, 200);
    } finally {
      await server.close();
    }
  });

  test("a failing loader rejects ready and keeps readiness at 503", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-serve-")); // no linear.json
    const server = await startServer({ models: [{ dir, name: "broken" }], port: 0, loaderUrl: LOADER });
    try {
      await assert.rejects(server.ready, /ENOENT/);
      assert.equal((await call(`${server.url}/v2/health/ready`)).status, 503);
      assert.equal((await call(`${server.url}/v2/models/broken`)).status, 503);
    } finally {
      await server.close();
    }
  });

  test("a crashed worker fails its batch with 500, then is replaced", async () => {
    const server = await serve({ crashValue: 999 });
    try {
      const crash = await call(`${server.url}/v1/models/lin:predict`, "POST", { instances: [[999, 0, 0]] });
      assert.equal(crash.status, 500);
      assert.match((crash.json as { error: string }).error, /worker stopped/);
      let reply = await call(`${server.url}/v1/models/lin:predict`, "POST", { instances: [[1, 0, 0]] });
      for (let i = 0; i < 50 && reply.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        reply = await call(`${server.url}/v1/models/lin:predict`, "POST", { instances: [[1, 0, 0]] });
      }
      assert.equal(reply.status, 200);
    } finally {
      await server.close();
    }
  });

  test("close() finishes in-flight requests, then refuses new connections", async () => {
    const server = await serve({ predictDelayMs: 500 });
    const inflight = call(`${server.url}/v1/models/lin:predict`, "POST", { instances: [[1, 2, 3]] });
    await new Promise((r) => setTimeout(r, 100));
    const closed = server.close();
    const reply = await inflight;
    assert.equal(reply.status, 200);
    assert.deepEqual((reply.json as { predictions: number[][] }).predictions[0], expected([1, 2, 3]));
    await closed;
    await assert.rejects(call(`${server.url}/v2/health/live`), /ECONNREFUSED/);
  });
});
