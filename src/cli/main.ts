// cli/main: the `tessera` command's entry. Exit codes: 0 ok, 1 error, 2 usage.
import { VERSION } from "../core/version.js";

const HELP = `tessera ${VERSION}: deep learning and end-to-end ML in TypeScript

Usage: tessera <command> [options]

Options:
  -h, --help       show this help
  -v, --version    print the version

Commands arrive with the training and deployment work (train, evaluate, predict, inspect, serve).
`;

/** Runs the CLI with the given arguments and returns the process exit code. */
export async function main(args: readonly string[], out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const [first] = args;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    out(HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === "-v" || first === "--version") {
    out(`${VERSION}\n`);
    return 0;
  }
  process.stderr.write(`tessera: unknown command "${first}"\n\n${HELP}`);
  return 2;
}
