import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { layers, optimizers, sequential, tensor } from "../index.js";
import { csvFileLogger } from "./csv-file-logger.js";

test("csvFileLogger writes a header and a row per epoch; append adds rows without a second header", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-csv-"));
  try {
    const file = join(dir, "log.csv");
    const model = sequential([layers.dense({ units: 1, inputShape: [1], kernelInitializer: "ones" })]);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: "mse" });
    const x = tensor([[1], [2]]);
    const y = tensor([[0], [0]]);
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [csvFileLogger(file)] });
    // lr 0: the loss stays (1 + 4) / 2
    assert.equal(readFileSync(file, "utf8"), "epoch,loss\n0,2.5\n1,2.5\n");
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [csvFileLogger(file, { append: true })] });
    assert.equal(readFileSync(file, "utf8"), "epoch,loss\n0,2.5\n1,2.5\n0,2.5\n");
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [csvFileLogger(file)] });
    assert.equal(readFileSync(file, "utf8"), "epoch,loss\n0,2.5\n", "without append the file starts over");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
