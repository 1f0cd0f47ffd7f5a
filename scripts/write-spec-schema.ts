// scripts/write-spec-schema: writes schema/spec.schema.json (shipped in the package) from its one
// source, src/cli/spec-schema.ts. Run after changing the spec:
//   node --import tsx scripts/write-spec-schema.ts
// src/cli/spec-schema.test.ts fails while the file is stale.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { specSchemaText } from "../src/cli/spec-schema.js";

const dir = join(import.meta.dirname, "..", "schema");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "spec.schema.json"), specSchemaText());
console.log(`wrote ${join(dir, "spec.schema.json")}`);
