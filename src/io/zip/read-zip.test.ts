// Tests of the zip reader on an archive written by Python's zipfile (stored, deflated and empty
// entries, an archive comment) and on damaged copies of it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FormatError } from "../../core/errors.js";
import { ZipArchive } from "./read-zip.js";

const ARCHIVE = new Uint8Array(
  readFileSync(join(import.meta.dirname, "../../../test/fixtures/keras/deflated.zip")),
);

describe("ZipArchive", () => {
  it("lists and reads stored, deflated and empty entries", () => {
    const zip = new ZipArchive(ARCHIVE);
    assert.deepEqual([...zip.entries.keys()], ["stored.txt", "deflated.json", "empty"]);
    assert.equal(zip.readText("stored.txt"), "stored entry\n");
    assert.equal(zip.entries.get("deflated.json")?.method, 8);
    assert.equal(JSON.parse(zip.readText("deflated.json")).repeat, "tessera ".repeat(200));
    assert.equal(zip.read("empty").length, 0);
  });

  it("names a missing entry and what the archive holds", () => {
    assert.throws(
      () => new ZipArchive(ARCHIVE, "a.zip").read("config.json"),
      /no entry "config.json".*stored\.txt/,
    );
  });

  it("detects a changed byte through the CRC-32", () => {
    const bytes = new Uint8Array(ARCHIVE);
    const at = new TextDecoder("latin1").decode(bytes).indexOf("stored entry");
    bytes[at] = "S".charCodeAt(0);
    assert.throws(() => new ZipArchive(bytes).read("stored.txt"), /CRC-32 mismatch in "stored.txt"/);
  });

  it("refuses what is not a zip, and cut archives", () => {
    assert.throws(() => new ZipArchive(new Uint8Array(10)), /not a zip archive/);
    assert.throws(() => new ZipArchive(ARCHIVE.subarray(0, ARCHIVE.length - 40)), FormatError);
  });
});
