// io/interchange/keras-import.test: Keras 3 `.keras` files written by Keras 3.15 itself (on the
// torch backend; see test/fixtures/interchange/make-keras-models.py) load into Tessera models that
// give Keras's outputs; corrupt zips, missing entries, broken HDF5 and options Tessera cannot honour
// are clear errors.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { unzipSync, zipSync } from "fflate";
import { ConfigError, FormatError } from "../../core/errors.js";
import { readSafetensors } from "../safetensors-file.js";
import { loadKeras } from "./keras-import.js";

const TOLERANCE = 1e-5;
const fixture = (file: string) =>
  new URL(`../../../test/fixtures/interchange/keras/${file}`, import.meta.url).pathname;

describe("loadKeras on models saved by Keras 3", () => {
  for (const name of ["mlp", "cnn", "recurrent", "bidirectional", "functional", "attention"]) {
    it(name, async () => {
      const model = await loadKeras(fixture(`${name}.keras`));
      const { tensors } = await readSafetensors(fixture(`${name}.io.safetensors`));
      const inputs = [...tensors.keys()]
        .filter((k) => k.startsWith("input_"))
        .sort()
        .map((k) => tensors.get(k)!);
      const got = model.apply(inputs.length === 1 ? inputs[0]! : inputs);
      const want = tensors.get("output")!;
      assert.deepEqual([...got.shape], [...want.shape]);
      let max = 0;
      for (let i = 0; i < want.size; i++)
        max = Math.max(max, Math.abs(Number(got.data[i]) - Number(want.data[i])));
      if (process.env.TESSERA_ONNX_REPORT) console.log(`keras ${name}: max abs diff ${max.toExponential(2)}`);
      assert.ok(max <= TOLERANCE, `${name}: max |diff| ${max}`);
    });
  }
});

describe("loadKeras errors", () => {
  it("rejects random bytes, as a zip and as the HDF5 inside one, with a FormatError", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-keras-fuzz-"));
    try {
      const good = unzipSync(new Uint8Array(await readFile(fixture("mlp.keras"))));
      const path = join(dir, "f.keras");
      const expectFormatError = async (bytes: Uint8Array) => {
        await writeFile(path, bytes);
        await assert.rejects(loadKeras(path), FormatError);
      };
      await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), expectFormatError), {
        numRuns: 100,
        seed: 9,
      });
      // (libhdf5 prints its error stack to stderr for each of these)
      const h5 = fc
        .uint8Array({ minLength: 8, maxLength: 300 })
        .map((b) => zipSync({ "config.json": good["config.json"]!, "model.weights.h5": b }));
      await fc.assert(fc.asyncProperty(h5, expectFormatError), { numRuns: 10, seed: 9 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects a broken zip, missing entries, broken HDF5 and options it cannot honour", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tessera-keras-"));
    try {
      const good = unzipSync(new Uint8Array(await readFile(fixture("mlp.keras"))));
      const write = async (name: string, bytes: Uint8Array) => {
        await writeFile(join(dir, name), bytes);
        return join(dir, name);
      };
      await assert.rejects(
        loadKeras(await write("junk.keras", new Uint8Array([1, 2, 3, 4, 5]))),
        FormatError,
      );
      const noWeights = zipSync({ "config.json": good["config.json"]! });
      await assert.rejects(
        loadKeras(await write("nw.keras", noWeights)),
        /must hold config.json and model.weights.h5/,
      );
      const badH5 = zipSync({
        "config.json": good["config.json"]!,
        "model.weights.h5": new Uint8Array(64).fill(7),
      });
      await assert.rejects(
        loadKeras(await write("bad.keras", badH5)),
        /model\.weights\.h5 is not an HDF5 file/,
      );
      const config = JSON.parse(new TextDecoder().decode(good["config.json"]!));
      config.config.layers[2].config.noise_shape = [null, 1];
      const odd = zipSync({ ...good, "config.json": new TextEncoder().encode(JSON.stringify(config)) });
      await assert.rejects(
        loadKeras(await write("odd.keras", odd)),
        (e) =>
          e instanceof ConfigError &&
          /layer "dropout[^"]*" \(Dropout\): the Keras option noise_shape=\[null,1\] has no Tessera equivalent/.test(
            e.message,
          ),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
