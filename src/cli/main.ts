// cli/main: the `tessera` command's entry: dispatches to the commands. Exit codes: 0 ok, 1 error
// (bad data, bad file, failed run), 2 usage (unknown command or option, missing argument).
import { TesseraError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { type Io, processIo, UsageError } from "./args.js";
import { autoTrainCommand, isAutoTrain } from "./auto-train.js";
import { explainCommand } from "./explain.js";
import { exportCommand } from "./export.js";
import { importCommand } from "./import.js";
import { inspectCommand } from "./inspect.js";
import { inspectDataCommand } from "./inspect-data.js";
import { writeBackendLine } from "./output.js";
import { evaluateCommand, predictCommand } from "./predict.js";
import { serveCommand } from "./serve.js";
import { trainCommand } from "./train.js";
import { tuneCommand } from "./tune.js";

const HELP = `tessera ${VERSION}: deep learning and end-to-end ML in TypeScript

Usage: tessera <command> [options]

Commands:
  train <spec.json>              train a model from a declarative experiment spec
  train <data.csv> --target COL  zero-config: infer the task, cross-validate baselines, save the best
  tune <spec.json>               search an estimator's hyper-parameters with cross-validation
  evaluate <model> <data>        score a saved model on labelled data
  predict <model> <data|->       predict on raw records (CSV, JSON, NDJSON, Parquet or stdin)
  explain <model> <data>         top features and per-record explanations (permutation, SHAP, IG)
  inspect <model>                describe a saved model
  export <model> --format F      a saved model as an ONNX file or PyTorch weights (F: onnx, torch)
  import <model> --out DIR       a Keras 3 .keras file or a TensorFlow.js model as a Tessera model
  inspect-data <data>            which columns look personal; k-anonymity and l-diversity
  serve [model...]               serve models over HTTP (KServe v2, TF-Serving REST, /metrics)

Options:
  -h, --help       show this help (tessera <command> --help for a command's options)
  -v, --version    print the version

Results go to stdout; progress, the backend line and diagnostics to stderr. train, evaluate and
predict take --json (one document; its JSON Schema is in the package's schema/ folder, as is the
spec's: schema/spec.schema.json). NO_COLOR=1 turns colour off; TESSERA_BACKEND picks a backend.
`;

type Command = (args: readonly string[], io: Io) => Promise<number>;
const COMMANDS: Readonly<Record<string, Command>> = {
  train: (args, io) => (isAutoTrain(args) ? autoTrainCommand(args, io) : trainCommand(args, io)),
  tune: tuneCommand,
  evaluate: evaluateCommand,
  predict: predictCommand,
  explain: explainCommand,
  inspect: inspectCommand,
  export: exportCommand,
  import: importCommand,
  "inspect-data": inspectDataCommand,
  serve: serveCommand,
};

/** Runs the CLI with the given arguments and returns the process exit code. */
export async function main(
  args: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(t),
  io: Io = { ...processIo, out },
): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    if (first === undefined) io.err(HELP);
    else io.out(HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === "-v" || first === "--version") {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (command === undefined) {
    io.err(`tessera: unknown command "${first}"\n\n${HELP}`);
    return 2;
  }
  // Once, first on stderr, which backend computes (not for --help, which computes nothing).
  if (!rest.some((a) => a === "-h" || a === "--help")) writeBackendLine(io);
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof TesseraError || (typeof code === "string" && code.startsWith("E"))) {
      io.err(`tessera ${first}: ${(error as Error).message}\n`);
      return 1;
    }
    io.err(
      `tessera ${first}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
