import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CsvTokenizer, type ScannedRecord } from "./csv-scan.js";

const OPTIONS = { delimiter: ",", quote: 34, escape: 34, comment: -1, maxRecordChars: 1 << 20 };

/** Records of `text` cut into pieces of `size` characters (every size gives the same answer). */
function tokenize(text: string, size: number, options = OPTIONS): ScannedRecord[] {
  const out: ScannedRecord[] = [];
  const tokenizer = new CsvTokenizer(options, (r) => out.push(r));
  for (let i = 0; i < text.length; i += size) tokenizer.push(text.slice(i, i + size));
  tokenizer.end();
  return out;
}

function eachCut(text: string, options = OPTIONS): ScannedRecord[] {
  const whole = tokenize(text, text.length + 1, options);
  for (let size = 1; size <= Math.min(text.length, 12); size++) {
    assert.deepEqual(tokenize(text, size, options), whole, `pieces of ${size}`);
  }
  return whole;
}

describe("CsvTokenizer", () => {
  it("splits fields and counts lines across quoted newlines, CRLF and blank lines", () => {
    const records = eachCut('a,b\r\n"x\ny",1\n\n2,"q""q"\n3,4');
    assert.deepEqual(
      records.map((r) => [r.fields, r.line, r.lastLine]),
      [
        [["a", "b"], 1, 1],
        [["x\ny", "1"], 2, 3],
        [["2", 'q"q'], 5, 5],
        [["3", "4"], 6, 6],
      ],
    );
  });

  it("reads a doubled quote before a delimiter or a line break as data (issue 12)", () => {
    const records = eachCut('"He said ""no""",x\n"a""\nb",1\n');
    assert.deepEqual(
      records.map((r) => r.fields),
      [
        ['He said "no"', "x"],
        ['a"\nb', "1"],
      ],
    );
  });

  it("accepts mixed line endings: a CRLF header with LF rows, CR-only files with blank lines", () => {
    assert.deepEqual(
      eachCut("a,b\r\n1,2\n3,4\n").map((r) => [r.fields, r.line]),
      [
        [["a", "b"], 1],
        [["1", "2"], 2],
        [["3", "4"], 3],
      ],
    );
    assert.deepEqual(
      eachCut("a,b\r1,2\r\r3,4\r").map((r) => [r.fields, r.line]),
      [
        [["a", "b"], 1],
        [["1", "2"], 2],
        [["3", "4"], 4],
      ],
    );
  });

  it("marks malformed records with the reason instead of guessing", () => {
    const records = eachCut('a,b\n1,x"y\n"p"q,2\n3,"open\n4,5\n');
    assert.deepEqual(
      records.map((r) => [r.line, r.malformed !== undefined]),
      [
        [1, false],
        [2, true],
        [3, true],
        [4, true],
      ],
    );
    assert.match(records[1]!.malformed!, /a quote inside an unquoted field \(field 2/);
    assert.match(records[2]!.malformed!, /text after the closing quote of field 1/);
    assert.match(records[3]!.malformed!, /not closed by the end of the input/);
    assert.equal(records[3]!.lastLine, 5);
  });

  it("honours a backslash escape, a multi-character delimiter and comment lines", () => {
    const escaped = eachCut('"a\\"b",c\n', { ...OPTIONS, escape: 92 });
    assert.deepEqual(escaped[0]!.fields, ['a"b', "c"]);
    const multi = eachCut("a::b::\n1::2::3\n", { ...OPTIONS, delimiter: "::" });
    assert.deepEqual(
      multi.map((r) => r.fields),
      [
        ["a", "b", ""],
        ["1", "2", "3"],
      ],
    );
    const comments = eachCut("#x,y\r\na\n#z\nb", { ...OPTIONS, comment: 35 });
    assert.deepEqual(
      comments.map((r) => [r.fields, r.line]),
      [
        [["a"], 2],
        [["b"], 4],
      ],
    );
  });

  it("drops the text of a record past maxRecordChars but still finds where it ends", () => {
    const text = `a\n"${"x".repeat(50)}\n"\nb\n`;
    const records = eachCut(text, { ...OPTIONS, maxRecordChars: 20 });
    assert.deepEqual(
      records.map((r) => [r.fields, r.line, r.oversized]),
      [
        [["a"], 1, false],
        [[], 2, true],
        [["b"], 4, false],
      ],
    );
  });
});
