// model.json against its architecture (issue 12): loadModel used to accept a signature and a
// preprocessing section that contradict the network, and save(dir, { columns }) wrote files that
// loadModel then refused. Both directions now run the same checks (model-consistency.ts).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { FormatError, ValueError } from "../core/errors.js";
import { ColumnTransformer } from "../data/preprocess/pipeline.js";
import { StandardScaler } from "../data/preprocess/scalers.js";
import { Table } from "../data/table/table.js";
import type { Model } from "../models/model.js";
import { sequential } from "../models/sequential.js";
import * as layers from "../nn/layers/index.js";
import { loadModel } from "./load-model.js";
import type { ModelPreprocessing } from "./preprocessing.js";
import { saveModel } from "./save-model.js";

const fresh = () => join(mkdtempSync(join(tmpdir(), "tessera-consistency-")), "model");
const net = (inputs = 2, units = 3): Model =>
  sequential([layers.dense({ units, inputShape: [inputs], name: "out" })]);

function fitted(columns: string[]): ModelPreprocessing {
  const table = Table.fromRecords(
    [0, 1, 2].map((i) => Object.fromEntries(columns.map((c, j) => [c, i * (j + 1)]))),
  );
  const features = new ColumnTransformer([["num", new StandardScaler(), columns]]).fit(table);
  return { features, target: null };
}

/** Sets fields of model.json by path (keys and indices). */
function edit(dir: string, ...changes: [(string | number)[], unknown][]): void {
  const file = join(dir, "model.json");
  const json: unknown = JSON.parse(readFileSync(file, "utf8"));
  for (const [path, value] of changes) {
    let node = json as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path[path.length - 1]!] = value;
  }
  writeFileSync(file, JSON.stringify(json));
}

async function refused(dir: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadModel(dir), (error: unknown) => {
    assert.ok(error instanceof FormatError, `expected FormatError, got ${String(error)}`);
    assert.ok(error.message.startsWith(join(dir, "model.json")), error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("loadModel checks the signature and preprocessing against the architecture", () => {
  test("input and output shapes, counts and dtypes", async () => {
    const dir = fresh();
    await saveModel(net(), dir);
    await loadModel(dir); // the untouched file loads
    edit(dir, [
      ["signature", "inputs", 0, "shape"],
      [null, 5],
    ]);
    await refused(dir, /"signature\.inputs\[0\]\.shape" is \[\?, 5\] but the architecture has \[\?, 2\]/);
    edit(
      dir,
      [
        ["signature", "inputs", 0, "shape"],
        [null, 2],
      ],
      [["signature", "inputs", 1], { name: "extra", dtype: "float32", shape: [null, 1] }],
    );
    await refused(dir, /"signature\.inputs" lists 2 tensors but the architecture has 1/);
    const input = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")).signature.inputs[0];
    edit(dir, [["signature", "inputs"], [input]], [["signature", "outputs", 0, "name"], "other"]);
    await refused(dir, /"signature\.outputs\[0\]\.name" is "other" but the architecture calls it "out"/);
  });

  test("labels must match the output width; columns must be distinct", async () => {
    const dir = fresh();
    await saveModel(net(), dir, { labels: ["a", "b", "c"] });
    edit(dir, [
      ["signature", "labels"],
      ["a", "b"],
    ]);
    await refused(dir, /"signature\.labels" has 2 names but the output has 3 units/);
    const twice = { name: "p", type: "number" };
    edit(
      dir,
      [
        ["signature", "labels"],
        ["a", "b", "c"],
      ],
      [
        ["signature", "columns"],
        [twice, twice],
      ],
    );
    await refused(dir, /"signature\.columns\[1\]" repeats the name "p"/);
  });

  test("the preprocessing's feature count and columns", async () => {
    const dir = fresh();
    const pre = fitted(["p", "q"]);
    await saveModel(net(), dir, {
      preprocessing: pre,
      columns: [
        { name: "p", type: "number" },
        { name: "q", type: "number" },
      ],
    });
    await loadModel(dir);
    const wider = JSON.parse(JSON.stringify(fitted(["p", "q", "r"]).features.toJSON()));
    edit(dir, [["preprocessing", "features"], wider]);
    await refused(dir, /"preprocessing\.features" makes 3 features but the model takes 2/);
    const renamed = JSON.parse(JSON.stringify(fitted(["p", "z"]).features.toJSON()));
    edit(dir, [["preprocessing", "features"], renamed]);
    await refused(dir, /"signature\.columns" lacks "z", which the preprocessing reads/);
  });
});

describe("save refuses what load would refuse, and writes nothing", () => {
  test("columns given as plain names (the file load used to reject)", async () => {
    const dir = fresh();
    await assert.rejects(saveModel(net(), dir, { columns: ["p", "q"] as never }), (error: unknown) => {
      assert.ok(error instanceof ValueError, String(error));
      assert.match(
        error.message,
        /^save: model\.json: "signature\.columns\[0\]" must be an object .*loadModel would refuse/,
      );
      return true;
    });
    assert.equal(existsSync(dir), false);
  });

  test("columns that do not fit the input, labels that do not fit the output", async () => {
    await assert.rejects(
      saveModel(net(), fresh(), { columns: [{ name: "p", type: "number" }] }),
      /"signature\.columns" lists 1 feature columns but the model takes 2 features and there is no preprocessing/,
    );
    await assert.rejects(saveModel(net(), fresh(), { labels: ["a"] }), /"signature\.labels" has 1 names/);
    await assert.rejects(
      saveModel(net(3), fresh(), { preprocessing: fitted(["p", "q"]) }),
      /"preprocessing\.features" makes 2 features but the model takes 3/,
    );
  });

  test("a consistent save loads back", async () => {
    const dir = fresh();
    await saveModel(net(1, 1), dir, { labels: ["no", "yes"], columns: [{ name: "p", type: "number" }] });
    const back = await loadModel(dir);
    assert.deepEqual(back.outputShapes, [[null, 1]]);
  });
});
