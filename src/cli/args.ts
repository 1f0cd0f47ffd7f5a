// cli/args: argument parsing shared by the commands (node:util parseArgs, strict), the usage
// error (exit code 2) and the output streams commands write to.
import { parseArgs } from "node:util";

/** A command line that does not fit the command's usage: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Where a command writes: stdout for results, stderr for progress and diagnostics. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Reads all of stdin (for `-` as a path). */
  stdin(): Promise<string>;
  /** Whether stderr is a terminal (progress is then redrawn in place); false when left out. */
  readonly errIsTTY?: boolean;
  /** NO_COLOR: no ANSI colour at all; read from the environment when left out. */
  readonly noColor?: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
  errIsTTY: process.stderr.isTTY === true,
};

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };

/** parseArgs in strict mode with --help; unknown options and bad values become UsageErrors. */
export function parseCommand<O extends Record<string, OptionSpec>>(
  command: string,
  args: readonly string[],
  options: O,
): {
  values: {
    [K in keyof O]?: O[K]["type"] extends "boolean"
      ? boolean
      : O[K]["multiple"] extends true
        ? string[]
        : string;
  } & { help?: boolean };
  positionals: string[];
} {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return parsed as never;
  } catch (error) {
    throw new UsageError(`tessera ${command}: ${(error as Error).message}`);
  }
}

/** A positive integer option value, or a UsageError naming the option. */
export function intOption(
  command: string,
  name: string,
  value: string | undefined,
  min = 1,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`tessera ${command}: --${name} must be an integer >= ${min} (got "${value}")`);
  return n;
}
