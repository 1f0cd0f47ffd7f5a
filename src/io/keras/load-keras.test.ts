// Tests of loadKeras on `.keras` files written by Keras 3.15.1 itself (test/fixtures/keras,
// make-fixtures.py): Tessera's outputs on the recorded inputs must match Keras's within 1e-5.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConfigError, FormatError } from "../../core/errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { loadKeras, parseKeras } from "./load-keras.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/keras");
const TOLERANCE = 1e-5;

interface Recorded {
  inputs: { shape: number[]; dtype: string; values: number[] }[];
  outputs: { shape: number[]; values: number[] }[];
}

/** Largest |Tessera - Keras| over the fixture's outputs. */
async function maxDifference(name: string): Promise<number> {
  const record = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as Recorded;
  const model = await loadKeras(join(FIXTURES, `${name}.keras`));
  const inputs = record.inputs.map((x) =>
    x.dtype.startsWith("int")
      ? new Tensor(Int32Array.from(x.values), x.shape)
      : new Tensor(Float32Array.from(x.values), x.shape),
  );
  const out = model.apply(inputs.length === 1 ? inputs[0]! : inputs);
  const expected = record.outputs[0]!;
  assert.deepEqual([...out.shape], expected.shape);
  let worst = 0;
  expected.values.forEach((v, i) => {
    worst = Math.max(worst, Math.abs((out.data[i] as number) - v));
  });
  return worst;
}

describe("loadKeras on files saved by Keras 3", () => {
  for (const name of ["mlp", "cnn", "lstm", "functional", "extras", "nested"]) {
    it(`${name}: outputs match Keras within ${TOLERANCE}`, async () => {
      const difference = await maxDifference(name);
      assert.ok(difference <= TOLERANCE, `${name}: max |difference| ${difference}`);
    });
  }

  it("keeps the Keras layer names and weight count", async () => {
    const model = await loadKeras(join(FIXTURES, "cnn.keras"));
    assert.deepEqual(
      model.layers.map((l) => l.className),
      ["Conv2D", "BatchNormalization", "MaxPooling2D", "Conv2D", "AveragePooling2D", "Flatten", "Dense"],
    );
    // conv 2 + batch norm 4 + conv 2 + dense 2
    assert.equal(model.weights.length, 10);
  });
});

describe("loadKeras on bad input", () => {
  const mlp = readFileSync(join(FIXTURES, "mlp.keras"));

  it("rejects a file that is not a zip", () => {
    assert.throws(() => parseKeras(new TextEncoder().encode("not a zip at all, just text")), FormatError);
  });

  it("rejects a truncated archive", () => {
    assert.throws(() => parseKeras(mlp.subarray(0, mlp.length - 100)), /zip|end-of-central/);
  });

  it("rejects corrupt weights with a FormatError, never a crash", () => {
    const bytes = new Uint8Array(mlp);
    const zipText = new TextDecoder("latin1").decode(bytes);
    const h5 = zipText.indexOf("\x89HDF");
    assert.ok(h5 > 0);
    for (let i = h5 + 600; i < h5 + 1400; i += 7) bytes[i] = (bytes[i]! + 91) & 0xff;
    assert.throws(() => parseKeras(bytes), FormatError);
  });

  it("names the layer class Tessera lacks", () => {
    const config = readFileSync(join(FIXTURES, "mlp.keras"));
    const zip = new TextDecoder("latin1").decode(config);
    assert.ok(zip.includes('"class_name": "Dropout"'));
    // an archive built by hand: config.json naming an unknown layer class
    const bad = storedZip({
      "config.json": JSON.stringify({
        class_name: "Sequential",
        config: {
          name: "s",
          layers: [
            { class_name: "InputLayer", config: { batch_shape: [null, 3], name: "in" } },
            { class_name: "RandomRotation", config: { name: "rot", factor: 0.1 } },
          ],
        },
      }),
      "model.weights.h5": "",
    });
    assert.throws(
      () => parseKeras(bad),
      (e: unknown) => e instanceof ConfigError && /RandomRotation/.test(e.message),
    );
  });
});

/** A zip of stored (uncompressed) entries, enough for configs written by hand. */
function storedZip(files: Record<string, string>): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = new TextEncoder().encode(text);
    const nameBytes = new TextEncoder().encode(name);
    const crc = crc32(data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, nameBytes.length, true);
    const entry = new DataView(new ArrayBuffer(46));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint32(16, crc, true);
    entry.setUint32(20, data.length, true);
    entry.setUint32(24, data.length, true);
    entry.setUint16(28, nameBytes.length, true);
    entry.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), nameBytes, data);
    central.push(new Uint8Array(entry.buffer), nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dirSize = central.reduce((n, p) => n + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, Object.keys(files).length, true);
  end.setUint16(10, Object.keys(files).length, true);
  end.setUint32(12, dirSize, true);
  end.setUint32(16, offset, true);
  return Buffer.concat([...parts, ...central, new Uint8Array(end.buffer)]);
}

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
