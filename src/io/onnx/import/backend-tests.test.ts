// io/onnx/import/backend-tests.test: the ONNX project's backend node tests (Debian package
// libonnx-testdata) that loadOnnx passes, listed in test/fixtures/onnx/node-tests-passing.txt, are
// run here so that none regresses. The list was made by running every node test (see the file's
// neighbour README.md); without the package the suite says so and skips.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { listBackendTests, ONNX_NODE_TEST_DIR, runBackendTest } from "./backend-tests.js";

const listFile = new URL("../../../../test/fixtures/onnx/node-tests-passing.txt", import.meta.url);
const passing = readFileSync(listFile, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "");
const installed = listBackendTests();

describe("ONNX backend node tests (libonnx-testdata)", () => {
  if (installed === null) {
    it("libonnx-testdata is not installed", (t) => {
      t.skip(
        `SKIPPED: ${ONNX_NODE_TEST_DIR} is missing; apt-get install libonnx-testdata to run ${passing.length} ONNX node tests`,
      );
    });
    return;
  }
  it(`the ${passing.length} listed tests pass (of ${installed.length} in the package)`, () => {
    const failed: string[] = [];
    for (const name of passing) {
      const why = installed.includes(name)
        ? runBackendTest(join(ONNX_NODE_TEST_DIR, name))
        : "missing from the package";
      if (why !== null) failed.push(`${name}: ${why}`);
    }
    assert.deepEqual(failed, []);
  });
});
