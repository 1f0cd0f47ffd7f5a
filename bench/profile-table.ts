// bench/profile-table: reads a V8 CPU profile (from bench/step-profile.ts) and prints where the
// main thread's time went, in markdown: totals per category and the top self-time entries.
// Categories: kernels (time inside a backend's kernel call, attributed to the op that called it;
// the native work on pool threads is not in a main-thread profile), JS per-op overhead (our
// TypeScript outside the backends), allocation/zero-fill (typed-array allocation), copies
// (explicit array copies), GC, runtime (V8/Node internals) and idle (main thread waiting).
//   node --import tsx bench/profile-table.ts profile.cpuprofile [steps] [top=20]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export type Category =
  | "kernels"
  | "JS per-op overhead"
  | "allocation/zero-fill"
  | "copies"
  | "GC"
  | "runtime"
  | "idle";

const ALLOCATION = new Set([
  "allocate",
  "allocateFresh",
  "viewOf",
  "takePooled",
  "allocateUninit",
  "createUnsafeBuffer",
  "createUnsafeArrayBuffer",
  "allocUnsafeSlow",
  "Float32Array",
  "Float64Array",
  "Int32Array",
  "Uint8Array",
  "ArrayBuffer",
]);
const COPIES = /^(copyOf|clone|contiguous|slice|subarray|set|copyWithin|materialize\w*)$/;

function fileOf(url: string): string {
  const at = url.indexOf("/src/");
  if (at >= 0) return url.slice(at + 1);
  const bench = url.indexOf("/bench/");
  if (bench >= 0) return url.slice(bench + 1);
  return url.replace(/^file:\/\/.*\/node_modules\//, "node_modules/");
}

function isBackend(url: string): boolean {
  return url.includes("/src/backend/");
}

/** Category and row label of a sample whose stack is `stack` (leaf first). */
export function classify(stack: readonly CallFrame[]): { category: Category; label: string } {
  const leaf = stack[0]!;
  const name = leaf.functionName || "(anonymous)";
  if (name === "(garbage collector)") return { category: "GC", label: name };
  if (name === "(idle)") return { category: "idle", label: name };
  if (name === "(program)") return { category: "runtime", label: name };
  if (ALLOCATION.has(name)) return { category: "allocation/zero-fill", label: name };
  if (COPIES.test(name)) return { category: "copies", label: `${name} ${fileOf(leaf.url)}` };
  // a native addon call: a frame without a script under a backend's wrapper (V8 gives every
  // N-API function one shared name, so the kernel is named by the op that called it)
  const isNative = leaf.url === "" && stack[1] !== undefined && isBackend(stack[1].url);
  if (isNative || isBackend(leaf.url)) {
    // the kernel call's time lands in its table wrapper: name the first caller outside backend/
    const caller = stack.find((f) => f.url.includes("/src/") && !isBackend(f.url));
    const op = caller === undefined ? name : `${caller.functionName || "(anonymous)"} ${fileOf(caller.url)}`;
    return { category: "kernels", label: `kernel from ${op}` };
  }
  if (leaf.url.includes("/src/") || leaf.url.includes("/bench/"))
    return { category: "JS per-op overhead", label: `${name} ${fileOf(leaf.url)}` };
  return { category: "runtime", label: `${name} ${fileOf(leaf.url) || "(native)"}` };
}

/** Self time in ms per (category, label), and per category. */
export function summarize(profile: CpuProfile): {
  rows: { category: Category; label: string; ms: number }[];
  categories: Map<Category, number>;
  totalMs: number;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number): CallFrame[] => {
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      stack.push(byId.get(at)!.callFrame);
    return stack;
  };
  const cache = new Map<number, { category: Category; label: string }>();
  const rows = new Map<string, { category: Category; label: string; ms: number }>();
  const categories = new Map<Category, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    let c = cache.get(id);
    if (c === undefined) {
      c = classify(stackOf(id));
      cache.set(id, c);
    }
    const key = `${c.category}|${c.label}`;
    const row = rows.get(key) ?? { ...c, ms: 0 };
    row.ms += ms;
    rows.set(key, row);
    categories.set(c.category, (categories.get(c.category) ?? 0) + ms);
    totalMs += ms;
  });
  return { rows: [...rows.values()].sort((a, b) => b.ms - a.ms), categories, totalMs };
}

/** The two markdown tables: per category, then the top `top` rows; ms are per step. */
export function markdownTables(profile: CpuProfile, steps: number, top = 20): string {
  const { rows, categories, totalMs } = summarize(profile);
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1)} %`;
  const per = (ms: number) => (ms / steps).toFixed(2);
  const lines = [
    `Main-thread time sampled: ${per(totalMs)} ms/step over ${steps} steps.`,
    "",
    "| category | ms/step | share |",
    "|---|---:|---:|",
    ...[...categories].sort((a, b) => b[1] - a[1]).map(([c, ms]) => `| ${c} | ${per(ms)} | ${pct(ms)} |`),
    "",
    `| # | self time (top ${top}) | category | ms/step | share |`,
    "|---:|---|---|---:|---:|",
    ...rows
      .slice(0, top)
      .map((r, i) => `| ${i + 1} | ${r.label} | ${r.category} | ${per(r.ms)} | ${pct(r.ms)} |`),
  ];
  return lines.join("\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [path, stepsArg = "1", topArg = "20"] = process.argv.slice(2);
  if (path === undefined) throw new Error("profile-table: give a .cpuprofile path");
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  console.log(markdownTables(profile, Number(stepsArg), Number(topArg)));
}
