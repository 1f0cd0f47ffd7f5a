// The `tessera` command end to end: usage and exit codes (in-process, fast), then real child
// processes in a temporary directory: train -> predict equality with an in-process load,
// evaluate, inspect, a corrupted model, and serve with a SIGTERM drain.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { getBackend } from "../../src/backend/registry.js";
import { ModelPredictor } from "../../src/io/predictor.js";
import { readCsv } from "../../src/io/read-csv.js";
import { ENTRY, ROOT, runCli, TSX } from "./fixtures/cli-process.js";
import { call } from "./fixtures/http-client.js";
import { assertResultSchema } from "./fixtures/result-schema.js";
import { runMain } from "./fixtures/run-main.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI_ESCAPE = /\x1b\[/;

const SPEC = {
  name: "iris-small",
  seed: 1,
  data: { path: "data.csv", target: "species" },
  split: { test: 0.2, validation: 0.1 },
  model: { layers: [{ type: "dense", units: 8, activation: "relu" }] },
  compile: { optimizer: { type: "adam", learningRate: 0.05 } },
  fit: { epochs: 5, batchSize: 16 },
};

describe("tessera: usage and exit codes", () => {
  test("--help on every command exits 0 with its usage", async () => {
    for (const command of ["train", "evaluate", "predict", "inspect", "serve"]) {
      const { code, out } = await runMain([command, "--help"]);
      assert.equal(code, 0, command);
      assert.match(out, new RegExp(`^Usage: tessera ${command}`), command);
    }
    const top = await runMain(["--help"]);
    assert.equal(top.code, 0);
    assert.match(top.out, /Commands:/);
  });

  test("usage errors exit 2", async () => {
    assert.equal((await runMain([])).code, 2);
    const unknown = await runMain(["fly"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "fly"/);
    const option = await runMain(["train", "x.json", "--epochz", "3"]);
    assert.equal(option.code, 2);
    assert.match(option.err, /Unknown option '--epochz'/);
    assert.equal((await runMain(["predict", "only-one-arg"])).code, 2);
    assert.match(
      (await runMain(["train", "s.json", "--epochs", "0"])).err,
      /--epochs must be an integer >= 1/,
    );
    assert.equal((await runMain(["train", "/nonexistent/spec.json"])).code, 2);
  });

  test("spec errors exit 1 and name the offending field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-cli-"));
    copyFileSync(join(ROOT, "examples", "iris", "data.csv"), join(dir, "data.csv"));
    const cases: [object, RegExp][] = [
      [{ ...SPEC, fit: { epochs: -1 } }, /fit\.epochs: must be an integer >= 1/],
      [{ ...SPEC, fit: { epochz: 3 } }, /fit\.epochz: unknown field/],
      [{ ...SPEC, data: { path: "data.csv", target: "kind" } }, /data\.target: no column "kind"/],
      [
        { ...SPEC, model: { layers: [{ type: "convolution9d" }] } },
        /model\.layers\[0\]\.type: unknown layer "convolution9d"/,
      ],
      [
        { ...SPEC, model: { layers: [{ type: "dense", units: -4 }] } },
        /model\.layers\[0\]: Dense: units must be a positive integer/,
      ],
      [
        { ...SPEC, compile: { optimizer: { type: "adam", learningRate: -1 } } },
        /compile\.optimizer: .*learning rate/i,
      ],
      [{ ...SPEC, split: { test: 0.6, validation: 0.5 } }, /split: test \+ validation must leave rows/],
      [
        { ...SPEC, compile: { loss: "mean_sqaured_error" } },
        /compile\.loss: getLoss: unknown loss "mean_sqaured_error"/,
      ],
      [
        { ...SPEC, compile: { metrics: ["mae", "acuracy"] } },
        /compile\.metrics\[1\]: getMetric: unknown metric "acuracy"/,
      ],
    ];
    for (const [spec, message] of cases) {
      writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
      const { code, err } = await runMain([
        "train",
        join(dir, "spec.json"),
        "--out",
        join(dir, "run"),
        "--verbose",
        "0",
      ]);
      assert.equal(code, 1, `${JSON.stringify(spec)}: ${err}`);
      assert.match(err, message);
      assert.match(err, /spec\.json/);
    }
  });
});

describe("tessera: real runs in a temporary directory", () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-cli-run-"));
    copyFileSync(join(ROOT, "examples", "iris", "data.csv"), join(dir, "data.csv"));
    writeFileSync(join(dir, "spec.json"), JSON.stringify(SPEC));
    const { code, out, err } = await runCli(
      ["train", "spec.json", "--epochs", "8", "--out", "run", "--verbose", "2"],
      dir,
    );
    assert.equal(code, 0, err);
    assert.match(out, /^test: accuracy=/m);
    assert.match(out, /saved .*run/);
    // Progress on stderr, results on stdout; the backend on stderr's first line.
    assert.match(err, /Epoch 8\/8/);
    assert.doesNotMatch(out, /Epoch|\/step/);
    assert.match(err.split("\n")[0]!, /^tessera: backend (native|reference|wasm)\b/);
    assert.doesNotMatch(err, ANSI_ESCAPE, "stderr is a pipe here: no ANSI escapes");
  });

  test("train writes the run directory, with --epochs overriding the spec", () => {
    for (const name of [
      "model/model.json",
      "model/weights.safetensors",
      "history.json",
      "metrics.json",
      "spec.json",
    ]) {
      assert.ok(existsSync(join(dir, "run", name)), name);
    }
    assert.ok(!existsSync(join(dir, "run", "checkpoint")), "the checkpoint is removed after a complete run");
    const history = JSON.parse(readFileSync(join(dir, "run", "history.json"), "utf8"));
    assert.equal(history.epochs.length, 8);
    const metrics = JSON.parse(readFileSync(join(dir, "run", "metrics.json"), "utf8"));
    assert.deepEqual(metrics.rows, { train: 105, validation: 15, test: 30 });
    assert.equal(JSON.parse(readFileSync(join(dir, "run", "spec.json"), "utf8")).fit.epochs, 8);
  });

  test("predict through the CLI equals predictions of the model loaded in-process", async () => {
    const { code, err } = await runCli(
      ["predict", "run/model", "data.csv", "--out", "predictions.json"],
      dir,
    );
    assert.equal(code, 0, err);
    const printed = JSON.parse(readFileSync(join(dir, "predictions.json"), "utf8")) as Record<
      string,
      number | string
    >[];
    const predictor = await ModelPredictor.load(join(dir, "run", "model"));
    const [probs] = predictor.predictTable(await readCsv(join(dir, "data.csv")));
    const labels = predictor.labelsOf(probs!)!;
    assert.equal(printed.length, 150);
    printed.forEach((row, r) => {
      assert.equal(row.species_predicted, labels[r]);
      for (const [k, label] of predictor.signature.labels!.entries()) {
        assert.equal(row[`p_${label}`], probs!.data[r * 3 + k]);
      }
    });
  });

  test("predict reads JSON records on stdin", async () => {
    const stdin = JSON.stringify([
      { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
    ]);
    const { code, out, err } = await runCli(["predict", "run/model", "-"], dir, { stdin });
    assert.equal(code, 0, err);
    const rows = JSON.parse(out) as { species_predicted: string }[];
    assert.equal(rows.length, 1);
    assert.ok(["setosa", "versicolor", "virginica"].includes(rows[0]!.species_predicted));
  });

  test("evaluate and inspect", async () => {
    const evaluation = await runMain([
      "evaluate",
      join(dir, "run", "model"),
      join(dir, "data.csv"),
      "--json",
    ]);
    assert.equal(evaluation.code, 0, evaluation.err);
    const result = JSON.parse(evaluation.out);
    assertResultSchema("evaluate", result);
    assert.equal(result.command, "evaluate");
    assert.equal(result.model, "iris-small");
    assert.equal(result.backend, getBackend());
    assert.equal(result.rows, 150);
    assert.ok(result.scores.accuracy >= 0 && result.scores.accuracy <= 1);
    assert.equal(typeof result.scores.loss, "number");
    const inspect = await runMain(["inspect", join(dir, "run", "model"), "--json"]);
    assert.equal(inspect.code, 0, inspect.err);
    const described = JSON.parse(inspect.out);
    assert.equal(described.name, "iris-small");
    assert.deepEqual(described.signature.labels, ["setosa", "versicolor", "virginica"]);
    assert.equal(described.signature.columns.length, 4);
    // The path of model.json names its directory, as tfjs's loaders take it.
    const viaFile = await runMain(["inspect", join(dir, "run", "model", "model.json"), "--json"]);
    assert.equal(viaFile.code, 0, viaFile.err);
    assert.deepEqual(JSON.parse(viaFile.out), described);
    const text = await runMain(["inspect", join(dir, "run", "model")]);
    assert.match(text.out, /Total params: 67 /); // (4*8 + 8) + (8*3 + 3)
  });

  test("a corrupted model exits 1 with the file and the problem", async () => {
    const broken = join(dir, "broken");
    mkdirSync(broken);
    copyFileSync(join(dir, "run", "model", "model.json"), join(broken, "model.json"));
    const weights = readFileSync(join(dir, "run", "model", "weights.safetensors"));
    writeFileSync(join(broken, "weights.safetensors"), weights.subarray(0, weights.length - 10));
    const { code, err } = await runMain(["predict", broken, join(dir, "data.csv")]);
    assert.equal(code, 1);
    assert.match(err, /broken\/weights\.safetensors: \d+ bytes but model\.json records \d+ \(truncated/);
  });

  test("serve answers, and SIGTERM drains an in-flight request then exits 0", async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      ["--import", TSX, ENTRY, "serve", "run/model", "--port", "0", "--max-wait-ms", "1500"],
      {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let err = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on("data", (c: Buffer) => {
        err += c.toString();
        const listening = /listening on (http:\/\/\S+)/.exec(err);
        if (listening !== null && /ready:/.test(err)) resolve(listening[1]!);
      });
      child.on("exit", () => reject(new Error(`serve exited early: ${err}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const meta = await call(`${url}/v2/models/iris-small`);
    assert.equal(meta.status, 200);
    // This request waits up to 1.5 s for its batch to fill: it is in flight when SIGTERM arrives.
    const inflight = call(`${url}/v1/models/iris-small:predict`, "POST", {
      instances: [{ sepal_length: 6.3, sepal_width: 3.3, petal_length: 6.0, petal_width: 2.5 }],
    });
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGTERM");
    const reply = await inflight;
    assert.equal(reply.status, 200, reply.text);
    const prediction = (reply.json as { predictions: number[][] }).predictions[0]!;
    assert.equal(prediction.length, 3);
    assert.ok(Math.abs(prediction.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(await exited, 0);
    assert.match(err, /SIGTERM: draining/);
    await assert.rejects(call(`${url}/v2/health/live`), /ECONNREFUSED/);
  });
});
