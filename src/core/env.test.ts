// core/env tests: variables read through the host process, empty meaning unset; warnings reach
// Node's process warnings with their code.
import assert from "node:assert/strict";
import { test } from "node:test";
import { envVariable, hostWarning } from "./env.js";

test("envVariable reads the process environment, an empty value counting as unset", () => {
  process.env.TESSERA_ENV_TEST = "value";
  assert.equal(envVariable("TESSERA_ENV_TEST"), "value");
  process.env.TESSERA_ENV_TEST = "";
  assert.equal(envVariable("TESSERA_ENV_TEST"), undefined);
  delete process.env.TESSERA_ENV_TEST;
  assert.equal(envVariable("TESSERA_ENV_TEST"), undefined);
});

test("hostWarning emits a process warning with its code", async () => {
  const seen = new Promise<Error & { code?: string }>((resolve) => process.once("warning", resolve));
  hostWarning("something to know", "TESSERA_ENV_TEST");
  const warning = await seen;
  assert.equal(warning.message, "something to know");
  assert.equal(warning.code, "TESSERA_ENV_TEST");
});
