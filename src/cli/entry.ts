// cli/entry: runs the CLI from the TypeScript sources (`node --import tsx src/cli/entry.ts ...`),
// as bin/tessera.js does from dist/.
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
