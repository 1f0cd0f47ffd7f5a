// examples/customer-segments/segment: customer segmentation of 7,043 telecom customers (IBM's Telco
// churn sample as modeldata's wa_churn; see DATA-LICENSE.md) from what they buy and how long they
// have stayed: standardised features, K-means for k = 2..8
// scored by silhouette and Davies-Bouldin, a 2-D PCA projection written to CSV for plotting, and
// DBSCAN on that projection to find the customers who fit no segment. Churn is left out of the
// clustering and only used afterwards, to see whether the segments differ in it. Run from the
// repository root:   npx tsx --conditions=tessera-source examples/customer-segments/segment.ts
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ts from "tessera-ml";

/** Numeric columns clustered on (`total_charges` is left out: it is about tenure times monthly charges). */
export const NUMERIC = ["tenure", "monthly_charges"] as const;
/** 0/1 columns as they are in the file. */
export const FLAGS = ["phone_service", "paperless_billing"] as const;
/** Columns that become 1 where they say "Yes" (else 0: "No", "No phone service", "No internet service"). */
export const SERVICES = [
  "multiple_lines",
  "online_security",
  "online_backup",
  "device_protection",
  "tech_support",
  "streaming_tv",
  "streaming_movies",
] as const;
/** Categorical columns, one-hot encoded, with their levels. */
export const CATEGORIES = {
  internet_service: ["DSL", "Fiber optic", "No"],
  contract: ["Month-to-month", "One year", "Two year"],
} as const;
export const FEATURES: string[] = [
  ...NUMERIC,
  ...FLAGS,
  ...SERVICES,
  ...Object.entries(CATEGORIES).flatMap(([name, levels]) => levels.map((level) => `${name}=${level}`)),
];

export interface Customers {
  /** (rows, FEATURES.length), raw values (0/1 for flags, services and levels). */
  raw: ts.ml.Matrix;
  churn: boolean[];
}

/** Reads the CSV (the first `rows` rows when given) into the FEATURES matrix and the churn labels. */
export async function loadCustomers(path: string, rows?: number): Promise<Customers> {
  const table = await ts.readCsv(path);
  const n = Math.min(rows ?? table.numRows, table.numRows);
  const cols = FEATURES.length;
  const data = new Float64Array(n * cols);
  let c = 0;
  for (const name of [...NUMERIC, ...FLAGS]) {
    const values = table.column(name).numbers;
    for (let r = 0; r < n; r++) data[r * cols + c] = values[r]!;
    c++;
  }
  for (const name of SERVICES) {
    const values = table.column(name).toArray();
    for (let r = 0; r < n; r++) data[r * cols + c] = values[r] === "Yes" ? 1 : 0;
    c++;
  }
  for (const [name, levels] of Object.entries(CATEGORIES)) {
    const values = table.column(name).toArray();
    for (const level of levels) {
      for (let r = 0; r < n; r++) data[r * cols + c] = values[r] === level ? 1 : 0;
      c++;
    }
  }
  const churn = table
    .column("churn")
    .toArray()
    .slice(0, n)
    .map((v) => v === "Yes");
  return { raw: { rows: n, cols, data }, churn };
}

/** (x - mean) / sd per column (sd with ddof 0), as StandardScaler does. */
export function standardise(m: ts.ml.Matrix): ts.ml.Matrix {
  const scaler = new ts.StandardScaler();
  const z = scaler.fitTransform(ts.tensor(Float32Array.from(m.data), { shape: [m.rows, m.cols] }));
  return { rows: m.rows, cols: m.cols, data: Float64Array.from(z.data) };
}

export interface KScore {
  k: number;
  inertia: number;
  silhouette: number;
  daviesBouldin: number;
}

export interface Segment {
  size: number;
  churnRate: number;
  /** Mean of each FEATURES column over the segment's customers (raw units). */
  means: number[];
}

export interface SegmentationResult {
  scores: KScore[];
  bestK: number;
  labels: Int32Array;
  segments: Segment[];
  overallChurn: number;
  /** Share of the variance along the first two principal components. */
  pcaVarianceRatio: [number, number];
  /** (rows, 2) coordinates on the first two principal components. */
  projection: Float32Array;
  dbscan: { eps: number; clusters: number; noise: number; noiseChurnRate: number };
}

export interface SegmentOptions {
  ks?: readonly number[];
  seed?: number;
  /** DBSCAN radius on the 2-D projection. */
  eps?: number;
  minSamples?: number;
}

function churnRate(churn: readonly boolean[], rows: readonly number[]): number {
  return rows.length === 0 ? Number.NaN : rows.filter((r) => churn[r]).length / rows.length;
}

/** Clusters the customers and profiles the chosen segmentation. */
export function segmentCustomers(customers: Customers, options: SegmentOptions = {}): SegmentationResult {
  const { raw, churn } = customers;
  const seed = options.seed ?? 42;
  const z = standardise(raw);
  const scores: KScore[] = [];
  let best: { k: number; labels: Int32Array; silhouette: number } | null = null;
  for (const k of options.ks ?? [2, 3, 4, 5, 6, 7, 8]) {
    const km = new ts.ml.KMeans({ nClusters: k, nInit: 5, seed }).fit(z);
    const labels = km.labels!;
    const silhouette = ts.ml.silhouetteScore(z, labels);
    scores.push({ k, inertia: km.inertia, silhouette, daviesBouldin: ts.ml.daviesBouldinScore(z, labels) });
    if (best === null || silhouette > best.silhouette) best = { k, labels, silhouette };
  }
  if (best === null) throw new Error("segmentCustomers: no k to try");
  const members: number[][] = Array.from({ length: best.k }, () => []);
  best.labels.forEach((label, r) => {
    members[label]!.push(r);
  });
  const segments = members.map((rows) => ({
    size: rows.length,
    churnRate: churnRate(churn, rows),
    means: FEATURES.map((_, c) => rows.reduce((s, r) => s + raw.data[r * raw.cols + c]!, 0) / rows.length),
  }));
  const pca = new ts.ml.PCA({ nComponents: 2 }).fit(z);
  const projection = Float32Array.from(pca.transform(z).data);
  const ratio = pca.explainedVarianceRatio;
  const eps = options.eps ?? 0.3;
  const dbscan = new ts.ml.DBSCAN({ eps, minSamples: options.minSamples ?? 10 }).fit(
    ts.tensor(projection, { shape: [raw.rows, 2] }),
  );
  const dbLabels = dbscan.labels!;
  const noiseRows = [...dbLabels.keys()].filter((r) => dbLabels[r] === -1);
  return {
    scores,
    bestK: best.k,
    labels: best.labels,
    segments,
    overallChurn: churnRate(
      churn,
      churn.map((_, r) => r),
    ),
    pcaVarianceRatio: [ratio[0]!, ratio[1]!],
    projection,
    dbscan: {
      eps,
      clusters: new Set([...dbLabels].filter((l) => l >= 0)).size,
      noise: noiseRows.length,
      noiseChurnRate: churnRate(churn, noiseRows),
    },
  };
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const started = performance.now();
  const customers = await loadCustomers(join(here, "wa-churn.csv"));
  const result = segmentCustomers(customers);
  console.log(`${customers.raw.rows} customers, ${FEATURES.length} features (standardised)`);
  console.log("k  inertia    silhouette  Davies-Bouldin");
  for (const s of result.scores) {
    console.log(
      `${s.k}  ${s.inertia.toFixed(0).padStart(8)}   ${s.silhouette.toFixed(4)}      ${s.daviesBouldin.toFixed(4)}`,
    );
  }
  console.log(
    `chosen k = ${result.bestK} (highest silhouette); churn over all customers ${pct(result.overallChurn)}`,
  );
  const headers = [
    "tenure",
    "monthly_charges",
    "internet_service=Fiber optic",
    "internet_service=No",
    "contract=Month-to-month",
  ];
  console.log(`segment  size  churn   ${headers.join("  ")}`);
  result.segments.forEach((s, i) => {
    const cells = headers.map((h) => s.means[FEATURES.indexOf(h)]!.toFixed(2));
    console.log(
      `${i}        ${String(s.size).padStart(4)}  ${pct(s.churnRate).padStart(6)}  ${cells.join("  ")}`,
    );
  });
  const [r1, r2] = result.pcaVarianceRatio;
  console.log(`PCA: the first two components hold ${pct(r1)} + ${pct(r2)} of the variance`);
  const d = result.dbscan;
  console.log(
    `DBSCAN on the projection (eps ${d.eps}): ${d.clusters} dense region(s), ${d.noise} customers outside them (churn ${pct(d.noiseChurnRate)})`,
  );
  const lines = ["pc1,pc2,segment,churn"];
  for (let r = 0; r < customers.raw.rows; r++) {
    lines.push(
      `${result.projection[2 * r]!.toFixed(4)},${result.projection[2 * r + 1]!.toFixed(4)},${result.labels[r]},${customers.churn[r] ? "yes" : "no"}`,
    );
  }
  const outDir = join("runs", "customer-segments");
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, "projection.csv");
  await writeFile(out, `${lines.join("\n")}\n`);
  const svg = join(outDir, "projection.svg");
  await writeFile(svg, projectionSvg(result.projection, result.labels, 1500, 42));
  console.log(
    `projection written to ${out} and ${svg}; whole script ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

const COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];

/**
 * A scatter plot (SVG) of `points` customers drawn at random (seeded) from the (n, 2) projection,
 * one colour per segment.
 */
export function projectionSvg(
  projection: Float32Array,
  labels: Int32Array,
  points: number,
  seed: number,
): string {
  const n = labels.length;
  const generator = new ts.Generator(seed);
  const rows = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = generator.int(0, i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const [size, pad] = [420, 30];
  const xs = rows.map((r) => projection[2 * r]!);
  const ys = rows.map((r) => projection[2 * r + 1]!);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (v: number) => (pad + ((v - x0) / (x1 - x0)) * (size - 2 * pad)).toFixed(1);
  const sy = (v: number) => (size - pad - ((v - y0) / (y1 - y0)) * (size - 2 * pad)).toFixed(1);
  const dots = rows
    .slice(0, points)
    .map(
      (r) =>
        `<circle cx="${sx(projection[2 * r]!)}" cy="${sy(projection[2 * r + 1]!)}" r="2" fill="${COLOURS[labels[r]! % COLOURS.length]}" fill-opacity="0.6"/>`,
    );
  const k = Math.max(...labels) + 1;
  const legend = Array.from(
    { length: k },
    (_, c) =>
      `<text x="${pad + c * 60}" y="18" font-size="12" font-family="sans-serif" fill="${COLOURS[c % COLOURS.length]}">segment ${c}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">`,
    "<title>Customers on the first two principal components, coloured by segment</title>",
    `<rect width="${size}" height="${size}" fill="white"/>`,
    ...legend,
    `<text x="${size / 2}" y="${size - 6}" font-size="12" font-family="sans-serif" text-anchor="middle">principal component 1</text>`,
    `<text x="12" y="${size / 2}" font-size="12" font-family="sans-serif" text-anchor="middle" transform="rotate(-90 12 ${size / 2})">principal component 2</text>`,
    ...dots,
    "</svg>\n",
  ].join("\n");
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)} %`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
