#!/usr/bin/env node
// The `tessera` command. Runs the compiled CLI from dist/ (run `npm run build` first in a checkout).
import { main } from "../dist/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
