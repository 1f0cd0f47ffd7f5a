// data/pii detectors and scan tests. The PII table is synthetic (test/fixtures/pii/people.ts: documentation-range e-mail domains, the card networks' published test numbers, the IBAN
// examples of the ISO 13616 registry, RFC 5737/3849 documentation IP ranges); the negative checks
// run on real data sets (datasets/penguins.csv, datasets/seattle-weather.csv).
import assert from "node:assert/strict";
import { test } from "node:test";
import { syntheticPeople } from "../../../test/fixtures/pii/people.js";
import { readCsv } from "../../io/read-csv.js";
import { Table } from "../table/table.js";
import { kindFromName } from "./column-hints.js";
import { detectValue, ibanValid, isIpv6, isPhone, luhnValid, maskValue } from "./detectors.js";
import { scanPii } from "./scan.js";

test("luhn and IBAN mod-97 checksums", () => {
  assert.equal(luhnValid("4111111111111111"), true);
  assert.equal(luhnValid("4111111111111112"), false);
  assert.equal(luhnValid("79927398713"), true); // the classic worked example
  assert.equal(ibanValid("GB82WEST12345698765432"), true);
  assert.equal(ibanValid("GB82WEST12345698765433"), false);
  assert.equal(ibanValid("DE89370400440532013000"), true);
});

test("detectValue recognises each kind and refuses look-alikes", () => {
  const cases: [string, string | null][] = [
    ["ada.lovelace@example.com", "email"],
    ["a@b", null],
    ["not an email@example.com", null],
    ["4111 1111 1111 1111", "card"],
    ["5500-0000-0000-0004", "card"],
    ["378282246310005", "card"],
    ["4111 1111 1111 1112", null], // Luhn fails; too long for a phone
    ["GB82 WEST 1234 5698 7654 32", "iban"],
    ["DE89 3704 0044 0532 0130 00", "iban"],
    ["DE00 3704 0044 0532 0130 00", null],
    ["192.0.2.17", "ip"],
    ["256.1.1.1", null],
    ["2001:db8::8a2e:370:7334", "ip"],
    ["::ffff:192.0.2.1", "ip"],
    ["+14155552671", "phone"],
    ["+44 20 7946 0958", "phone"],
    ["(555) 123-4567", "phone"],
    ["555-123-4567", "phone"],
    ["06 12 34 56 78", "phone"],
    ["2012-01-01", null], // a date, not a phone
    ["12345678", null], // a bare number
    ["3.14159265", null],
    ["Adelie", null],
  ];
  for (const [value, kind] of cases) assert.equal(detectValue(value), kind, value);
  assert.equal(isIpv6("1:2:3:4:5:6:7:8:9"), false);
  assert.equal(isIpv6("1::2::3"), false);
  assert.equal(isPhone("0123456789"), true);
});

test("maskValue hides all but the shape", () => {
  assert.equal(maskValue("email", "ada@example.com"), "a**@e******.com");
  assert.equal(maskValue("card", "4111 1111 1111 1111"), "**** **** **** 1111");
  assert.equal(maskValue("phone", "+44 20 7946 0958"), "+** ** **** **58");
  assert.equal(maskValue("iban", "GB82WEST12345698765432"), "GB82**************5432");
  assert.equal(maskValue("ip", "192.0.2.17"), "192.*.*.*");
  assert.equal(maskValue("date_of_birth", "1984-03-12"), "1984-**-**");
});

test("kindFromName reads column names", () => {
  const cases: [string, string | null][] = [
    ["email", "email"],
    ["E-Mail", "email"],
    ["phoneNumber", "phone"],
    ["date_of_birth", "date_of_birth"],
    ["dob", "date_of_birth"],
    ["first_name", "name"],
    ["customerName", "name"],
    ["file_name", null],
    ["zip", "postcode"],
    ["ssn", "national_id"],
    ["age", "age"],
    ["gender", "special_category"],
    ["bill_length_mm", null],
  ];
  for (const [name, kind] of cases) assert.equal(kindFromName(name), kind, name);
});

test("scanPii names the personal columns of a synthetic table", () => {
  const report = scanPii(syntheticPeople(), { now: new Date("2025-01-01") });
  const byColumn = Object.fromEntries(report.map((r) => [r.column, r]));
  const kinds = Object.fromEntries(report.map((r) => [r.column, r.kind]));
  assert.deepEqual(kinds, {
    id: null,
    name: "name",
    email: "email",
    phone: "phone",
    card: "card",
    iban: "iban",
    ip: "ip",
    born: "date_of_birth",
    age: "age",
    zip: "postcode",
    sex: "special_category",
    score: null,
  });
  assert.equal(byColumn.email!.matchRate, 1);
  assert.equal(byColumn.email!.evidence, "values+name");
  assert.equal(byColumn.name!.evidence, "name");
  assert.equal(byColumn.born!.evidence, "values+name");
  // Under a neutral name the dates alone (ages 34..62) still read as birth dates.
  const renamed = scanPii(syntheticPeople().rename({ born: "d" }), { now: new Date("2025-01-01") });
  assert.deepEqual(
    [renamed.find((r) => r.column === "d")!.kind, renamed.find((r) => r.column === "d")!.evidence],
    ["date_of_birth", "values"],
  );
  assert.deepEqual(byColumn.card!.examples, [
    "**** **** **** 1111",
    "**** **** **** 0004",
    "***********0005",
  ]);
  assert.equal(byColumn.card!.role, "direct");
  assert.equal(byColumn.zip!.role, "quasi");
  for (const r of report)
    for (const e of r.examples) assert.doesNotMatch(e, /ada@|Lovelace|4111 1111 1111 1111/);
});

test("scanPii: a column is named only when most values match", () => {
  const mixed = Table.fromRecords(
    ["a@example.com", "b", "c", "d", "e@example.com"].map((contact) => ({ contact })),
  );
  assert.equal(scanPii(mixed)[0]!.kind, null);
  assert.equal(scanPii(mixed, { minMatchRate: 0.4 })[0]!.kind, "email");
  assert.equal(scanPii(mixed, { minMatchRate: 0.4 })[0]!.matchRate, 0.4);
  assert.throws(() => scanPii(mixed, { sampleSize: 0 }), /sampleSize must be a positive integer/);
});

test("scanPii on real data sets finds what is there and nothing else", async () => {
  const penguins = await readCsv("datasets/penguins.csv");
  const found = scanPii(penguins).filter((r) => r.kind !== null);
  // Only "sex" (by its name); no measurement or island looks like a phone, card or address.
  assert.deepEqual(
    found.map((r) => [r.column, r.kind]),
    [["sex", "special_category"]],
  );
  const weather = await readCsv("datasets/seattle-weather.csv");
  // Observation dates span a few recent years: not birth dates.
  assert.deepEqual(
    scanPii(weather, { now: new Date("2025-01-01") }).filter((r) => r.kind !== null),
    [],
  );
});
