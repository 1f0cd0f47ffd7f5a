// End-to-end tests of the /explain routes on a real loopback server with a saved model (its
// preprocessing included): integrated gradients add up to p(x) - p(0), the unused column gets 0,
// saliency matches the closed-form derivative, and the route is off without the flag, with the
// same body limits and 400s as /infer.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { saveExplainModel } from "../../test/e2e/fixtures/explain-model.js";
import { call } from "../../test/e2e/fixtures/http-client.js";
import { type RunningServer, startServer } from "./server.js";

const root = mkdtempSync(join(tmpdir(), "tessera-serve-explain-"));
const dir = join(root, "model");

interface Explanation {
  target: number;
  label?: string;
  attributions: number[];
  delta?: number;
}
interface ExplainReply {
  model_name: string;
  method: string;
  feature_names?: string[];
  explanations: Explanation[];
}

describe("server: /explain", () => {
  let server: RunningServer;
  let off: RunningServer;
  before(async () => {
    await saveExplainModel(dir);
    server = await startServer({ models: [{ dir, name: "m" }], port: 0, explain: true, maxBodyBytes: 1000 });
    off = await startServer({ models: [{ dir, name: "m" }], port: 0 });
    await Promise.all([server.ready, off.ready]);
  });
  after(async () => {
    await Promise.all([server.close(), off.close()]);
    rmSync(root, { recursive: true, force: true });
  });

  test("v2 explain of raw columns: IG sums to p(x) - p(0) = p(x) - 0.5, column b gets 0", async () => {
    const body = {
      inputs: [
        { name: "a", datatype: "FP64", shape: [3], data: [-10, 3, 15] },
        { name: "b", datatype: "FP64", shape: [3], data: [4, -7, 0] },
      ],
    };
    const reply = await call(`${server.url}/v2/models/m/explain`, "POST", body);
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
    const result = reply.json as ExplainReply;
    assert.equal(result.method, "ig");
    assert.deepEqual(result.feature_names, ["num__a", "num__b"]);
    const inferred = await call(`${server.url}/v2/models/m/infer`, "POST", body);
    const probabilities = (inferred.json as { outputs: { data: number[] }[] }).outputs[0]!.data;
    assert.deepEqual(
      result.explanations.map((e) => e.label),
      ["no", "yes", "yes"],
    );
    result.explanations.forEach((e, r) => {
      const p = probabilities[r * 2 + e.target]!;
      const sum = e.attributions[0]! + e.attributions[1]!;
      assert.ok(Math.abs(sum - (p - 0.5)) <= 0.01 * Math.abs(p - 0.5), `row ${r}: ${sum} vs ${p - 0.5}`);
      assert.equal(e.attributions[1], 0);
      assert.ok(Math.abs(e.delta!) < 0.01 * Math.abs(p - 0.5));
    });
  });

  test("v1 :explain of instances, saliency: |d p / d a'| = 4 p (1 - p) for logits [-2 a', 2 a']", async () => {
    const body = { instances: [{ a: 1, b: 2 }], parameters: { method: "saliency", target: 1 } };
    const reply = await call(`${server.url}/v1/models/m:explain`, "POST", body);
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
    const [e] = (reply.json as ExplainReply).explanations;
    const predicted = await call(`${server.url}/v1/models/m:predict`, "POST", {
      instances: [{ a: 1, b: 2 }],
    });
    const p = (predicted.json as { predictions: number[][] }).predictions[0]![1]!;
    assert.equal(e!.target, 1);
    assert.ok(
      Math.abs(e!.attributions[0]! - 4 * p * (1 - p)) < 1e-5,
      `${e!.attributions[0]} vs ${4 * p * (1 - p)}`,
    );
    assert.equal(e!.attributions[1], 0);
    assert.equal(e!.delta, undefined);
  });

  test("bad parameters and bad targets are 400s; an oversized body is 413; off without the flag", async () => {
    const instances = [{ a: 1, b: 2 }];
    for (const [parameters, field] of [
      [{ method: "lime" }, "parameters.method"],
      [{ steps: 5000 }, "parameters.steps"],
      [{ target: -1 }, "parameters.target"],
    ] as const) {
      const reply = await call(`${server.url}/v1/models/m:explain`, "POST", { instances, parameters });
      assert.equal(reply.status, 400);
      assert.equal((reply.json as { field: string }).field, field);
    }
    const outOfRange = await call(`${server.url}/v1/models/m:explain`, "POST", {
      instances,
      parameters: { target: 7 },
    });
    assert.equal(outOfRange.status, 400);
    assert.match(
      (outOfRange.json as { error: string }).error,
      /target must be an output index in \[0, 2\) \(got 7\)/,
    );
    const badRecord = await call(`${server.url}/v1/models/m:explain`, "POST", {
      instances: [{ a: "x", b: 1 }],
    });
    assert.equal(badRecord.status, 400);
    const big = { instances: Array.from({ length: 100 }, () => ({ a: 1, b: 2 })) };
    assert.equal((await call(`${server.url}/v1/models/m:explain`, "POST", big)).status, 413);
    const disabled = await call(`${off.url}/v2/models/m/explain`, "POST", { instances });
    assert.equal(disabled.status, 404);
    assert.match(
      (disabled.json as { error: string }).error,
      /explanations are off; start the server with --explain/,
    );
  });
});
