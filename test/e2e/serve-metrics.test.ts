// GET /metrics on a real loopback server: the whole text parses as the Prometheus text exposition
// format (0.0.4), keeps the server's own series and carries the standard process and Node.js
// runtime series (names of prom-client's default collectors).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningServer } from "../../src/serve/server.js";
import { call } from "./fixtures/http-client.js";
import { serveLinear } from "./fixtures/linear-server.js";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? (\\S+)(?: (-?\\d+))?$`);
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: [""],
  gauge: [""],
  untyped: [""],
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

/**
 * A strict reader of the text format: HELP and TYPE once per family and before its samples, every
 * sample line well-formed and belonging to a declared family, values that parse as floats, no
 * duplicate series, histogram buckets cumulative and ending in +Inf equal to _count.
 */
function parseExposition(text: string): Map<string, Family> {
  assert.ok(text.endsWith("\n"), "the exposition ends with a newline");
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  for (const [i, line] of text.slice(0, -1).split("\n").entries()) {
    const where = `line ${i + 1}: ${JSON.stringify(line)}`;
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment !== null) {
      const [, kind, name, rest] = comment;
      assert.match(name!, new RegExp(`^${NAME}$`), where);
      const family = families.get(name!) ?? { type: "", help: "", samples: [] };
      if (kind === "HELP") {
        assert.equal(family.help, "", `${where}: second HELP`);
        family.help = rest!;
      } else {
        assert.equal(family.type, "", `${where}: second TYPE`);
        assert.ok(rest! in SUFFIXES, `${where}: unknown type`);
        assert.equal(family.samples.length, 0, `${where}: TYPE after samples`);
        family.type = rest!;
      }
      families.set(name!, family);
      continue;
    }
    assert.ok(!line.startsWith("#") && line.trim() !== "", `${where}: stray comment or blank line`);
    const match = SAMPLE.exec(line);
    assert.ok(match !== null, `${where}: not a sample line`);
    const name = match[1]!;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(new RegExp(LABEL, "g"))) labels[key!] = value!;
    const raw = match[match.length - 2]!;
    assert.match(raw, /^([+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?|[+-]Inf|NaN)$/i, `${where}: value`);
    const value = raw.endsWith("Inf") ? (raw.startsWith("-") ? -Infinity : Infinity) : Number(raw);
    const owner = [...families.entries()].find(([base, f]) =>
      (SUFFIXES[f.type] ?? []).some((s) => `${base}${s}` === name),
    );
    assert.ok(owner !== undefined, `${where}: sample of an undeclared family`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    assert.ok(!seen.has(key), `${where}: duplicate series`);
    seen.add(key);
    owner[1].samples.push({ name, labels, value });
  }
  for (const [name, family] of families) {
    assert.notEqual(family.type, "", `${name} has no TYPE`);
    if (family.type !== "histogram") continue;
    const series = new Map<string, Sample[]>();
    for (const s of family.samples.filter((x) => x.name.endsWith("_bucket"))) {
      const { le: _le, ...rest } = s.labels;
      const k = JSON.stringify(Object.entries(rest).sort());
      series.set(k, [...(series.get(k) ?? []), s]);
    }
    for (const [k, buckets] of series) {
      for (let b = 1; b < buckets.length; b++)
        assert.ok(buckets[b]!.value >= buckets[b - 1]!.value, `${name} cumulative`);
      assert.equal(buckets.at(-1)!.labels.le, "+Inf", `${name}${k} ends in +Inf`);
      const count = family.samples.find(
        (s) => s.name === `${name}_count` && JSON.stringify(Object.entries(s.labels).sort()) === k,
      );
      assert.equal(count?.value, buckets.at(-1)!.value, `${name}${k}: +Inf bucket equals _count`);
    }
  }
  return families;
}

const one = (families: Map<string, Family>, name: string): number => {
  const family = families.get(name);
  assert.ok(family !== undefined, `${name} missing`);
  assert.equal(family.samples.length, 1, `${name}: one sample`);
  return family.samples[0]!.value;
};

describe("/metrics", () => {
  let server: RunningServer;
  before(async () => {
    server = await serveLinear({ name: "lin", weights: [[2]], bias: [1] });
  });
  after(() => server.close());

  test("parses as Prometheus text and carries the server's and the runtime's series", async () => {
    assert.equal((await call(`${server.url}/v1/models/lin:predict`, "POST", { instances: [3] })).status, 200);
    const reply = await call(`${server.url}/metrics`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    const families = parseExposition(reply.text);

    // The server's own series stay.
    const predicted = families
      .get("tessera_http_requests_total")!
      .samples.find((s) => s.labels.route === "/v1/models/{name}:predict");
    assert.deepEqual(predicted?.labels, { code: "200", method: "POST", route: "/v1/models/{name}:predict" });
    assert.equal(predicted?.value, 1);
    assert.equal(families.get("tessera_batch_size_rows")?.type, "histogram");
    assert.equal(one(families, "tessera_buffered_body_bytes"), 0);

    // Process series: counters and gauges with plausible values.
    assert.equal(families.get("process_cpu_seconds_total")?.type, "counter");
    const cpu = one(families, "process_cpu_seconds_total");
    const user = one(families, "process_cpu_user_seconds_total");
    const system = one(families, "process_cpu_system_seconds_total");
    assert.ok(
      cpu > 0 && Math.abs(cpu - user - system) < 1e-9,
      `cpu ${cpu} = user ${user} + system ${system}`,
    );
    const rss = one(families, "process_resident_memory_bytes");
    assert.ok(rss > 10 * 1024 * 1024 && rss < 64 * 1024 ** 3, `rss ${rss}`);
    const started = one(families, "process_start_time_seconds");
    assert.ok(Math.abs(started - (Date.now() / 1000 - process.uptime())) < 2, `start time ${started}`);
    assert.ok(one(families, "process_open_fds") > 0);
    assert.ok(one(families, "process_max_fds") >= one(families, "process_open_fds"));
    assert.ok(one(families, "process_virtual_memory_bytes") >= rss);

    // Node.js runtime series.
    const lag = one(families, "nodejs_eventloop_lag_seconds");
    assert.ok(lag >= 0 && lag < 5, `lag ${lag}`);
    for (const stat of ["min", "max", "mean", "stddev", "p50", "p90", "p99"]) {
      assert.ok(one(families, `nodejs_eventloop_lag_${stat}_seconds`) >= 0, stat);
    }
    assert.ok(
      one(families, "nodejs_eventloop_lag_max_seconds") >= one(families, "nodejs_eventloop_lag_min_seconds"),
    );
    const heapUsed = one(families, "nodejs_heap_size_used_bytes");
    assert.ok(heapUsed > 0 && heapUsed <= one(families, "nodejs_heap_size_total_bytes"));
    assert.ok(one(families, "nodejs_external_memory_bytes") >= 0);
    // The listening socket keeps the loop alive: a TCP server handle is among the active resources.
    const resources = families.get("nodejs_active_resources")!.samples;
    assert.ok(
      resources.some((s) => s.labels.type === "TCPServerWrap"),
      JSON.stringify(resources),
    );
    assert.equal(
      one(families, "nodejs_active_resources_total"),
      resources.reduce((n, s) => n + s.value, 0),
    );
    const version = families.get("nodejs_version_info")!.samples[0]!;
    assert.equal(version.labels.version, process.version);

    // The CPU counter grows between scrapes, as a counter must.
    const again = parseExposition((await call(`${server.url}/metrics`)).text);
    assert.ok(one(again, "process_cpu_seconds_total") >= cpu);
  });

  test("the reader rejects what is not the exposition format", () => {
    assert.throws(() => parseExposition("x 1\n"), /undeclared family/);
    assert.throws(() => parseExposition("# TYPE x gauge\nx{a=b} 1\n"), /not a sample line/);
    assert.throws(() => parseExposition("# TYPE x gauge\nx one\n"), /not a sample line|value/);
    assert.throws(() => parseExposition("# TYPE x gauge\nx 1\nx 2\n"), /duplicate series/);
    assert.throws(
      () =>
        parseExposition(
          '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 0\n',
        ),
      /cumulative/,
    );
  });
});
