// `tessera inspect-data`: the synthetic people fixture (test/fixtures/pii/people.ts) written to a
// CSV, scanned through the CLI (in-process, and once as a real child process for the exit codes);
// the --json document is checked against its shipped schema and the k-anonymity figures against
// a count by hand.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { writeCsv } from "../../src/io/read-csv.js";
import { syntheticPeople } from "../fixtures/pii/people.js";
import { runCli } from "./fixtures/cli-process.js";
import { assertResultSchema } from "./fixtures/result-schema.js";
import { runMain } from "./fixtures/run-main.js";

describe("tessera inspect-data", () => {
  let dir: string;
  let csv: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-inspect-data-"));
    csv = join(dir, "people.csv");
    await writeCsv(csv, syntheticPeople());
  });

  test("--json names the personal columns and the k-anonymity over the given quasi-identifiers", async () => {
    const { code, out, err } = await runMain([
      "inspect-data",
      csv,
      "--quasi",
      "zip,sex",
      "--sensitive",
      "age",
      "--k",
      "2",
      "--json",
    ]);
    assert.equal(code, 0, err);
    const result = JSON.parse(out);
    assertResultSchema("inspect-data", result);
    assert.equal(result.rows, 4);
    const kinds = Object.fromEntries(
      result.columns.map((c: { column: string; kind: string | null }) => [c.column, c.kind]),
    );
    assert.equal(kinds.email, "email");
    assert.equal(kinds.card, "card");
    assert.equal(kinds.iban, "iban");
    assert.equal(kinds.born, "date_of_birth");
    assert.equal(kinds.score, null);
    assert.ok(
      !out.includes("ada@example.com") && !out.includes("4111 1111 1111 1111"),
      "examples are masked",
    );
    // zip x sex: (90210,F) (90211,M) (10001,F) (10002,M): four classes of one row each.
    const p = result.privacy;
    assert.deepEqual(
      [p.classes, p.smallestClass, p.kAnonymous, p.violatingClasses, p.violatingRows],
      [4, 1, false, 4, 4],
    );
    assert.deepEqual(p.lDiversity[0], {
      sensitive: "age",
      l: 1,
      entropyL: 1,
      classesBelowL: 4,
      rowsBelowL: 4,
    });
  });

  test("text report, with quasi-identifiers and sensitive columns taken from the scan", async () => {
    const { code, out, err } = await runMain(["inspect-data", csv]);
    assert.equal(code, 0, err);
    assert.match(out, /people\.csv: 4 rows, 12 columns; 10 look personal/);
    assert.match(out, /\n {2}email +email +direct +values\+name +100% +a\*\*@e\*\*\*\*\*\*\.com/);
    // The scan's quasi-identifiers: born, age, zip; its sensitive column: sex.
    assert.match(out, /k-anonymity over born, age, zip: 4 classes, smallest 1 row; not 5-anonymous/);
    assert.match(out, /l-diversity of sex: l = 1/);
  });

  test("bad input: typed errors and exit codes from the real command", async () => {
    const missing = await runMain(["inspect-data", csv, "--quasi", "postcode"]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no quasi-identifier column "postcode" \(columns: id, name, email/);
    const badK = await runMain(["inspect-data", csv, "--k", "0"]);
    assert.equal(badK.code, 2);
    assert.match(badK.err, /--k must be an integer >= 1/);
    assert.equal((await runMain(["inspect-data"])).code, 2);
    const txt = join(dir, "notes.xml");
    writeFileSync(txt, "<x/>");
    const format = await runCli(["inspect-data", txt], dir);
    assert.equal(format.code, 1);
    assert.match(format.err, /unknown data format "\.xml"/);
    const help = await runCli(["inspect-data", "--help"], dir);
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: tessera inspect-data/);
  });
});
