// The JSON/NDJSON findings of issue 12: each test reproduces one finding.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../core/errors.js";
import { Table } from "../table/table.js";
import { formatJson, formatNdjson, parseJson, parseNdjson, parseNdjsonStream } from "./json.js";
import { ReadError, ReadReport } from "./read-report.js";

const encoder = new TextEncoder();

async function readStream(chunks: Iterable<Uint8Array | string>, options = {}): Promise<Table> {
  const tables: Table[] = [];
  for await (const t of parseNdjsonStream(chunks, options)) tables.push(t);
  return Table.concat(tables);
}

describe("JSON: any key is a column", () => {
  it('keeps a column named "__proto__" through reading, toRecords and both writers (was: vanished)', () => {
    const table = parseJson('[{"__proto__": 1, "a": 2}, {"a": 3}]');
    assert.deepEqual(table.columnNames, ["__proto__", "a"]);
    const first = table.toRecords()[0]!;
    assert.ok(Object.hasOwn(first, "__proto__"));
    assert.equal(Object.getPrototypeOf(first), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(first, "__proto__")?.value, 1);
    assert.equal(formatJson(table), '[{"__proto__":1,"a":2},{"__proto__":null,"a":3}]');
    assert.equal(formatNdjson(table), '{"__proto__":1,"a":2}\n{"__proto__":null,"a":3}\n');
    assert.deepEqual(parseNdjson(formatNdjson(table)).toColumns(), table.toColumns());
    assert.ok(Object.hasOwn(table.toColumns(), "__proto__"));
  });

  it('reads keys like "constructor" and "toString" that some records lack (was: rejected)', () => {
    const table = parseNdjson('{"a": 1}\n{"a": 2, "constructor": 3}\n{"toString": "x"}\n');
    assert.deepEqual(table.columnNames, ["a", "constructor", "toString"]);
    assert.deepEqual(table.column("constructor").toArray(), [null, 3, null]);
    assert.deepEqual(table.column("toString").toArray(), [null, null, "x"]);
    const typed = parseJson('[{"a": 1}]', { types: {} });
    assert.equal(typed.column("a").kind, "int");
  });
});

describe("JSON: invalid UTF-8", () => {
  const bytes = Uint8Array.from([
    ...encoder.encode('{"a": "x"}\n{"a": "y'),
    0xc3,
    0x28,
    ...encoder.encode('"}\n'),
  ]);

  it("is a ReadError naming the file, line and column (was: an untyped TypeError)", async () => {
    const expected = (e: unknown) =>
      e instanceof ReadError &&
      e.line === 2 &&
      /f\.ndjson line 2: column 9: invalid UTF-8 \(byte 0xC3 at byte offset 19/.test(e.message);
    assert.throws(() => parseNdjson(bytes, { source: "f.ndjson" }), expected);
    assert.throws(() => parseJson(bytes, { source: "f.ndjson" }), expected);
    for (const size of [1, 3, 7, 100]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
        bytes.subarray(i * size, (i + 1) * size),
      );
      await assert.rejects(readStream(chunks, { source: "f.ndjson" }), expected, `chunks of ${size}`);
    }
  });

  it('is read as U+FFFD and counted with invalidUtf8: "replace"', async () => {
    const report = new ReadReport();
    const table = parseNdjson(bytes, { invalidUtf8: "replace", report });
    assert.deepEqual(table.column("a").toArray(), ["x", "y\ufffd("]);
    assert.equal(report.invalidUtf8Replaced, 1);
    const streamReport = new ReadReport();
    const streamed = await readStream([bytes.subarray(0, 20), bytes.subarray(20)], {
      invalidUtf8: "replace",
      report: streamReport,
    });
    assert.deepEqual(streamed.toRecords(), table.toRecords());
    assert.equal(streamReport.invalidUtf8Replaced, 1);
  });
});

describe("NDJSON stream: linear in the line's length", () => {
  /** CPU milliseconds to stream one NDJSON line of `size` characters in 16 KiB chunks (best of 3). */
  async function cpuMs(size: number): Promise<number> {
    const line = `{"s": "${"x".repeat(size)}"}\n`;
    const chunks: string[] = [];
    for (let i = 0; i < line.length; i += 16384) chunks.push(line.slice(i, i + 16384));
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 3; k++) {
      const start = process.cpuUsage();
      const table = await readStream(chunks);
      const used = process.cpuUsage(start);
      assert.equal((table.get(0, "s") as string).length, size);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    return best;
  }

  it("4x the line costs well under 16x the time (was: quadratic, 73 s for 128 MiB)", async () => {
    const small = await cpuMs(1 << 20);
    const large = await cpuMs(4 << 20);
    // Linear: about 4x. Quadratic (the old carry += chunk; carry.lastIndexOf): about 16x.
    assert.ok(
      large < 10 * Math.max(small, 1),
      `1 MiB line: ${small.toFixed(1)} ms, 4 MiB: ${large.toFixed(1)} ms`,
    );
  });
});

describe("JSON: options objects", () => {
  it("refuse an unknown key with a ConfigError naming it", () => {
    const unknown = { schema: {} } as unknown as Record<string, never>;
    const named = (op: string) => (e: unknown) =>
      e instanceof ConfigError && new RegExp(`${op}: unknown option "schema"`).test(e.message);
    assert.throws(() => parseJson("[]", unknown), named("parseJson"));
    assert.throws(() => parseNdjson("", unknown), named("parseNdjson"));
    assert.throws(() => parseNdjsonStream([], unknown), named("parseNdjsonStream"));
    assert.throws(() => formatJson(Table.fromRecords([]), unknown), named("formatJson"));
  });
});
