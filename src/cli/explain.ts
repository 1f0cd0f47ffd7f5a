// cli/explain: `tessera explain <model> <data>`: which features the model's predictions depend on.
// permutation (default) ranks features by the score drop when each is shuffled (the data must hold
// the target column); shap and ig explain each of the first --rows records (Kernel SHAP against a
// background sampled from the data; integrated gradients from an all-zero model input) and rank
// features by mean |attribution|. permutation and shap work on the raw columns (through the saved
// preprocessing); ig, and --encoded, on the model's inputs after it.
import { ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { VERSION } from "../core/version.js";
import { Table } from "../data/table/table.js";
import { ModelPredictor } from "../io/predictor.js";
import { integratedGradients } from "../responsible/explain-gradients.js";
import type { Forward } from "../responsible/explain-model.js";
import { permutationImportance } from "../responsible/explain-permutation.js";
import { kernelShap } from "../responsible/explain-shap.js";
import { featureNamesOf } from "../serve/model-servable.js";
import { Tensor } from "../tensor/tensor.js";
import "../train/model-methods.js";
import { type Io, intOption, parseCommand, UsageError } from "./args.js";
import { readTable } from "./data-files.js";
import { backendFields, writeJson } from "./output.js";

export const EXPLAIN_HELP = `Usage: tessera explain <model-dir> <data.csv|.json|.ndjson|.parquet> [options]

Explains a saved model on a data file. permutation and shap explain the raw columns the model
was trained on (their values go through the saved preprocessing); ig, and --encoded, explain the
model's inputs after the preprocessing (a one-hot encoded column is one feature per category).

Methods:
  permutation  (default) the drop of a score when one feature is shuffled, averaged over
               --repeats shuffles; needs the target column. Accuracy for classifiers, R^2 for
               regression, or --scoring NAME (any metric name; errors and losses count as
               lower-is-better, so an important feature always has a positive importance).
  shap         Kernel SHAP values of each of the first --rows records against --background rows
               sampled from the data; a record's values sum to f(x) - E[f(background)].
  ig           integrated gradients of each of the first --rows records from a baseline input:
               all zeros (the training mean of standardised features; Captum's default) or,
               with --baseline mean, the mean model input over the data; they sum to
               f(x) - f(baseline).
A classifier's records are explained for their predicted class.

Options:
  --method <permutation|shap|ig>
  --top <K>           features listed overall and per record (default 10)
  --rows <N>          records explained by shap and ig (default 10)
  --repeats <R>       permutation shuffles per feature (default 5)
  --scoring <name>    permutation score (default accuracy or r2)
  --samples <S>       shap coalitions per record (default 2 x features + 512); ig steps (default 50)
  --baseline <zero|mean>  ig's baseline input (default zero)
  --background <B>    shap background rows (default 50)
  --seed <N>          seed of shuffles, background and coalitions (default 0)
  --encoded           permutation and shap: explain the encoded model inputs, not raw columns
  --json              print one JSON document: {"command": "explain", "version", "backend",
                      "backendDetail", "model", "method", "rows", "features": [{"name",
                      "importance", "std" (permutation)}] (the top K), "records" (shap and ig:
                      [{"row", "target", "prediction", "base", "attributions": [{"name",
                      "value"}]}]), and for permutation "scoring" and "baselineScore"}
  -h, --help          show this help
`;

const METHODS = ["permutation", "shap", "ig"] as const;
type Method = (typeof METHODS)[number];

interface RankedFeature {
  name: string;
  importance: number;
  std?: number;
}

interface RecordExplanation {
  row: number;
  target: string | number;
  prediction: number;
  base: number;
  attributions: { name: string; value: number }[];
}

/** The names of the model's input columns: the preprocessing's output names, else the data's. */
function featureNames(predictor: ModelPredictor, columns: readonly string[], width: number): string[] {
  const target = new Set(predictor.signature.target ?? []);
  const names = featureNamesOf(predictor) ?? columns.filter((c) => !target.has(c));
  return names.length === width ? names : Array.from({ length: width }, (_, j) => `x${j}`);
}

/** What is explained: an input matrix, its column names, and the model as a function of it. */
interface FeatureSpace {
  x: Tensor;
  names: string[];
  forward: Forward;
}

/** The model's inputs after the saved preprocessing (one-hot categories are separate features). */
function encodedSpace(predictor: ModelPredictor, table: Table): FeatureSpace {
  const x = predictor.features(table);
  return {
    x,
    names: featureNames(predictor, table.columnNames, x.shape[1]!),
    forward: (input) => predictor.model.apply(input, { training: false }),
  };
}

/**
 * The raw columns the model was trained on. x[i, c] is the row of `table` whose value column c
 * takes, so shuffling a column of x (permutation) or mixing a record with a background row (SHAP)
 * moves raw values, which then go through the preprocessing (as scikit-learn permutes a
 * pipeline's raw input columns).
 */
function rawSpace(predictor: ModelPredictor, table: Table): FeatureSpace {
  const names = predictor.signature.columns!.map((c) => c.name);
  const missing = names.filter((name) => !table.has(name));
  if (missing.length > 0)
    throw new ValueError(
      `the data has no column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}`,
    );
  const n = table.numRows;
  const c = names.length;
  const x = new Tensor(
    Float64Array.from({ length: n * c }, (_, i) => Math.floor(i / c)),
    [n, c],
  );
  const forward: Forward = (rows) => {
    const count = rows.shape[0]!;
    const entries = names.map(
      (name, k) =>
        [
          name,
          table.column(name).take(Int32Array.from({ length: count }, (_, i) => rows.data[i * c + k]!)),
        ] as const,
    );
    return predictor.model.apply(predictor.features(Table.fromEntries(entries, count)), { training: false });
  };
  return { x, names, forward };
}

function topFeatures(
  names: readonly string[],
  scores: ArrayLike<number>,
  k: number,
  std?: ArrayLike<number>,
): RankedFeature[] {
  return names
    .map((name, j) => ({ name, importance: scores[j]!, ...(std === undefined ? {} : { std: std[j]! }) }))
    .sort((a, b) => b.importance - a.importance)
    .slice(0, k);
}

const fixed = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : v);

function meanAbsolute(values: Tensor): Float64Array {
  const [n, d] = values.shape as [number, number];
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j]! += Math.abs(values.data[i * d + j]!) / n;
  return out;
}

export async function explainCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("explain", args, {
    method: { type: "string" },
    top: { type: "string" },
    rows: { type: "string" },
    repeats: { type: "string" },
    scoring: { type: "string" },
    samples: { type: "string" },
    background: { type: "string" },
    baseline: { type: "string" },
    seed: { type: "string" },
    encoded: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.out(EXPLAIN_HELP);
    return 0;
  }
  if (positionals.length !== 2)
    throw new UsageError(
      `tessera explain: expected a model directory and a data file (got ${positionals.length} arguments)\n\n${EXPLAIN_HELP}`,
    );
  const method = (values.method ?? "permutation") as Method;
  if (!METHODS.includes(method))
    throw new UsageError(
      `tessera explain: --method must be permutation, shap or ig (got "${values.method}")`,
    );
  const top = intOption("explain", "top", values.top) ?? 10;
  const rowCount = intOption("explain", "rows", values.rows) ?? 10;
  const seed = intOption("explain", "seed", values.seed, 0) ?? 0;
  const [modelDir, dataPath] = positionals as [string, string];
  const predictor = await ModelPredictor.load(modelDir);
  let table = await readTable(dataPath, io);
  const target = predictor.signature.target?.[0];
  if (method === "permutation") {
    if (target === undefined || !table.has(target))
      throw new ValueError(
        `${dataPath}: permutation importance needs the target column${target === undefined ? " (the model does not record it)" : ` "${target}"`}; use --method shap or ig to explain records without it`,
      );
    table = table.dropMissing({ columns: [target] });
  }
  if (table.numRows === 0) throw new ValueError(`${dataPath}: no rows to explain`);
  const { x, names, forward } =
    method === "ig" || values.encoded === true || predictor.signature.columns === null
      ? encodedSpace(predictor, table)
      : rawSpace(predictor, table);
  const [n, d] = x.shape as [number, number];
  const labels = predictor.signature.labels;
  const header = {
    command: "explain",
    version: VERSION,
    ...backendFields(),
    model: predictor.bundle.file.metadata.name ?? predictor.model.name,
    method,
    rows: n,
  };

  if (method === "permutation") {
    const repeats = intOption("explain", "repeats", values.repeats) ?? 5;
    const encoder = predictor.bundle.preprocessing?.target ?? null;
    const column = table.column(target!);
    const y =
      encoder !== null
        ? new Tensor(Float32Array.from(encoder.transform(column.toArray().map((v) => String(v)))), [n])
        : new Tensor(Float32Array.from(column.numbers), [n, 1]);
    const scoring = values.scoring ?? (encoder !== null ? "accuracy" : "r2");
    io.err(`explain: permutation importance of ${d} features on ${n} rows (${repeats} repeats)\n`);
    const result = permutationImportance(forward, x, y, { scoring, nRepeats: repeats, seed });
    const features = topFeatures(names, result.importancesMean, top, result.importancesStd);
    if (values.json === true) {
      writeJson(io, { ...header, scoring, baselineScore: result.baselineScore, features });
      return 0;
    }
    io.out(
      `permutation importance on ${n} rows (${scoring} ${fixed(result.baselineScore)}, ${repeats} repeats)\n`,
    );
    features.forEach((f, i) => {
      io.out(
        `${String(i + 1).padStart(3)}. ${f.name.padEnd(24)} ${fixed(f.importance)} +/- ${fixed(f.std!)}\n`,
      );
    });
    return 0;
  }

  const explained = Math.min(rowCount, n);
  const rowsX = new Tensor(x.data.slice(0, explained * d), [explained, d]);
  let attributions: Tensor;
  let targets: Int32Array;
  let predictions: Float64Array;
  let bases: Float64Array;
  if (method === "shap") {
    const backgroundRows = Math.min(intOption("explain", "background", values.background) ?? 50, n);
    const pick = new Generator(seed).permutation(n).slice(0, backgroundRows);
    const background = new Tensor(
      Float64Array.from(
        { length: backgroundRows * d },
        (_, i) => x.data[pick[Math.floor(i / d)]! * d + (i % d)]!,
      ),
      [backgroundRows, d],
    );
    const nSamples = intOption("explain", "samples", values.samples) ?? 2 * d + 512;
    io.err(
      `explain: Kernel SHAP of ${explained} rows, ${backgroundRows} background rows, up to ${nSamples} coalitions each\n`,
    );
    const result = kernelShap(forward, rowsX, background, { nSamples, seed });
    ({ values: attributions, targets, prediction: predictions, expectedValue: bases } = result);
  } else {
    const steps = intOption("explain", "samples", values.samples) ?? 50;
    const baselineKind = values.baseline ?? "zero";
    if (baselineKind !== "zero" && baselineKind !== "mean")
      throw new UsageError(`tessera explain: --baseline must be zero or mean (got "${baselineKind}")`);
    const baseline = new Tensor(new Float64Array(d), [d]);
    if (baselineKind === "mean") for (let i = 0; i < n * d; i++) baseline.data[i % d]! += x.data[i]! / n;
    io.err(`explain: integrated gradients of ${explained} rows, ${steps} steps, ${baselineKind} baseline\n`);
    const result = integratedGradients(forward, rowsX, { steps, baseline });
    ({ attributions, targets } = result);
    const out = predictor.run(rowsX)[0]!;
    const width = out.rank === 2 ? out.shape[1]! : 1;
    predictions = Float64Array.from({ length: explained }, (_, r) => out.data[r * width + targets[r]!]!);
    // f(baseline) = f(x) - (sum of attributions - delta)
    bases = Float64Array.from({ length: explained }, (_, r) => {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += attributions.data[r * d + j]!;
      return predictions[r]! - sum + result.delta[r]!;
    });
  }
  const features = topFeatures(names, meanAbsolute(attributions), top);
  const records: RecordExplanation[] = Array.from({ length: explained }, (_, r) => ({
    row: r,
    target: labels !== null && labels.length > targets[r]! ? labels[targets[r]!]! : (target ?? targets[r]!),
    prediction: predictions[r]!,
    base: bases[r]!,
    attributions: names
      .map((name, j) => ({ name, value: attributions.data[r * d + j]! }))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
      .slice(0, top),
  }));
  if (values.json === true) {
    writeJson(io, { ...header, features, records });
    return 0;
  }
  io.out(
    `${method === "shap" ? "Kernel SHAP" : "integrated gradients"} on ${explained} of ${n} rows; top features by mean |attribution|:\n`,
  );
  features.forEach((f, i) => {
    io.out(`${String(i + 1).padStart(3)}. ${f.name.padEnd(24)} ${fixed(f.importance)}\n`);
  });
  for (const record of records) {
    const parts = record.attributions.map((a) => `${a.name} ${a.value >= 0 ? "+" : ""}${fixed(a.value)}`);
    io.out(
      `row ${record.row}: ${record.target} = ${fixed(record.prediction)} (base ${fixed(record.base)}): ${parts.join(", ")}\n`,
    );
  }
  return 0;
}
