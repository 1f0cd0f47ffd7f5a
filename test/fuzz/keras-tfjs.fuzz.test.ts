// test/fuzz: the readers behind loadKeras and loadTfjs (io/zip, io/hdf5, io/keras, io/tfjs).
// Property: only typed errors escape, on arbitrary bytes and on real files (saved by Keras 3 and
// tfjs-layers, test/fixtures) with flipped bytes, cuts and extensions; what an HDF5 file yields
// stays bounded by the file's size.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Hdf5Object, openHdf5 } from "../../src/io/hdf5/hdf5-file.js";
import { parseKeras } from "../../src/io/keras/load-keras.js";
import { parseTfjs } from "../../src/io/tfjs/load-tfjs.js";
import { ZipArchive } from "../../src/io/zip/read-zip.js";
import { assertBounded, bytesFrom, fc, fuzz, fuzzAsync } from "./harness.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
const KERAS = new Uint8Array(readFileSync(join(FIXTURES, "keras", "mlp.keras")));
const HDF5 = new Uint8Array(readFileSync(join(FIXTURES, "keras", "layouts-v0.h5")));
const TFJS_JSON = readFileSync(join(FIXTURES, "tfjs", "mlp", "model.json"), "utf8");
const TFJS_SHARD = new Uint8Array(readFileSync(join(FIXTURES, "tfjs", "mlp", "group1-shard1of1.bin")));

const EDITS = fc.tuple(
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
  fc.integer({ min: -64, max: 8 }),
);

function corrupt(valid: Uint8Array, [flips, resize]: [[number, number][], number]): Uint8Array {
  const bytes = new Uint8Array(Math.max(0, valid.length + resize));
  bytes.set(valid.subarray(0, bytes.length));
  for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
  return bytes;
}

/** Reads every dataset of an HDF5 file, counting the elements produced. */
function readAll(bytes: Uint8Array): void {
  let elements = 0;
  const visit = (node: Hdf5Object | undefined, depth: number): void => {
    if (node === undefined || depth > 10) return;
    if (node.kind === "dataset") elements += node.read().length;
    else for (const name of node.names()) visit(node.child(name), depth + 1);
  };
  visit(openHdf5(bytes), 0);
  // deflate expands at most ~1032x; the reader refuses anything larger before allocating
  assertBounded("HDF5 elements", elements, bytes.length, 1032, 2 ** 20);
}

fuzz(
  "ZipArchive on arbitrary bytes",
  bytesFrom("PK\u0003\u0004\u0001\u0002\u0005\u0006\u0000", 300),
  (bytes) => {
    const zip = new ZipArchive(bytes);
    for (const name of zip.entries.keys()) zip.read(name);
  },
);

fuzz("openHdf5 on corrupted h5py files", EDITS, (edits) => readAll(corrupt(HDF5, edits)), { runs: 60 });

fuzz("parseKeras on corrupted .keras files", EDITS, (edits) => void parseKeras(corrupt(KERAS, edits)), {
  runs: 40,
});

fuzzAsync(
  "parseTfjs on corrupted model.json and shards",
  fc.tuple(EDITS, EDITS),
  async ([jsonEdits, shardEdits]) => {
    const text = new TextDecoder().decode(corrupt(new TextEncoder().encode(TFJS_JSON), jsonEdits));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return; // not JSON at all: loadTfjs's strict parser refuses it before parseTfjs
    }
    const shard = corrupt(TFJS_SHARD, shardEdits);
    await parseTfjs(json, async () => shard);
  },
  { runs: 40 },
);
