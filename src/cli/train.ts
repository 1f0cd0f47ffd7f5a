// cli/train: `tessera train <spec.json>`: runs a declarative experiment (cli/spec.ts) and writes
// the run directory:
//   <out>/model/         the model directory (architecture, weights, preprocessing, signature)
//   <out>/history.json   per-epoch logs
//   <out>/metrics.json   scores on the train, validation and test splits, row counts, timings
//   <out>/spec.json      the spec as run (overrides applied)
//   <out>/report.html    the self-contained report (report/run-report): curves, charts, summaries
//   <out>/checkpoint/    while training: a resumable checkpoint (removed when the run completes)
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { seed as seedGlobal } from "../core/random.js";
import { VERSION } from "../core/version.js";
import { writeFileAtomic, writeFileAtomicSync } from "../io/atomic-write.js";
import { hasCheckpoint, loadCheckpoint } from "../io/checkpoint.js";
import type { ModelCardInput } from "../io/model-card.js";
import { modelCheckpoint } from "../io/model-checkpoint.js";
import { columnSignatures } from "../io/preprocessing.js";
import { ResumableBatches } from "../io/resumable-batches.js";
import { saveModel } from "../io/save-model.js";
import { parseStrictJson } from "../io/strict-json.js";
import type { Model } from "../models/model.js";
import { dashboard as dashboardCallback } from "../report/dashboard-callback.js";
import { writeRunReport } from "../report/run-report.js";
import { Callback, type CallbackModel, type Logs } from "../train/callbacks/callback.js";
import { earlyStopping } from "../train/callbacks/early-stopping.js";
import { progressLogger } from "../train/callbacks/progress-logger.js";
import "../train/model-methods.js";
import type { Verbosity } from "../train/progbar.js";
import { type Io, intOption, parseCommand, UsageError } from "./args.js";
import { readTable } from "./data-files.js";
import { buildModel, compileOptions, type PreparedData, prepareData } from "./experiment.js";
import { backendFields, progressWriter, writeJson } from "./output.js";
import { classificationScores, formatScores, regressionScores } from "./scores.js";
import { type ExperimentSpec, parseSpec } from "./spec.js";

export const TRAIN_HELP = `Usage: tessera train <spec.json> [options]

Runs the experiment a spec file declares (data, preprocessing, model, compile and fit options),
evaluates it on the held-out test rows and writes the run directory: model/, history.json,
metrics.json, spec.json and report.html (charts and summaries; open it from disk).

Options:
  --epochs <n>        override fit.epochs
  --batch-size <n>    override fit.batchSize
  --seed <n>          override seed
  --out <dir>         override output (default runs/<name>)
  --resume            continue from <out>/checkpoint if a run was interrupted
  --verbose <0|1|2>   0 silent, 1 progress bar, 2 one line per epoch (default: bar on a terminal)
  --json              print the result as one JSON document (fields below)
  --dashboard         serve a live training page on 127.0.0.1 while it trains (URL on stderr)
  --dashboard-port <n>  its port (default: any free port)
  -h, --help          show this help

Progress goes to stderr (colour on a terminal unless NO_COLOR is set), results to stdout.
--json prints {"command": "train", "version", "backend" (as the model's metadata records it),
"backendDetail", "name", "task", "target", "output", "model" (the model directory), "rows":
{"train", "validation", "test"}, "epochs", "bestEpoch" (with earlyStopping.restoreBestWeights),
"seconds", "test", "validation", "train" (scores: mae/mse/rmse/r2 or accuracy/macro_f1; null for
an empty split), "history": [{"epoch", "loss", ...}]}.
`;

/** Writes the epochs' logs to history.json as they come, so an interrupted run keeps its history. */
class HistoryFile extends Callback<Model> {
  constructor(
    private readonly path: string,
    readonly entries: Logs[],
  ) {
    super();
  }
  override onEpochEnd(epoch: number, logs: Logs): void {
    this.entries.splice(epoch);
    this.entries[epoch] = { ...logs };
    writeFileAtomicSync(
      this.path,
      `${JSON.stringify({ epochs: this.entries.map((l, i) => ({ epoch: i + 1, ...l })) }, null, 2)}\n`,
    );
  }
}

function scores(
  prepared: PreparedData,
  model: Model,
  split: "train" | "validation" | "test",
): Record<string, number> | null {
  const part = prepared[split];
  if (part === null || part.table.numRows === 0) return null;
  const output = model.predict(part.x, { verbose: 0 });
  if (prepared.task === "regression") return regressionScores(part.y.data, output.data);
  return classificationScores(part.y.data, output.data, output.shape[1]!);
}

export async function trainCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("train", args, {
    epochs: { type: "string" },
    "batch-size": { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
    resume: { type: "boolean" },
    verbose: { type: "string" },
    json: { type: "boolean" },
    dashboard: { type: "boolean" },
    "dashboard-port": { type: "string" },
  });
  if (values.help) {
    io.out(TRAIN_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `tessera train: expected one spec file (got ${positionals.length})\n\n${TRAIN_HELP}`,
    );
  const specPath = positionals[0]!;
  const verboseText = values.verbose;
  if (verboseText !== undefined && !["0", "1", "2"].includes(verboseText))
    throw new UsageError("tessera train: --verbose must be 0, 1 or 2");

  const overrides = {
    seed: intOption("train", "seed", values.seed, 0),
    epochs: intOption("train", "epochs", values.epochs),
    batchSize: intOption("train", "batch-size", values["batch-size"]),
  };
  let text: string;
  try {
    text = await readFile(specPath, "utf8");
  } catch (error) {
    throw new UsageError(
      `tessera train: cannot read ${specPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const parsed = parseSpec(parseStrictJson(text, specPath), specPath, basename(specPath, extname(specPath)));
  const spec: ExperimentSpec = {
    ...parsed,
    seed: overrides.seed ?? parsed.seed,
    fit: {
      ...parsed.fit,
      epochs: overrides.epochs ?? parsed.fit.epochs,
      batchSize: overrides.batchSize ?? parsed.fit.batchSize,
    },
    output: values.out ?? parsed.output,
  };
  const out = resolve(spec.output ?? join("runs", spec.name));
  const dataPath = resolve(dirname(specPath), spec.data.path);
  const started = performance.now();

  seedGlobal(spec.seed);
  const raw = await readTable(dataPath, io);
  const prepared = prepareData(spec, raw, specPath);
  const classes = prepared.preprocessing.target?.classes?.length ?? 0;
  io.err(
    `tessera ${VERSION}: ${spec.name}: ${prepared.task} of "${spec.data.target}" from ${prepared.features.length} columns; ` +
      `${prepared.train.table.numRows} train / ${prepared.validation?.table.numRows ?? 0} validation / ${prepared.test.table.numRows} test rows` +
      `${prepared.droppedRows > 0 ? ` (${prepared.droppedRows} rows without a target dropped)` : ""}\n`,
  );

  await mkdir(out, { recursive: true });
  const checkpointDir = join(out, "checkpoint");
  const batches = new ResumableBatches(prepared.train.x, prepared.train.y, { batchSize: spec.fit.batchSize });
  let model: Model;
  let initialEpoch = 0;
  const history: Logs[] = [];
  if (values.resume === true && hasCheckpoint(checkpointDir)) {
    const checkpoint = await loadCheckpoint(checkpointDir);
    model = checkpoint.model;
    initialEpoch = checkpoint.position.epoch;
    if (checkpoint.position.batches !== null) batches.restore(checkpoint.position.batches);
    if (existsSync(join(out, "history.json"))) {
      const saved = JSON.parse(readFileSync(join(out, "history.json"), "utf8")) as {
        epochs: (Logs & { epoch: number })[];
      };
      for (const { epoch: _epoch, ...logs } of saved.epochs.slice(0, initialEpoch)) history.push(logs);
    }
    io.err(
      `resuming from ${checkpointDir} at epoch ${initialEpoch + 1}${checkpoint.position.batches ? `, batch ${checkpoint.position.batches.nextStep + 1}` : ""}\n`,
    );
  } else {
    if (values.resume === true) io.err(`no checkpoint in ${checkpointDir}; starting from the beginning\n`);
    model = buildModel(spec, prepared.train.x.shape[1]!, prepared.task, classes, specPath);
    model.compile(compileOptions(spec, prepared.task, specPath));
  }

  const saveInfo = {
    preprocessing: prepared.preprocessing,
    columns: columnSignatures(raw, prepared.features),
    target: [spec.data.target],
    metadata: { name: spec.name, version: "1", task: prepared.task },
    card: specCard(spec, prepared),
  };
  const callbacks: Callback<CallbackModel>[] = [
    new HistoryFile(join(out, "history.json"), history),
    modelCheckpoint({
      filepath: checkpointDir,
      saveFreq: spec.fit.checkpointEvery,
      resumable: true,
      data: batches,
      save: saveInfo,
    }),
  ];
  // Progress (the bar, early stopping's note) goes to stderr: stdout holds results only.
  const writer = progressWriter(io);
  const verbose = (verboseText === undefined ? "auto" : Number(verboseText)) as Verbosity;
  if (verbose !== 0) callbacks.push(progressLogger({ writer }));
  const board =
    values.dashboard === true
      ? dashboardCallback({
          name: spec.name,
          batchSize: spec.fit.batchSize,
          port: intOption("train", "dashboard-port", values["dashboard-port"], 0) ?? 0,
          runsDir: dirname(out),
        })
      : null;
  if (board !== null) {
    callbacks.push(board);
    io.err(`dashboard: ${await board.start()}\n`);
  }
  const stopper =
    spec.fit.earlyStopping === null
      ? null
      : earlyStopping({ ...spec.fit.earlyStopping, verbose: verbose === 0 ? 0 : 1, writer });
  if (stopper !== null) callbacks.unshift(stopper);
  const validationData =
    prepared.validation === null
      ? {}
      : { validationData: [prepared.validation.x, prepared.validation.y] as const };
  const privacy = spec.fit.privacy;
  if (privacy === null) {
    await model.fit(batches, {
      epochs: spec.fit.epochs,
      initialEpoch,
      stepsPerEpoch: batches.steps,
      verbose,
      callbacks,
      ...validationData,
    });
  } else {
    // DP-SGD draws Poisson batches from the whole training set (train/privacy), not `batches`
    await model.fit(prepared.train.x, prepared.train.y, {
      epochs: spec.fit.epochs,
      initialEpoch,
      batchSize: spec.fit.batchSize,
      verbose,
      callbacks,
      privacy,
      ...validationData,
    });
  }

  const test = scores(prepared, model, "test")!;
  const metrics = {
    task: prepared.task,
    target: spec.data.target,
    test,
    validation: scores(prepared, model, "validation"),
    train: scores(prepared, model, "train"),
    rows: {
      train: prepared.train.table.numRows,
      validation: prepared.validation?.table.numRows ?? 0,
      test: prepared.test.table.numRows,
    },
    epochs: history.length,
    ...(stopper?.restoreBestWeights ? { bestEpoch: stopper.bestEpoch + 1 } : {}),
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
  await saveModel(model, join(out, "model"), {
    ...saveInfo,
    metrics: Object.fromEntries(Object.entries(test).map(([k, v]) => [`test_${k}`, v])),
  });
  await writeFileAtomic(join(out, "metrics.json"), `${JSON.stringify(metrics, null, 2)}\n`);
  await writeFileAtomic(
    join(out, "spec.json"),
    `${JSON.stringify({ ...spec, model: { layers: spec.model.layers.map((l) => ({ type: l.type, ...l.options })) } }, null, 2)}\n`,
  );
  await rm(checkpointDir, { recursive: true, force: true });
  await board?.close();
  await writeRunReport(out, {
    name: spec.name,
    task: prepared.task,
    history,
    scores: { test, validation: metrics.validation, train: metrics.train },
    test:
      prepared.test.table.numRows === 0
        ? null
        : { y: prepared.test.y, output: model.predict(prepared.test.x, { verbose: 0 }) },
    ...(prepared.preprocessing.target?.classes === undefined
      ? {}
      : { classNames: prepared.preprocessing.target.classes }),
    data: raw,
    target: spec.data.target,
    model,
  });

  if (values.json === true) {
    const { task, target, rows, epochs, seconds, ...splits } = metrics;
    writeJson(io, {
      command: "train",
      version: VERSION,
      ...backendFields(),
      name: spec.name,
      task,
      target,
      output: out,
      model: join(out, "model"),
      rows,
      epochs,
      ...(metrics.bestEpoch === undefined ? {} : { bestEpoch: metrics.bestEpoch }),
      seconds,
      test: splits.test,
      validation: splits.validation,
      train: splits.train,
      history: history.map((logs, i) => ({ epoch: i + 1, ...logs })),
    });
    return 0;
  }
  io.out(`test: ${formatScores(test)}\n`);
  io.out(`saved ${out} (model/, history.json, metrics.json, spec.json, report.html)\n`);
  io.out(`serve it: tessera serve ${join(out, "model")}\n`);
  return 0;
}

/** The spec's card with its data described from the run when the spec leaves that out. */
function specCard(spec: ExperimentSpec, prepared: PreparedData): ModelCardInput | null {
  if (spec.card === null) return null;
  const file = basename(spec.data.path);
  const rows = (n: number) => `${n} row${n === 1 ? "" : "s"}`;
  return {
    ...spec.card,
    data: {
      training:
        spec.card.data?.training ??
        `${file}: ${rows(prepared.train.table.numRows)} for training, ${rows(prepared.validation?.table.numRows ?? 0)} for validation`,
      evaluation:
        spec.card.data?.evaluation ??
        `${file}: a held-out test split of ${rows(prepared.test.table.numRows)}`,
    },
  };
}
