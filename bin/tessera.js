#!/usr/bin/env node
// The `tessera` command. Runs the compiled CLI from dist/ (run `npm run build` first in a checkout).
// Until the CLI has loaded and installed its own handlers (serve drains on SIGTERM), a SIGTERM or
// SIGINT ends the process at once with the conventional 128 + signal code: as PID 1 in a
// container Node would otherwise ignore a SIGTERM that arrives while modules are still loading.
const exitEarly = (signal) => process.exit(signal === "SIGINT" ? 130 : 143);
process.once("SIGTERM", exitEarly);
process.once("SIGINT", exitEarly);
const { main } = await import("../dist/cli/main.js");
process.off("SIGTERM", exitEarly);
process.off("SIGINT", exitEarly);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
