// io/onnx/import/backend-tests: runs one of the ONNX project's backend node tests (a folder with
// model.onnx and test_data_set_*/input_*.pb, output_*.pb, as Debian's libonnx-testdata installs
// them) through loadOnnx and compares with numpy's allclose (rtol 1e-3, atol 1e-7, the ONNX
// backend runner's defaults). Used by the test suite and to list the passing tests. Layer: io.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Tensor } from "../../../tensor/tensor.js";
import { parseOnnx } from "./onnx-model.js";
import { decodeTensor } from "./onnx-values.js";

/** Where Debian's libonnx-testdata puts the node tests. */
export const ONNX_NODE_TEST_DIR = "/usr/share/libonnx-testdata/data/node";

const RTOL = 1e-3;
const ATOL = 1e-7;

/** The outcome of one backend test: null when it passed, else why not. */
export function runBackendTest(dir: string): string | null {
  let model: ReturnType<typeof parseOnnx>;
  try {
    model = parseOnnx(new Uint8Array(readFileSync(join(dir, "model.onnx"))), join(dir, "model.onnx"));
  } catch (error) {
    return (error as Error).message;
  }
  const sets = readdirSync(dir).filter((d) => d.startsWith("test_data_set_"));
  if (sets.length === 0) return "no test data sets";
  for (const set of sets) {
    const read = (prefix: string) =>
      readdirSync(join(dir, set))
        .filter((f) => f.startsWith(prefix) && f.endsWith(".pb"))
        .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
        .map((f) => decodeTensor(new Uint8Array(readFileSync(join(dir, set, f))), join(dir, set, f)));
    let inputs: Tensor[];
    let expected: Tensor[];
    try {
      inputs = read("input_");
      expected = read("output_");
    } catch (error) {
      return (error as Error).message;
    }
    const feeds: Record<string, Tensor> = {};
    model.inputs.forEach((info, i) => {
      if (inputs[i] !== undefined) feeds[info.name] = inputs[i]!;
    });
    let outputs: Record<string, Tensor>;
    try {
      outputs = model.run(feeds);
    } catch (error) {
      return (error as Error).message;
    }
    for (let i = 0; i < expected.length; i++) {
      const name = model.outputs[i]?.name ?? "";
      const got = outputs[name];
      const want = expected[i]!;
      if (got === undefined) return `output ${name} missing`;
      if (got.shape.join(",") !== want.shape.join(","))
        return `output ${name}: shape [${got.shape}] != [${want.shape}]`;
      for (let k = 0; k < want.size; k++) {
        const a = Number(got.data[k]);
        const b = Number(want.data[k]);
        if (Number.isNaN(a) && Number.isNaN(b)) continue;
        if (a === b) continue;
        if (!(Math.abs(a - b) <= ATOL + RTOL * Math.abs(b))) return `output ${name}[${k}]: ${a} != ${b}`;
      }
    }
  }
  return null;
}

/** Every node test folder name, or null when the package is not installed. */
export function listBackendTests(root = ONNX_NODE_TEST_DIR): string[] | null {
  if (!existsSync(root)) return null;
  return readdirSync(root)
    .filter((d) => existsSync(join(root, d, "model.onnx")))
    .sort();
}
