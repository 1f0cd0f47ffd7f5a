// Serving a real saved model, lifecycle and workers: a SIGTERM while the model is still loading
// exits 0 with nothing left behind; a model with a custom layer loads when `--import` names the
// module that registers it (and says how when it does not); the inference workers run on the
// backend the library picks (native where the addon is built, required in CI).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { getBackend } from "../../src/backend/registry.js";
import { saveModel } from "../../src/io/save-model.js";
import { sequential } from "../../src/models/sequential.js";
import * as layers from "../../src/nn/layers/index.js";
import { startServer } from "../../src/serve/server.js";
import { call } from "./fixtures/http-client.js";
import { Triple } from "./fixtures/triple-layer.js";

const ROOT = join(import.meta.dirname, "..", "..");
const ENTRY = join(ROOT, "src", "cli", "entry.ts");
const TSX = import.meta.resolve("tsx");
const TRIPLE = join(import.meta.dirname, "fixtures", "triple-layer.ts");
const SLOW = join(import.meta.dirname, "fixtures", "slow-preload.ts");

/** A saved model y = 3 (x W + b) whose last layer is the custom Triple, with known weights. */
async function tripleModelDir(): Promise<string> {
  const model = sequential([
    layers.dense({ units: 2, inputShape: [3], kernelInitializer: "ones", biasInitializer: "zeros" }),
    new Triple({}),
  ]);
  const dir = join(mkdtempSync(join(tmpdir(), "tessera-lifecycle-")), "model");
  await saveModel(model, dir, { metadata: { name: "triple" } });
  return dir;
}

interface Child {
  readonly child: ChildProcess;
  stderr(): string;
  /** Resolves when stderr matches `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  readonly exited: Promise<number | null>;
}

function serveChild(args: string[]): Child {
  const child = spawn(process.execPath, ["--import", TSX, ENTRY, "serve", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  const waiters: (() => void)[] = [];
  child.stderr!.on("data", (c: Buffer) => {
    err += c.toString();
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(err);
        if (match !== null) resolve(match);
        else waiters.push(check);
      };
      void exited.then(() => reject(new Error(`serve exited before ${pattern}: ${err}`)));
      check();
    });
  return { child, stderr: () => err, waitFor, exited };
}

/** Processes whose parent is `pid`, from /proc (Linux); empty elsewhere. */
function childrenOf(pid: number): number[] {
  if (!existsSync("/proc")) return [];
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ")".
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

/** Whether `pid` still runs (a zombie, exited but not yet reaped by its new parent, does not). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, "ESRCH");
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return !existsSync("/proc"); // gone meanwhile; without /proc, kill(0) decides
  }
}

describe("serve lifecycle on a real model", () => {
  let dir: string;
  before(async () => {
    dir = await tripleModelDir();
  });

  test("SIGTERM while the model is still loading exits 0 and leaves no process or port behind", async () => {
    const server = serveChild([dir, "--port", "0", "--import", SLOW, "--import", TRIPLE]);
    const url = (await server.waitFor(/listening on (http:\/\/\S+)/))[1]!;
    // Still loading: readiness says so.
    const ready = await call(`${url}/v2/health/ready`);
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.json, { ready: false });
    const pid = server.child.pid!;
    // Inference runs in threads; the only child here is tsx's esbuild service (test runs only).
    const children = childrenOf(pid);
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0, server.stderr());
    assert.match(server.stderr(), /SIGTERM: draining/);
    assert.match(server.stderr(), /tessera serve: stopped/);
    assert.doesNotMatch(server.stderr(), /ready:|cannot serve|unexpected error/);
    assert.equal(isRunning(pid), false);
    // Each child sees its parent gone and exits; an orphan would still run after a while.
    for (let i = 0; i < 100 && children.some(isRunning); i++) await new Promise((r) => setTimeout(r, 50));
    for (const child of children)
      assert.equal(isRunning(child), false, `process ${child} outlived the server by 5 s`);
    await assert.rejects(call(`${url}/v2/health/live`), /ECONNREFUSED/);
  });

  test("a custom layer: without --import the message says how; with it the model serves", async () => {
    // Both at once (each child spends most of its time starting up).
    const without = serveChild([dir, "--port", "0"]);
    const server = serveChild([dir, "--port", "0", "--import", TRIPLE]);
    assert.equal(await without.exited, 1);
    assert.match(without.stderr(), /unknown layer class "Triple"/);
    assert.match(without.stderr(), /tessera serve --import <module>/);

    const url = (await server.waitFor(/listening on (http:\/\/\S+)/))[1]!;
    await server.waitFor(/ready:/);
    const reply = await call(`${url}/v1/models/triple:predict`, "POST", { instances: [[1, 2, 3]] });
    assert.equal(reply.status, 200, reply.text);
    // Dense with ones and zeros: [6, 6]; tripled: [18, 18].
    assert.deepEqual(reply.json, { predictions: [[18, 18]] });
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0, server.stderr());
  });

  test("a preload module that fails to import fails the load, naming the module", async () => {
    const missing = join(tmpdir(), "tessera-no-such-module.js");
    const server = await startServer({ models: [{ dir }], port: 0, preload: [missing] });
    try {
      await assert.rejects(server.ready, (error: Error) => {
        assert.ok(error.message.includes(`preload module ${pathToFileURL(missing).href}`), error.message);
        return true;
      });
      assert.equal((await call(`${server.url}/v2/health/ready`)).status, 503);
    } finally {
      await server.close();
    }
  });

  test("the inference workers run on the library's backend (native where the addon is built)", async () => {
    const expected = process.env.TESSERA_REQUIRE_NATIVE === "1" ? "native" : getBackend();
    const server = await startServer({ models: [{ dir }], port: 0, preload: [TRIPLE] });
    try {
      await server.ready;
      assert.deepEqual(server.backends(), { triple: expected });
      const metrics = (await call(`${server.url}/metrics`)).text;
      assert.ok(
        metrics.includes(`tessera_backend_info{backend="${expected}",model="triple"} 1`),
        metrics
          .split("\n")
          .filter((l) => l.includes("backend"))
          .join("\n"),
      );
    } finally {
      await server.close();
    }
  });
});
