// The scriptable CLI: `--json` results (one document on stdout, parsed here), progress on stderr,
// the backend on stderr's first line and in every --json result, the backend recorded in the
// saved model, and colour: never on a pipe, never with NO_COLOR, on a real terminal otherwise.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { getBackend } from "../../src/backend/registry.js";
import { ENTRY, ROOT, runCli, TSX } from "./fixtures/cli-process.js";
import { assertResultSchema } from "./fixtures/result-schema.js";
import { runMain } from "./fixtures/run-main.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI_ESCAPE = /\x1b\[/;

const SPEC = {
  name: "iris-json",
  seed: 3,
  data: { path: "data.csv", target: "species" },
  split: { test: 0.2, validation: 0.1 },
  model: { layers: [{ type: "dense", units: 8, activation: "relu" }] },
  compile: { optimizer: { type: "adam", learningRate: 0.05 } },
  fit: { epochs: 3, batchSize: 16 },
};
const RECORD = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

describe("tessera --json", () => {
  let dir: string;
  let trained: { code: number | null; out: string; err: string };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-cli-json-"));
    copyFileSync(join(ROOT, "examples", "iris", "data.csv"), join(dir, "data.csv"));
    writeFileSync(join(dir, "spec.json"), JSON.stringify(SPEC));
    trained = await runCli(["train", "spec.json", "--out", "run", "--json", "--verbose", "2"], dir);
    assert.equal(trained.code, 0, trained.err);
  });

  test("train --json prints one document whose figures are the run's", () => {
    const result = JSON.parse(trained.out);
    assertResultSchema("train", result);
    assert.equal(result.command, "train");
    assert.equal(result.name, "iris-json");
    assert.equal(result.task, "classification");
    assert.equal(result.target, "species");
    assert.equal(result.output, join(dir, "run"));
    assert.equal(result.model, join(dir, "run", "model"));
    assert.deepEqual(result.rows, { train: 105, validation: 15, test: 30 });
    assert.equal(result.epochs, 3);
    assert.equal(result.history.length, 3);
    assert.deepEqual(
      result.history.map((h: { epoch: number }) => h.epoch),
      [1, 2, 3],
    );
    assert.equal(typeof result.history[2].val_loss, "number");
    const metrics = JSON.parse(readFileSync(join(dir, "run", "metrics.json"), "utf8"));
    assert.deepEqual(result.test, metrics.test);
    assert.deepEqual(result.validation, metrics.validation);
    assert.ok(result.test.accuracy >= 0 && result.test.accuracy <= 1);
    const saved = JSON.parse(readFileSync(join(dir, "run", "model", "model.json"), "utf8"));
    assert.equal(result.backend, saved.metadata.backend);
    assert.match(result.backendDetail, new RegExp(`^${result.backend}\\b`));
    // Progress went to stderr, after the backend line.
    const lines = trained.err.split("\n");
    assert.equal(lines[0], `tessera: backend ${result.backendDetail}`);
    assert.match(trained.err, /Epoch 3\/3/);
    assert.doesNotMatch(trained.err, ANSI_ESCAPE);
  });

  test("predict --json: records from stdin, the predictions in the document", async () => {
    const { code, out, err } = await runCli(["predict", "run/model", "-", "--json"], dir, {
      stdin: JSON.stringify([RECORD, { ...RECORD, petal_length: 6.0, petal_width: 2.5 }]),
    });
    assert.equal(code, 0, err);
    const result = JSON.parse(out);
    assertResultSchema("predict", result);
    assert.equal(result.command, "predict");
    assert.equal(result.model, "iris-json");
    assert.equal(result.rows, 2);
    assert.equal(result.out, null);
    assert.equal(result.predictions.length, 2);
    for (const row of result.predictions) {
      assert.ok(["setosa", "versicolor", "virginica"].includes(row.species_predicted));
      const total = row.p_setosa + row.p_versicolor + row.p_virginica;
      assert.ok(Math.abs(total - 1) < 1e-5, String(total));
    }
    assert.match(err, /^tessera: backend /);
  });

  test("predict --json --out writes the file and reports it", async () => {
    const { code, out, err } = await runCli(
      ["predict", "run/model", "data.csv", "--json", "--out", "p.csv"],
      dir,
    );
    assert.equal(code, 0, err);
    const result = JSON.parse(out);
    assertResultSchema("predict", result);
    assert.deepEqual(
      { rows: result.rows, out: result.out, predictions: result.predictions },
      { rows: 150, out: "p.csv", predictions: undefined },
    );
    assert.equal(readFileSync(join(dir, "p.csv"), "utf8").trim().split("\n").length, 151);
    assert.match(err, /wrote 150 predictions to p\.csv/);
  });

  test("predict refuses --json with --format", async () => {
    const { code, err } = await runMain(["predict", "m", "d.csv", "--json", "--format", "csv"], {
      errIsTTY: false,
      noColor: false,
    });
    assert.equal(code, 2);
    assert.match(err, /pass --json or --format, not both/);
  });
});

describe("tessera train: the backend it ran on", () => {
  test("examples/iris/spec.json records the backend in the saved model's metadata", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-cli-backend-"));
    const { code, out, err } = await runCli(
      ["train", join(ROOT, "examples", "iris", "spec.json"), "--epochs", "2", "--out", dir, "--json"],
      ROOT,
    );
    assert.equal(code, 0, err);
    const saved = JSON.parse(readFileSync(join(dir, "model", "model.json"), "utf8"));
    // CI builds the addon and sets TESSERA_REQUIRE_NATIVE=1: the CLI must then run natively.
    const expected = process.env.TESSERA_REQUIRE_NATIVE === "1" ? "native" : getBackend();
    assert.equal(saved.metadata.backend, expected);
    assert.equal(JSON.parse(out).backend, expected);
    assertResultSchema("train", JSON.parse(out)); // with bestEpoch: the example restores the best weights
  });
});

describe("tessera: colour", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-cli-color-"));
    copyFileSync(join(ROOT, "examples", "iris", "data.csv"), join(dir, "data.csv"));
    writeFileSync(join(dir, "spec.json"), JSON.stringify({ ...SPEC, fit: { epochs: 1, batchSize: 16 } }));
  });
  const train = (errIsTTY: boolean, noColor: boolean) =>
    runMain(
      ["train", join(dir, "spec.json"), "--out", join(dir, `run-${errIsTTY}-${noColor}`), "--verbose", "1"],
      { errIsTTY, noColor },
    );

  test("a terminal gets the coloured live bar; NO_COLOR keeps the bar and drops the colour", async () => {
    const coloured = await train(true, false);
    assert.equal(coloured.code, 0, coloured.err);
    assert.match(coloured.err, ANSI_ESCAPE);
    const plain = await train(true, true);
    assert.equal(plain.code, 0, plain.err);
    assert.doesNotMatch(plain.err, ANSI_ESCAPE);
    assert.match(plain.err, /\r\s*\d+\/\d+ ━+/, "still redrawn in place");
    const piped = await train(false, false);
    assert.doesNotMatch(piped.err, ANSI_ESCAPE);
    assert.doesNotMatch(piped.err, /\r/);
  });

  test("NO_COLOR from the environment, on a real terminal (script(1) gives the CLI a pty)", async () => {
    const run = (env: NodeJS.ProcessEnv, out: string) =>
      new Promise<string>((resolve, reject) => {
        const command = [process.execPath, "--import", TSX, ENTRY, "train", "spec.json", "--out", out]
          .map((a) => `'${a}'`)
          .join(" ");
        execFile("script", ["-q", "-e", "-c", command, "/dev/null"], { cwd: dir, env }, (error, stdout) =>
          error === null ? resolve(stdout) : reject(error),
        );
      });
    const { NO_COLOR: _unset, ...env } = process.env;
    const coloured = await run(env, "pty-colour");
    assert.match(coloured, /tessera: backend/);
    assert.match(coloured, ANSI_ESCAPE);
    const plain = await run({ ...env, NO_COLOR: "1" }, "pty-plain");
    assert.match(plain, /test: accuracy=/);
    assert.doesNotMatch(plain, ANSI_ESCAPE);
  });
});
