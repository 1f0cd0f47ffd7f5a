// scripts/write-spec-schema: writes the JSON Schemas shipped under schema/ from their one source
// in src/cli: spec.schema.json (cli/spec-schema.ts, what parseSpec validates against) and the
// --json result schemas (cli/result-schemas.ts). Run after changing either:
//   node --import tsx scripts/write-spec-schema.ts
// src/cli/spec-schema.test.ts fails while a file is stale.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RESULT_SCHEMAS } from "../src/cli/result-schemas.js";
import { SPEC_SCHEMA } from "../src/cli/spec-schema.js";

const dir = join(import.meta.dirname, "..", "schema");
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries({ "spec.schema.json": SPEC_SCHEMA, ...RESULT_SCHEMAS })) {
  writeFileSync(join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${join(dir, file)}`);
}
