// useWasm: from the module's bytes, or fetched from a loopback server, it registers the wasm
// backend and makes it active; bytes that are no module and an address that answers 404 raise a
// BackendError naming the problem, and the backend that ran before keeps running.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { BackendError } from "../../core/errors.js";
import { getBackend, setBackend } from "../registry.js";
import { useWasm } from "./use-wasm.js";

const WASM = fileURLToPath(new URL("../../../wasm/tessera.wasm", import.meta.url));

test("useWasm takes bytes or an address, and rejects what is not the module", async () => {
  const bytes = readFileSync(WASM);
  setBackend("reference");
  assert.equal(await useWasm(new Uint8Array(bytes)), "wasm (simd128, 1 thread)");
  assert.equal(getBackend(), "wasm");

  setBackend("reference");
  await assert.rejects(useWasm(new Uint8Array([0, 97, 115, 109, 9, 9])), (error: unknown) => {
    assert.ok(error instanceof BackendError);
    assert.match(error.message, /not a usable Tessera WebAssembly module/);
    return true;
  });
  assert.equal(getBackend(), "reference");

  const server = createServer((request, response) => {
    if (request.url === "/tessera.wasm") {
      response.writeHead(200, { "content-type": "application/wasm" });
      response.end(bytes);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await assert.rejects(useWasm(`${base}/missing.wasm`), /missing\.wasm answered 404/);
    assert.equal(getBackend(), "reference");
    assert.match(await useWasm(new URL(`${base}/tessera.wasm`)), /^wasm \(simd128/);
    assert.equal(getBackend(), "wasm");
  } finally {
    server.close();
  }
});
