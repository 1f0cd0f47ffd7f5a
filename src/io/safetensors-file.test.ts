import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError } from "../core/errors.js";
import { tensor } from "../tensor/creation.js";
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from "./safetensors-file.js";

test("write then read a file; the header alone lists names, dtypes and shapes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-st-"));
  const path = join(dir, "w.safetensors");
  await writeSafetensors(
    path,
    [
      [
        "a/kernel",
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ],
      ["a/bias", tensor([5, 6])],
    ],
    { note: "x" },
  );
  assert.deepEqual(readdirSync(dir), ["w.safetensors"]);
  const { tensors, metadata } = await readSafetensors(path);
  assert.deepEqual([...tensors.get("a/kernel")!.data], [1, 2, 3, 4]);
  assert.deepEqual(metadata, { note: "x" });
  const header = await readSafetensorsHeader(path);
  assert.deepEqual(
    header.entries.map((e) => [e.name, e.dtype, e.shape]),
    [
      ["a/kernel", "F32", [2, 2]],
      ["a/bias", "F32", [2]],
    ],
  );
  await assert.rejects(readSafetensors(path, { maxFileBytes: 10 }), /above the 10-byte limit/);
});

test("the header reader refuses a header length past the end without reading it", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "tessera-st-")), "bad.safetensors");
  const bytes = new Uint8Array(16);
  new DataView(bytes.buffer).setBigUint64(0, 1_000_000n, true);
  writeFileSync(path, bytes);
  await assert.rejects(
    readSafetensorsHeader(path),
    /bad\.safetensors: .*header length 1000000 runs past the end of the file/,
  );
  writeFileSync(path, new Uint8Array(3));
  await assert.rejects(readSafetensorsHeader(path), /shorter than the 8-byte header length/);
});

test("readSafetensors refuses an unknown option with a ConfigError naming it (issue 12)", async () => {
  const options = { maxBytes: 10 } as unknown as Parameters<typeof readSafetensors>[1];
  await assert.rejects(
    readSafetensors("/nonexistent.safetensors", options),
    (e) => e instanceof ConfigError && /readSafetensors: unknown option "maxBytes"/.test(e.message),
  );
});
