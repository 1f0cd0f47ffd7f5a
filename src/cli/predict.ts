// cli/predict and cli/evaluate: `tessera predict <model> <data|-> [--out file]` (raw records through
// the saved preprocessing) and `tessera evaluate <model> <data>` (scores against the target column).
import { ValueError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { formatCsv } from "../data/formats/csv.js";
import { formatJson } from "../data/formats/json.js";
import { Column } from "../data/table/column.js";
import { Table } from "../data/table/table.js";
import { isEstimatorDirectory, loadTabularModel } from "../io/estimator-file.js";
import { recordCardFairness } from "../io/model-card-record.js";
import { ModelPredictor } from "../io/predictor.js";
import type { JsonObject } from "../io/strict-json.js";
import { type FairnessReport, fairnessReport, formatFairnessReport } from "../responsible/fairness-report.js";
import { Tensor } from "../tensor/tensor.js";
import { trainingStateOf } from "../train/compile.js";
import { argmaxRow } from "../train/metrics/accuracy.js";
import "../train/model-methods.js";
import { type Io, parseCommand, UsageError } from "./args.js";
import { looksLikeCsv, readTable, writeTable } from "./data-files.js";
import { backendFields, writeJson } from "./output.js";
import { estimatorPredictionTable, evaluateEstimator } from "./predict-estimator.js";
import { classificationScores, formatScores, regressionScores } from "./scores.js";

export const PREDICT_HELP = `Usage: tessera predict <model-dir> <data.csv|.json|.ndjson|.parquet|-> [options]

Predicts on raw records: each row goes through the model's saved preprocessing. "-" reads JSON
(an array of records or {"instances": [...]}) or CSV from stdin. Regression adds a column
"<target>_predicted"; classification adds "<target>_predicted" (the label) and one probability
column per class.

Options:
  --out <file>        write .csv, .json or .ndjson instead of printing
  --format <csv|json> printed format (default: csv for CSV input, json otherwise)
  --json              print one JSON document: {"command": "predict", "version", "backend",
                      "backendDetail", "model" (its saved name), "rows", "out" (the file
                      written, or null), and without --out "predictions" (the records, as
                      --format json prints them)}
  -h, --help          show this help
`;

export const EVALUATE_HELP = `Usage: tessera evaluate <model-dir> <data.csv|.json|.ndjson|.parquet> [options]

Scores the model on labelled data (the file must hold the target column the model was trained
on): the compiled loss and metrics, plus MAE/RMSE/R^2 (regression) or accuracy/macro-F1
(classification).

Options:
  --sensitive <col>   (repeatable) also report metrics by group of this column (several: by
                      their combinations): count, accuracy, selection rate, true/false positive
                      rates for two classes (MAE for regression, accuracy for more classes), the
                      differences and ratios between groups, demographic parity, equalized odds,
                      equal opportunity and disparate impact with the four-fifths rule
  --positive <label>  the positive class for those rates (default: the second of the model's
                      labels; with more classes, one class against the rest)
  --record            with --sensitive: also store those figures in the model's card
                      (model.json; \`tessera inspect\` shows them)
  --json              print one JSON document: {"command": "evaluate", "version", "backend",
                      "backendDetail", "model" (its saved name), "rows", "scores": {"loss" and
                      the compiled metrics when the model was saved compiled, then
                      mae/mse/rmse/r2 or accuracy/macro_f1}, and with --sensitive "fairness"}
  -h, --help          show this help
`;

/** The fields every --json result of predict and evaluate starts with. */
function resultHeader(command: string, model: unknown) {
  return { command, version: VERSION, ...backendFields(), model };
}

/** The saved name of a network, for the result header. */
function networkName(predictor: ModelPredictor): unknown {
  return predictor.bundle.file.metadata.name ?? predictor.model.name;
}

/** The model directory's base name (an estimator directory records no name of its own). */
function directoryName(dir: string): string {
  return (
    dir
      .replace(/[\\/]+$/, "")
      .split(/[\\/]/)
      .pop() ?? dir
  );
}

function predictionTable(predictor: ModelPredictor, table: Table): Table {
  const [output] = predictor.predictTable(table);
  if (output === undefined) throw new ValueError("predict: the model produced no output");
  const target = predictor.signature.target?.[0] ?? "prediction";
  const entries: [string, Column][] = [];
  const labels = predictor.labelsOf(output);
  const rows = output.shape[0]!;
  const width = output.size / Math.max(rows, 1);
  if (labels !== null) {
    entries.push([`${target}_predicted`, Column.fromValues(labels, "string")]);
    predictor.signature.labels!.forEach((label, k) => {
      entries.push([
        `p_${label}`,
        Column.fromNumbers(
          "float",
          Float64Array.from({ length: rows }, (_, r) => output.data[r * width + k]!),
        ),
      ]);
    });
  } else if (width === 1) {
    entries.push([`${target}_predicted`, Column.fromNumbers("float", Float64Array.from(output.data))]);
  } else {
    for (let k = 0; k < width; k++) {
      entries.push([
        `${target}_predicted_${k}`,
        Column.fromNumbers(
          "float",
          Float64Array.from({ length: rows }, (_, r) => output.data[r * width + k]!),
        ),
      ]);
    }
  }
  const names = new Set(entries.map(([n]) => n));
  const kept = table.columnNames
    .filter((n) => !names.has(n))
    .map((n) => [n, table.column(n)] as [string, Column]);
  return Table.fromEntries([...kept, ...entries], table.numRows);
}

export async function predictCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("predict", args, {
    out: { type: "string" },
    format: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.out(PREDICT_HELP);
    return 0;
  }
  if (positionals.length !== 2)
    throw new UsageError(
      `tessera predict: expected a model directory and a data file (got ${positionals.length} arguments)\n\n${PREDICT_HELP}`,
    );
  const format = values.format;
  if (format !== undefined && format !== "csv" && format !== "json")
    throw new UsageError('tessera predict: --format must be "csv" or "json"');
  if (format !== undefined && values.json === true)
    throw new UsageError("tessera predict: pass --json or --format, not both");
  const [modelDir, dataPath] = positionals as [string, string];
  const estimator = (await isEstimatorDirectory(modelDir)) ? await loadTabularModel(modelDir) : null;
  const predictor = estimator === null ? await ModelPredictor.load(modelDir) : null;
  const stdinText = dataPath === "-" ? await io.stdin() : undefined;
  const table = await readTable(dataPath, io, stdinText);
  const result =
    estimator === null ? predictionTable(predictor!, table) : estimatorPredictionTable(estimator, table);
  const name = estimator === null ? networkName(predictor!) : directoryName(modelDir);
  if (values.out !== undefined) {
    await writeTable(values.out, result);
    io.err(`wrote ${result.numRows} predictions to ${values.out}\n`);
  }
  if (values.json === true) {
    writeJson(io, {
      ...resultHeader("predict", name),
      rows: result.numRows,
      out: values.out ?? null,
      ...(values.out === undefined ? { predictions: JSON.parse(formatJson(result)) as unknown } : {}),
    });
  } else if (values.out === undefined) {
    const asCsv = format === "csv" || (format === undefined && looksLikeCsv(dataPath, stdinText));
    io.out(asCsv ? formatCsv(result) : `${formatJson(result, { indent: 2 })}\n`);
  }
  return 0;
}

export async function evaluateCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("evaluate", args, {
    json: { type: "boolean" },
    sensitive: { type: "string", multiple: true },
    positive: { type: "string" },
    record: { type: "boolean" },
  });
  if (values.help) {
    io.out(EVALUATE_HELP);
    return 0;
  }
  if (positionals.length !== 2)
    throw new UsageError(
      `tessera evaluate: expected a model directory and a data file (got ${positionals.length} arguments)\n\n${EVALUATE_HELP}`,
    );
  const [modelDir, dataPath] = positionals as [string, string];
  if (values.record === true && (values.sensitive ?? []).length === 0)
    throw new UsageError("tessera evaluate: --record needs --sensitive (it stores the figures by group)");
  if (await isEstimatorDirectory(modelDir)) {
    if (values.record === true)
      throw new UsageError("tessera evaluate: --record applies to network models; an estimator has no card");
    return evaluateEstimatorCommand(modelDir, dataPath, values, io);
  }
  const predictor = await ModelPredictor.load(modelDir);
  const target = predictor.signature.target?.[0];
  if (target === undefined)
    throw new ValueError(
      `${modelDir}: the model does not record its target column, so it cannot be evaluated on a file`,
    );
  const raw = await readTable(dataPath, io);
  if (!raw.has(target))
    throw new ValueError(
      `${dataPath}: no target column "${target}" (columns: ${raw.columnNames.join(", ")})`,
    );
  const sensitive = checkSensitive(raw, dataPath, values);
  const table = raw.dropMissing({ columns: [target] });
  const features = predictor.features(table);
  const [output] = predictor.run(features);
  const encoder = predictor.bundle.preprocessing?.target ?? null;
  let scores: Record<string, number>;
  let y: Tensor;
  let fairness: FairnessReport | undefined;
  if (encoder !== null) {
    const codes = encoder.transform(
      table
        .column(target)
        .toArray()
        .map((v) => String(v)),
    );
    scores = classificationScores(codes, output!.data, output!.shape[1]!);
    y = new Tensor(codes, [codes.length]);
    if (sensitive.length > 0)
      fairness = classificationFairness(
        predictor.signature.labels ?? [],
        table,
        sensitive,
        codes,
        output!,
        values.positive,
      );
  } else {
    const numbers = table.column(target).numbers;
    scores = regressionScores(numbers, output!.data);
    y = new Tensor(Float32Array.from(numbers), [numbers.length, 1]);
    if (values.positive !== undefined)
      throw new UsageError("tessera evaluate: --positive applies to classifiers, not to a regression model");
    if (sensitive.length > 0)
      fairness = fairnessReport({
        task: "regression",
        yTrue: numbers,
        yPred: output!.data,
        sensitive: sensitiveValues(table, sensitive),
      });
  }
  // The compiled loss and metrics too, when the model was saved compiled.
  const compiled =
    trainingStateOf(predictor.model) === null
      ? {}
      : await predictor.model.evaluate(features, y, { returnDict: true, verbose: 0 });
  scores = { ...compiled, ...scores };
  if (values.record === true && fairness !== undefined) {
    await recordCardFairness(
      modelDir,
      fairness as unknown as JsonObject,
      `${dataPath} (${table.numRows} rows)`,
    );
    io.err(`recorded the figures by ${fairness.sensitive.join(", ")} in ${modelDir}'s model card\n`);
  }
  writeEvaluation(io, values.json === true, networkName(predictor), table.numRows, scores, fairness);
  return 0;
}

interface EvaluateValues {
  json?: boolean | undefined;
  sensitive?: string[] | undefined;
  positive?: string | undefined;
}

/** The --sensitive columns, checked against the data (and --positive only with them). */
function checkSensitive(raw: Table, dataPath: string, values: EvaluateValues): string[] {
  const sensitive = values.sensitive ?? [];
  for (const name of sensitive)
    if (!raw.has(name))
      throw new ValueError(
        `${dataPath}: no sensitive column "${name}" (columns: ${raw.columnNames.join(", ")})`,
      );
  if (values.positive !== undefined && sensitive.length === 0)
    throw new UsageError("tessera evaluate: --positive needs --sensitive");
  return sensitive;
}

/** Prints evaluate's result: one JSON document, or the scores line and the fairness table. */
function writeEvaluation(
  io: Io,
  json: boolean,
  model: unknown,
  rows: number,
  scores: Record<string, number>,
  fairness: FairnessReport | undefined,
): void {
  if (json) {
    writeJson(io, {
      ...resultHeader("evaluate", model),
      rows,
      scores,
      ...(fairness === undefined ? {} : { fairness }),
    });
    return;
  }
  io.out(`${rows} rows: ${formatScores(scores)}\n`);
  if (fairness !== undefined)
    io.out(`\nby ${fairness.sensitive.join(", ")}:\n${formatFairnessReport(fairness)}`);
}

/** `tessera evaluate` on an estimator directory (a TabularModel). */
async function evaluateEstimatorCommand(
  modelDir: string,
  dataPath: string,
  values: EvaluateValues,
  io: Io,
): Promise<number> {
  const model = await loadTabularModel(modelDir);
  const raw = await readTable(dataPath, io);
  if (!raw.has(model.target))
    throw new ValueError(
      `${dataPath}: no target column "${model.target}" (columns: ${raw.columnNames.join(", ")})`,
    );
  const sensitive = checkSensitive(raw, dataPath, values);
  const table = raw.dropMissing({ columns: [model.target] });
  const { scores, classification, regression } = evaluateEstimator(model, table, dataPath);
  let fairness: FairnessReport | undefined;
  if (classification !== null && sensitive.length > 0) {
    const { labels, codes, output } = classification;
    fairness = classificationFairness(labels, table, sensitive, codes, output, values.positive);
  } else if (regression !== null) {
    if (values.positive !== undefined)
      throw new UsageError("tessera evaluate: --positive applies to classifiers, not to a regression model");
    if (sensitive.length > 0)
      fairness = fairnessReport({
        task: "regression",
        yTrue: regression.yTrue,
        yPred: regression.yPred,
        sensitive: sensitiveValues(table, sensitive),
      });
  }
  writeEvaluation(io, values.json === true, directoryName(modelDir), table.numRows, scores, fairness);
  return 0;
}

/** The sensitive columns' values as strings, a missing value as "(missing)". */
function sensitiveValues(table: Table, names: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(
    names.map((name) => {
      const column = table.column(name);
      return [
        name,
        Array.from({ length: table.numRows }, (_, r) =>
          column.isMissing(r) ? "(missing)" : String(column.get(r)),
        ),
      ];
    }),
  );
}

/** Per-group figures of a classifier: binary rates for two classes or a named positive class, else accuracy. */
function classificationFairness(
  labels: readonly string[],
  table: Table,
  sensitive: readonly string[],
  codes: Int32Array | Float32Array,
  output: Tensor,
  positive: string | undefined,
): FairnessReport {
  const rows = codes.length;
  const width = output.size / Math.max(rows, 1);
  const predicted = new Int32Array(rows);
  for (let r = 0; r < rows; r++)
    predicted[r] = width === 1 ? (output.data[r]! >= 0.5 ? 1 : 0) : argmaxRow(output.data, r * width, width);
  const groups = sensitiveValues(table, sensitive);
  if (positive === undefined && labels.length !== 2)
    return fairnessReport({ task: "multiclass", yTrue: codes, yPred: predicted, sensitive: groups });
  const positiveLabel = positive ?? labels[1]!;
  const index = labels.indexOf(positiveLabel);
  if (index < 0)
    throw new UsageError(
      `tessera evaluate: --positive "${positiveLabel}" is not one of the model's labels (${labels.join(", ")})`,
    );
  return fairnessReport({
    task: "binary",
    yTrue: Float64Array.from(codes, (c) => (c === index ? 1 : 0)),
    yPred: Float64Array.from(predicted, (c) => (c === index ? 1 : 0)),
    sensitive: groups,
    positiveLabel,
  });
}
