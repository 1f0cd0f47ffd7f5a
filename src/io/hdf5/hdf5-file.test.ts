// Tests of the HDF5 reader on files written by h5py 3.16 / HDF5 2.0 (test/fixtures/keras,
// make-hdf5-fixtures.py): every layout and filter Keras and h5py use, checked value by value.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FormatError } from "../../core/errors.js";
import { type Hdf5Dataset, hdf5Get, openHdf5 } from "./hdf5-file.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/keras");
const expected = JSON.parse(readFileSync(join(FIXTURES, "hdf5-expected.json"), "utf8")) as Record<
  string,
  { shape: number[]; values: number[] }
>;

function dataset(file: string, path: string): Hdf5Dataset {
  const root = openHdf5(readFileSync(join(FIXTURES, file)), file);
  const node = hdf5Get(root, path);
  assert.equal(node?.kind, "dataset", `${file}:${path}`);
  return node as Hdf5Dataset;
}

describe("openHdf5 on h5py files", () => {
  for (const path of Object.keys(expected)) {
    it(`superblock 0: ${path} reads back exactly`, () => {
      const d = dataset("layouts-v0.h5", path);
      assert.deepEqual([...d.shape], expected[path]!.shape);
      assert.deepEqual([...d.read()], expected[path]!.values);
    });
  }

  it("reports dtypes", () => {
    assert.equal(dataset("layouts-v0.h5", "ints").dtype, "int32");
    assert.equal(dataset("layouts-v0.h5", "half").dtype, "float16");
    assert.equal(dataset("layouts-v0.h5", "chunked64").dtype, "float64");
  });

  it("lists a group spread over several symbol-table nodes", () => {
    const root = openHdf5(readFileSync(join(FIXTURES, "layouts-v0.h5")));
    const many = hdf5Get(root, "many");
    assert.equal(many?.kind, "group");
    const names = many?.kind === "group" ? many.names() : [];
    assert.equal(names.length, 20);
    assert.deepEqual(dataset("layouts-v0.h5", "many/g17").read(), new Float64Array([17]));
  });

  it("reads version 2 object headers and link messages (libver v110)", () => {
    for (const path of ["layers/dense/vars/0", "ints"]) {
      assert.deepEqual([...dataset("layouts-v110.h5", path).read()], expected[path]!.values);
    }
  });

  it("names an unsupported chunk index instead of reading garbage", () => {
    assert.throws(() => dataset("layouts-v110.h5", "fixed-array-chunks").read(), /chunk index type 3/);
  });
});

describe("openHdf5 on corrupt input", () => {
  const good = readFileSync(join(FIXTURES, "layouts-v0.h5"));

  it("rejects a file without the signature", () => {
    assert.throws(() => openHdf5(new Uint8Array(600)), /not an HDF5 file/);
  });

  it("rejects truncations and flipped bytes with FormatError only", () => {
    const walk = (bytes: Uint8Array): void => {
      const root = openHdf5(bytes);
      const visit = (node: ReturnType<typeof hdf5Get>, depth: number): void => {
        if (node === undefined || depth > 8) return;
        if (node.kind === "dataset") node.read();
        else for (const name of node.names()) visit(node.child(name), depth + 1);
      };
      visit(root, 0);
    };
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let trial = 0; trial < 60; trial++) {
      const bytes = new Uint8Array(good);
      const cut = trial % 3 === 0 ? next() % good.length : good.length;
      for (let k = 0; k < 8; k++) bytes[next() % bytes.length] = next() & 0xff;
      try {
        walk(bytes.subarray(0, cut));
      } catch (error) {
        assert.ok(error instanceof FormatError, `trial ${trial}: ${String(error)}`);
      }
    }
  });
});
