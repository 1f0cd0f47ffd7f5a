// responsible/privacy-risk tests: a hand-counted table, then real data (datasets/penguins.csv,
// whose island/species/sex play quasi-identifiers here), before and after generalisation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Generalizer } from "../data/pii/generalize.js";
import { Table } from "../data/table/table.js";
import { readCsv } from "../io/read-csv.js";
import { privacyRisk } from "./privacy-risk.js";

const people = Table.fromRecords([
  { zip: "13053", age: 28, disease: "heart" },
  { zip: "13053", age: 28, disease: "viral" },
  { zip: "13053", age: 28, disease: "heart" },
  { zip: "14850", age: 47, disease: "cancer" },
  { zip: "14850", age: 47, disease: "cancer" },
  { zip: "13068", age: 36, disease: null },
]);

test("privacyRisk: classes, k, violations and l counted by hand", () => {
  const r = privacyRisk(people, { quasiIdentifiers: ["zip", "age"], sensitive: ["disease"], k: 2, l: 2 });
  assert.equal(r.rows, 6);
  assert.equal(r.classes, 3); // {13053,28} x3, {14850,47} x2, {13068,36} x1
  assert.equal(r.smallestClass, 1);
  assert.equal(r.kAnonymous, false);
  assert.equal(r.violatingClasses, 1);
  assert.equal(r.violatingRows, 1);
  assert.deepEqual(r.violations, [{ values: { zip: "13068", age: "36" }, size: 1 }]);
  const [d] = r.lDiversity;
  assert.equal(d!.l, 1); // the 14850 class holds only "cancer" (and the single row one value)
  assert.equal(d!.classesBelowL, 2);
  assert.equal(d!.rowsBelowL, 3);
  assert.equal(d!.entropyL, 1); // exp(0): a class with one value
  const three = privacyRisk(people.take([0, 1, 2]), { quasiIdentifiers: ["zip"], sensitive: ["disease"] });
  // heart 2/3, viral 1/3: entropy = -(2/3 ln 2/3 + 1/3 ln 1/3)
  assert.ok(
    Math.abs(
      three.lDiversity[0]!.entropyL - Math.exp(-(2 / 3) * Math.log(2 / 3) - (1 / 3) * Math.log(1 / 3)),
    ) < 1e-12,
  );
  assert.equal(three.lDiversity[0]!.l, 2);
  assert.equal(privacyRisk(people, { quasiIdentifiers: ["zip", "age"], k: 1 }).kAnonymous, true);
});

test("privacyRisk: bad input is a clear ValueError", () => {
  assert.throws(() => privacyRisk(people, { quasiIdentifiers: [] }), /at least one quasi-identifier/);
  assert.throws(
    () => privacyRisk(people, { quasiIdentifiers: ["postcode"] }),
    /no quasi-identifier column "postcode" \(columns: zip, age, disease\)/,
  );
  assert.throws(
    () => privacyRisk(people, { quasiIdentifiers: ["zip"], sensitive: ["zip"] }),
    /both a quasi-identifier and sensitive/,
  );
  assert.throws(() => privacyRisk(people, { quasiIdentifiers: ["zip"], k: 0 }), /k must be an integer >= 1/);
});

test("privacyRisk on real data: generalising a quasi-identifier raises k", async () => {
  const penguins = await readCsv("datasets/penguins.csv");
  const quasi = ["island", "sex", "body_mass_g"];
  const before = privacyRisk(penguins, { quasiIdentifiers: quasi, sensitive: ["species"], k: 5 });
  const coarse = new Generalizer({ rules: { body_mass_g: { bands: 1000 } } }).fitTransform(penguins);
  const after = privacyRisk(coarse, { quasiIdentifiers: quasi, sensitive: ["species"], k: 5 });
  // Figures of datasets/penguins.csv (344 rows); they change only if the data file does.
  assert.deepEqual(
    [before.rows, before.classes, before.smallestClass, before.violatingClasses, before.violatingRows],
    [344, 193, 1, 184, 297],
  );
  // 1000 g bands: 23 classes, 11 of them (24 rows, mostly rows missing sex) still under k = 5.
  assert.deepEqual(
    [after.rows, after.classes, after.smallestClass, after.violatingClasses, after.violatingRows],
    [344, 23, 1, 11, 24],
  );
  assert.deepEqual(after.violations[0], {
    values: { island: "Torgersen", sex: "(missing)", body_mass_g: "(missing)" },
    size: 1,
  });
  assert.equal(after.lDiversity[0]!.rowsBelowL, 190); // most classes hold one species: l = 1
});
