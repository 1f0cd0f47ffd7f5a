// Truncated, corrupted, oversized and mismatched model directories get a FormatError that names
// the file and the problem.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { FormatError } from "../core/errors.js";
import { sequential } from "../models/sequential.js";
import * as layers from "../nn/layers/index.js";
import { tensor } from "../tensor/creation.js";
import { loadModel } from "./load-model.js";
import { encodeSafetensors } from "./safetensors.js";
import { saveModel } from "./save-model.js";

async function savedDir(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), "tessera-bad-")), "model");
  const m = sequential([
    layers.dense({ units: 3, inputShape: [2], name: "d0" }),
    layers.dense({ units: 1, name: "d1" }),
  ]);
  await saveModel(m, dir);
  return dir;
}

/** Sets one field of model.json, given its path (keys and indices). */
function editJson(dir: string, path: (string | number)[], value: unknown): void {
  const file = join(dir, "model.json");
  const json: unknown = JSON.parse(readFileSync(file, "utf8"));
  let node = json as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  writeFileSync(file, JSON.stringify(json));
}

/** Rewrites the weights file and updates model.json's manifest to match (a consistent but wrong pair). */
function replaceWeights(dir: string, tensors: [string, ReturnType<typeof tensor>][]): void {
  const bytes = encodeSafetensors(tensors);
  writeFileSync(join(dir, "weights.safetensors"), bytes);
  editJson(dir, ["weights", "sha256"], createHash("sha256").update(bytes).digest("hex"));
  editJson(dir, ["weights", "bytes"], bytes.length);
}

async function rejects(dir: string, file: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadModel(dir), (error: unknown) => {
    assert.ok(error instanceof FormatError, `expected FormatError, got ${String(error)}`);
    assert.ok(error.message.startsWith(join(dir, file)), `message should name ${file}: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("loading a damaged model directory", () => {
  test("missing model.json", async () => {
    const dir = await savedDir();
    rmSync(join(dir, "model.json"));
    await rejects(dir, "model.json", /missing .*Tessera model directory/);
  });
  test("model.json that is not JSON, or has a duplicate key", async () => {
    const dir = await savedDir();
    writeFileSync(join(dir, "model.json"), '{"format": ');
    await rejects(dir, "model.json", /invalid JSON/);
    writeFileSync(join(dir, "model.json"), '{"format": "tessera-model", "format": "x"}');
    await rejects(dir, "model.json", /duplicate key "format"/);
  });
  test("not a Tessera model, or a newer format version", async () => {
    const dir = await savedDir();
    editJson(dir, ["version"], 2);
    await rejects(dir, "model.json", /"version" is 2, newer than the format version 1/);
    editJson(dir, ["format"], "keras");
    await rejects(dir, "model.json", /"format" must be "tessera-model"/);
  });
  test("a malformed field is named by its path", async () => {
    const dir = await savedDir();
    editJson(dir, ["signature", "inputs", 0, "dtype"], "float16");
    await rejects(dir, "model.json", /"signature\.inputs\[0\]\.dtype" must be one of/);
  });
  test("unknown layer class (no code is looked up by name)", async () => {
    const dir = await savedDir();
    editJson(dir, ["architecture", "config", "layers", 1, "className"], "EvalLayer");
    await rejects(dir, "model.json", /unknown layer class "EvalLayer"; register custom layers/);
  });
  test("architecture declaring more weight memory than the weights file holds is refused before allocating", async () => {
    const dir = await savedDir();
    editJson(dir, ["architecture", "config", "layers", 0, "config", "units"], 1_000_000_000);
    await rejects(
      dir,
      "model.json",
      /declares weight "d0\/kernel" of shape \[2, ?1000000000\], more than the \d+-byte weights file holds/,
    );
  });
  test("truncated weights file", async () => {
    const dir = await savedDir();
    const path = join(dir, "weights.safetensors");
    truncateSync(path, readFileSync(path).length - 4);
    await rejects(dir, "weights.safetensors", /bytes but model.json records \d+ \(truncated/);
  });
  test("a flipped byte in the weights", async () => {
    const dir = await savedDir();
    const path = join(dir, "weights.safetensors");
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(path, bytes);
    await rejects(dir, "weights.safetensors", /SHA-256 differs/);
  });
  test("oversized weights file", async () => {
    const dir = await savedDir();
    await assert.rejects(loadModel(dir, { maxWeightsBytes: 16 }), /above the 16-byte limit/);
  });
  test("wrong shape, wrong dtype, missing and unexpected tensors", async () => {
    const dir = await savedDir();
    const good: [string, ReturnType<typeof tensor>][] = [
      [
        "d0/kernel",
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ],
      ["d0/bias", tensor([0, 0, 0])],
      ["d1/kernel", tensor([[1], [1], [1]])],
      ["d1/bias", tensor([0])],
    ];
    replaceWeights(dir, good);
    assert.deepEqual([...(await loadModel(dir)).weights[0]!.data], [1, 2, 3, 4, 5, 6]);
    replaceWeights(
      dir,
      good.map(([n, t]) => [n, n === "d1/kernel" ? tensor([[1, 1, 1]]) : t]),
    );
    await rejects(
      dir,
      "weights.safetensors",
      /"d1\/kernel" has shape \[1, ?3\] but the architecture needs \[3, ?1\]/,
    );
    replaceWeights(
      dir,
      good.map(([n, t]) => [n, n === "d1/bias" ? tensor([0], { dtype: "float64" }) : t]),
    );
    await rejects(dir, "weights.safetensors", /"d1\/bias" is float64 but the architecture needs float32/);
    replaceWeights(dir, good.slice(0, 3));
    await rejects(dir, "weights.safetensors", /missing tensor "d1\/bias"/);
    replaceWeights(dir, [...good, ["extra/w", tensor([1])]]);
    await rejects(dir, "weights.safetensors", /unexpected tensor "extra\/w"/);
  });
  test("a corrupt safetensors header behind a matching manifest", async () => {
    const dir = await savedDir();
    const path = join(dir, "weights.safetensors");
    const bytes = readFileSync(path);
    bytes.writeUInt32LE(bytes.readUInt32LE(0) + 1, 0); // header length off by one
    writeFileSync(path, bytes);
    editJson(dir, ["weights", "sha256"], createHash("sha256").update(bytes).digest("hex"));
    await rejects(dir, "weights.safetensors", /not a valid safetensors file/);
  });
});
