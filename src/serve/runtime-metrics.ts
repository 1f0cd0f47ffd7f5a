// serve/runtime-metrics: the standard process and Node.js runtime series for GET /metrics, under
// the names of prom-client's default collectors, so existing dashboards and alerts apply:
//   process_cpu_user_seconds_total, process_cpu_system_seconds_total, process_cpu_seconds_total,
//   process_start_time_seconds, process_resident_memory_bytes, process_virtual_memory_bytes and
//   process_heap_bytes (Linux), process_open_fds and process_max_fds (Linux),
//   nodejs_eventloop_lag_seconds (delay of a setImmediate scheduled at scrape time),
//   nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds (event-loop delay sampled every
//   10 ms since the previous scrape, the sampling interval itself subtracted),
//   nodejs_heap_size_total_bytes, nodejs_heap_size_used_bytes, nodejs_external_memory_bytes,
//   nodejs_active_resources{type}, nodejs_active_resources_total, nodejs_version_info.
// The heap series are the main thread's; resident memory and CPU include the inference workers.
import { readdirSync, readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Counter, Gauge } from "./metrics.js";

const RESOLUTION_MS = 10;

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** A `Vm...: N kB` field of /proc/self/status in bytes. */
function statusBytes(status: string | undefined, field: string): number | undefined {
  const match = status === undefined ? null : new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match === null ? undefined : Number(match[1]) * 1024;
}

function openFds(): number | undefined {
  try {
    return readdirSync("/proc/self/fd").length - 1; // minus the descriptor of the listing itself
  } catch {
    return undefined;
  }
}

function maxFds(): number | undefined {
  const line = readProc("/proc/self/limits")
    ?.split("\n")
    .find((l) => l.startsWith("Max open files"));
  const soft =
    line === undefined ? undefined : Number(line.slice("Max open files".length).trim().split(/\s+/)[0]);
  return soft === undefined || !Number.isFinite(soft) ? undefined : soft;
}

/** Delay of a setImmediate callback scheduled now, in seconds. */
export function measureEventLoopLag(): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => setImmediate(() => resolve(Number(process.hrtime.bigint() - start) / 1e9)));
}

/** Collects the runtime series; `stop()` ends the event-loop sampling. */
export class RuntimeMetrics {
  private readonly delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly startTime = Math.round(Date.now() / 1000 - process.uptime());

  constructor() {
    this.delay.enable();
  }

  stop(): void {
    this.delay.disable();
  }

  /** The series in the Prometheus text format; `lagSeconds` from measureEventLoopLag(). */
  render(lagSeconds: number): string {
    const families: (Counter | Gauge)[] = [];
    const counter = (name: string, help: string, value: number) => {
      const c = new Counter(name, help);
      c.setTotal(value);
      families.push(c);
    };
    const gauge = (name: string, help: string, value: number | undefined) => {
      if (value === undefined) return;
      const g = new Gauge(name, help);
      g.set(value);
      families.push(g);
    };
    const cpu = process.cpuUsage();
    counter("process_cpu_user_seconds_total", "Total user CPU time spent in seconds.", cpu.user / 1e6);
    counter("process_cpu_system_seconds_total", "Total system CPU time spent in seconds.", cpu.system / 1e6);
    counter(
      "process_cpu_seconds_total",
      "Total user and system CPU time spent in seconds.",
      (cpu.user + cpu.system) / 1e6,
    );
    gauge(
      "process_start_time_seconds",
      "Start time of the process since unix epoch in seconds.",
      this.startTime,
    );
    const memory = process.memoryUsage();
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", memory.rss);
    const status = readProc("/proc/self/status");
    gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", statusBytes(status, "VmSize"));
    gauge("process_heap_bytes", "Process heap size in bytes.", statusBytes(status, "VmData"));
    gauge("process_open_fds", "Number of open file descriptors.", openFds());
    gauge("process_max_fds", "Maximum number of open file descriptors.", maxFds());

    gauge("nodejs_eventloop_lag_seconds", "Lag of event loop in seconds.", lagSeconds);
    const h = this.delay;
    const lag = (ns: number) => (h.count === 0 ? 0 : Math.max(0, ns / 1e9 - RESOLUTION_MS / 1000));
    const stats: [string, number][] = [
      ["min", lag(h.min)],
      ["max", lag(h.max)],
      ["mean", lag(h.mean)],
      ["stddev", h.count === 0 ? 0 : h.stddev / 1e9],
      ["p50", lag(h.percentile(50))],
      ["p90", lag(h.percentile(90))],
      ["p99", lag(h.percentile(99))],
    ];
    for (const [stat, value] of stats) {
      gauge(`nodejs_eventloop_lag_${stat}_seconds`, `The ${stat} of the recorded event loop delays.`, value);
    }
    h.reset();

    gauge("nodejs_heap_size_total_bytes", "Process heap size from Node.js in bytes.", memory.heapTotal);
    gauge("nodejs_heap_size_used_bytes", "Process heap size used from Node.js in bytes.", memory.heapUsed);
    gauge("nodejs_external_memory_bytes", "Node.js external memory size in bytes.", memory.external);

    const resources = process.getActiveResourcesInfo();
    const byType = new Gauge(
      "nodejs_active_resources",
      "Number of active resources that are currently keeping the event loop alive, grouped by async resource type.",
    );
    for (const type of resources) byType.add(1, { type });
    families.push(byType);
    gauge("nodejs_active_resources_total", "Total number of active resources.", resources.length);

    const version = new Gauge("nodejs_version_info", "Node.js version info.");
    const [major, minor, patch] = process.versions.node.split(".");
    version.set(1, { version: process.version, major: major ?? "", minor: minor ?? "", patch: patch ?? "" });
    families.push(version);
    return `${families.map((f) => f.render()).join("\n")}\n`;
  }
}
