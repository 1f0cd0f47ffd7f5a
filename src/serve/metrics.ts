// serve/metrics: counters, gauges and histograms rendered in the Prometheus text exposition format
// (version 0.0.4) for GET /metrics. Label sets are kept small and bounded by the server (routes
// are templates, never raw paths).

type Labels = Readonly<Record<string, string>>;

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(",")}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return Number.isNaN(value) ? "NaN" : String(value);
}

interface Metric {
  render(): string;
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  /** Sets the total of a counter kept elsewhere (the operating system's CPU time). */
  setTotal(value: number, labels: Labels = {}): void {
    this.values.set(labelKey(labels), value);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key} ${formatNumber(value)}`);
    return lines.join("\n");
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  set(value: number, labels: Labels = {}): void {
    this.values.set(labelKey(labels), value);
  }
  add(by: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key} ${formatNumber(value)}`);
    return lines.join("\n");
  }
}

interface HistogramSeries {
  labels: Labels;
  counts: number[]; // per bucket, not cumulative
  sum: number;
  count: number;
}

export class Histogram implements Metric {
  private readonly series = new Map<string, HistogramSeries>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    let series = this.series.get(key);
    if (series === undefined) {
      series = { labels, counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const index = this.buckets.findIndex((b) => value <= b);
    if (index >= 0) series.counts[index]!++;
    series.sum += value;
    series.count++;
  }
  /** Number of observations and their sum for one label set. */
  stats(labels: Labels = {}): { count: number; sum: number } {
    const series = this.series.get(labelKey(labels));
    return { count: series?.count ?? 0, sum: series?.sum ?? 0 };
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const series of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i]!;
        lines.push(
          `${this.name}_bucket${labelKey({ ...series.labels, le: formatNumber(bound) })} ${cumulative}`,
        );
      });
      lines.push(`${this.name}_bucket${labelKey({ ...series.labels, le: "+Inf" })} ${series.count}`);
      lines.push(`${this.name}_sum${labelKey(series.labels)} ${formatNumber(series.sum)}`);
      lines.push(`${this.name}_count${labelKey(series.labels)} ${series.count}`);
    }
    return lines.join("\n");
  }
}

/** The server's metrics. */
export class ServerMetrics {
  readonly requests = new Counter(
    "tessera_http_requests_total",
    "HTTP requests by route, method and status code.",
  );
  readonly latency = new Histogram(
    "tessera_http_request_duration_seconds",
    "Time from request to response, by route.",
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  readonly batchSize = new Histogram(
    "tessera_batch_size_rows",
    "Rows per batch sent to a model, by model.",
    [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
  );
  readonly batchRequests = new Histogram(
    "tessera_batch_size_requests",
    "Requests merged into one batch, by model.",
    [1, 2, 4, 8, 16, 32, 64, 128],
  );
  readonly inferenceSeconds = new Histogram(
    "tessera_inference_duration_seconds",
    "Time a worker spent on one batch, by model.",
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  readonly planReplays = new Counter(
    "tessera_inference_plan_replays_total",
    "Model calls answered by replaying an inference plan (no layers, no allocations), by model.",
  );
  readonly loadSeconds = new Gauge("tessera_model_load_seconds", "Time taken to load each model, by model.");
  readonly inflight = new Gauge("tessera_inflight_requests", "Requests being processed now.");
  readonly queuedRows = new Gauge("tessera_queued_rows", "Rows waiting for a batch, by model.");
  readonly bufferedBodyBytes = new Gauge(
    "tessera_buffered_body_bytes",
    "Request-body bytes being received and buffered now.",
  );
  readonly backend = new Gauge(
    "tessera_backend_info",
    "The compute backend each model's inference workers run on (value 1), by model and backend.",
  );

  /** One batch a worker ran: its time, and how many of its model calls replayed a plan. */
  recordInference(model: string, ms: number, planReplays: number): void {
    this.inferenceSeconds.observe(ms / 1000, { model });
    this.planReplays.inc({ model }, planReplays);
  }

  render(): string {
    const all: Metric[] = [
      this.requests,
      this.latency,
      this.batchSize,
      this.batchRequests,
      this.inferenceSeconds,
      this.planReplays,
      this.loadSeconds,
      this.inflight,
      this.queuedRows,
      this.bufferedBodyBytes,
      this.backend,
    ];
    return `${all.map((m) => m.render()).join("\n")}\n`;
  }
}
