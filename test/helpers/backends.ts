// test/helpers/backends: runs one test body on every registered backend (the parity suite).
// Importing src/index.ts registers every backend that loads (reference always, native when its
// addon is built, wasm when wasm/tessera.wasm is: `npm run build:wasm`), so a suite written with
// forEachBackend runs on each of them automatically.
import { afterEach, beforeEach, describe } from "node:test";
import { type BackendName, getBackend, listBackends, setBackend } from "../../src/index.js";

/**
 * Declares `describe("<title> [<backend>]", body)` once per registered backend. Every test inside
 * runs with that backend selected; the previously active backend is restored after each test.
 * @example
 * forEachBackend("exp", () => {
 *   test("matches Math.exp", () => { ... });
 * });
 */
export function forEachBackend(title: string, body: (backend: BackendName) => void): void {
  for (const name of listBackends()) {
    describe(`${title} [${name}]`, () => {
      let previous: BackendName = "reference";
      beforeEach(() => {
        previous = getBackend();
        setBackend(name);
      });
      afterEach(() => {
        setBackend(previous);
      });
      body(name);
    });
  }
}

/** Runs `fn` with the given backend active, restoring the previous one afterwards. */
export function withBackend<T>(name: BackendName, fn: () => T): T {
  const previous = getBackend();
  setBackend(name);
  try {
    return fn();
  } finally {
    setBackend(previous);
  }
}
