#!/usr/bin/env node
// Builds the optional native addon with node-gyp. A failed build is reported, not fatal:
// Tessera then runs on the reference backend. Set TESSERA_REQUIRE_NATIVE=1 to make it fatal (CI).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

if (!existsSync("native/binding.gyp")) {
  console.log("build:native: no native/binding.gyp yet, skipping");
  process.exit(0);
}
const gyp = "node_modules/node-gyp/bin/node-gyp.js";
const args = [gyp, "rebuild", "--directory=native", "--jobs=max"];
// node-gyp downloads Node's headers unless told where they are. Use the running Node's own
// headers (<prefix>/include/node, as Debian's nodejs and the official tarballs install them)
// when no nodedir is configured, so the build never needs the network.
const prefix = dirname(dirname(process.execPath));
const configured = process.env.npm_config_nodedir || process.argv.some((a) => a.startsWith("--nodedir"));
if (!configured && existsSync(join(prefix, "include", "node", "node_api.h")))
  args.push(`--nodedir=${prefix}`);
const result = spawnSync(process.execPath, args, { stdio: "inherit" });
if (result.status !== 0) {
  const message = "build:native: the native addon did not build; Tessera will use the reference backend";
  if (process.env.TESSERA_REQUIRE_NATIVE === "1") {
    console.error(`${message} (TESSERA_REQUIRE_NATIVE=1, failing)`);
    process.exit(1);
  }
  console.warn(message);
}
