// The deployment files under deploy/, checked without a container engine: the Dockerfile parsed
// (pinned base, non-root user, port 8080, node as PID 1 in exec form, a health check), the KServe
// ServingRuntime and InferenceService parsed as YAML and checked against the fields KServe
// requires, every command line in them run through the real `tessera serve` argument parser, and
// every probe, health-check and metrics path they name asked of a real server on loopback.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { addonCandidates } from "../../src/backend/native/loader.js";
import { parseServeArgs } from "../../src/cli/serve.js";
import { KSERVE_MODEL_DIR, type RunningServer } from "../../src/serve/server.js";
import { call } from "./fixtures/http-client.js";
import { serveLinear } from "./fixtures/linear-server.js";

const ROOT = join(import.meta.dirname, "..", "..");
const DEPLOY = join(ROOT, "deploy");

interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly line: number;
}

/** Dockerfile instructions by stage: comments dropped, backslash continuations joined. */
function parseDockerfile(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  const preamble: Instruction[] = [];
  let pending = "";
  let start = 0;
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (pending === "" && (line === "" || line.startsWith("#"))) continue;
    if (pending !== "" && line.startsWith("#")) continue; // comments inside a continuation
    if (pending === "") start = i + 1;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = "";
    const match = /^([A-Za-z]+)\s+(.*)$/s.exec(full);
    assert.ok(match !== null, `Dockerfile line ${start}: not an instruction: ${full}`);
    const instruction = { op: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start };
    if (instruction.op === "FROM") stages.push([instruction]);
    else (stages.at(-1) ?? preamble).push(instruction);
  }
  assert.equal(pending, "", "Dockerfile ends inside a continuation");
  assert.ok(
    preamble.every((i) => i.op === "ARG"),
    "only ARG may come before the first FROM",
  );
  return stages;
}

/** An exec-form (JSON array) argument list; fails on the shell form. */
function execForm(args: string, what: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    assert.fail(`${what} must be in exec form (a JSON array), got: ${args}`);
  }
  assert.ok(Array.isArray(parsed) && parsed.every((a) => typeof a === "string"), `${what}: ${args}`);
  return parsed as string[];
}

const only = (stage: Instruction[], op: string): Instruction => {
  const found = stage.filter((i) => i.op === op);
  assert.equal(found.length, 1, `the runtime stage has one ${op} (has ${found.length})`);
  return found[0]!;
};

const dockerfileText = readFileSync(join(DEPLOY, "Dockerfile"), "utf8");
const stages = parseDockerfile(dockerfileText);
const runtimeStage = stages.at(-1)!;
const entrypoint = execForm(only(runtimeStage, "ENTRYPOINT").args, "ENTRYPOINT");
const cmd = execForm(only(runtimeStage, "CMD").args, "CMD");
const healthcheck = only(runtimeStage, "HEALTHCHECK").args;
const healthCommand = execForm(/^(?:--\S+\s+)*CMD\s+(.*)$/s.exec(healthcheck)?.[1] ?? "", "HEALTHCHECK CMD");

const runtimeYaml = parse(readFileSync(join(DEPLOY, "kserve", "serving-runtime.yaml"), "utf8"));
const serviceYaml = parse(readFileSync(join(DEPLOY, "kserve", "inference-service.yaml"), "utf8"));
const container = runtimeYaml?.spec?.containers?.[0];

describe("deploy/Dockerfile", () => {
  test("two stages from the same pinned Node image; the build makes the native addon mandatory", () => {
    assert.equal(stages.length, 2);
    const arg = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfileText);
    assert.ok(arg !== null, "the base image is one ARG");
    assert.match(arg[1]!, /^node:\d+\.\d+\.\d+-bookworm-slim$/, "a pinned Node version, not latest");
    assert.ok(Number(/^node:(\d+)/.exec(arg[1]!)![1]) >= 20, "Node 20 or later (package engines)");
    // Both stages start from the NODE_IMAGE argument.
    assert.deepEqual(
      stages.map((s) => s[0]!.args.replace(/^\$\{(\w+)\}/, "$1")),
      ["NODE_IMAGE AS build", "NODE_IMAGE"],
    );
    const build = stages[0]!;
    assert.ok(build.some((i) => i.op === "ENV" && i.args === "TESSERA_REQUIRE_NATIVE=1"));
    assert.ok(
      build.some((i) => i.op === "RUN" && /\bnpm ci\b/.test(i.args)),
      "npm ci: the lock file's versions",
    );
    assert.ok(
      build.some(
        (i) => i.op === "RUN" && /npm run build\b/.test(i.args) && /npm prune --omit=dev/.test(i.args),
      ),
    );
    assert.ok(!runtimeStage.some((i) => i.op === "RUN"), "the runtime stage installs nothing");
  });

  test("the runtime stage copies what the server loads, the addon where the loader looks", () => {
    const copies = runtimeStage.filter((i) => i.op === "COPY").map((i) => i.args.split(/\s+/));
    for (const copy of copies) assert.equal(copy[0], "--from=build", copy.join(" "));
    const targets = new Map(copies.map((c) => [c[1]!.replace(/^\/app\//, ""), c[2]!.replace(/^\.\//, "")]));
    for (const needed of ["package.json", "node_modules", "dist", "bin"])
      assert.equal(targets.get(needed), needed);
    const addon = addonCandidates("linux", "x64")[0]!;
    assert.equal(targets.get(addon), addon, "the addon is copied to the path the native loader tries first");
    assert.equal(only(runtimeStage, "WORKDIR").args, "/app");
    assert.ok(existsSync(join(ROOT, "bin", "tessera.js")));
    assert.match(readFileSync(join(ROOT, "bin", "tessera.js"), "utf8"), /dist\/cli\/main\.js/);
  });

  test("non-root user, port 8080, SIGTERM, node as PID 1 running `tessera serve` on /mnt/models", () => {
    const user = only(runtimeStage, "USER").args;
    const [uid, gid] = user.split(":");
    assert.match(uid!, /^\d+$/, "a numeric user, so Kubernetes can check runAsNonRoot");
    assert.notEqual(Number(uid), 0);
    assert.notEqual(Number(gid ?? 1), 0);
    assert.equal(only(runtimeStage, "EXPOSE").args, "8080");
    assert.equal(only(runtimeStage, "STOPSIGNAL").args, "SIGTERM");
    assert.deepEqual(entrypoint.slice(0, 3), ["node", "/app/bin/tessera.js", "serve"]);
    for (const word of [...entrypoint, ...cmd]) assert.doesNotMatch(word, /^(npm|npx|sh|bash|\/bin\/sh)$/);
    const options = parseServeArgs([...entrypoint.slice(3), ...cmd]);
    assert.deepEqual(options?.models, [{ dir: KSERVE_MODEL_DIR }]);
    assert.equal(options?.port, 8080);
    assert.equal(options?.host, "0.0.0.0");
  });

  test("the .dockerignore keeps local builds, data and history out of the build context", () => {
    const ignored = readFileSync(join(DEPLOY, "Dockerfile.dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
    for (const path of [".git", "node_modules", "dist", "native/build", "datasets"])
      assert.ok(ignored.includes(path), path);
    for (const path of ["src", "native", "package.json", "package-lock.json", "scripts", "bin"]) {
      assert.ok(!ignored.includes(path), `${path} is needed by the build`);
    }
  });
});

describe("deploy/kserve", () => {
  test("ServingRuntime: the fields KServe requires", () => {
    assert.equal(runtimeYaml.apiVersion, "serving.kserve.io/v1alpha1");
    assert.equal(runtimeYaml.kind, "ServingRuntime");
    assert.match(runtimeYaml.metadata.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    const formats = runtimeYaml.spec.supportedModelFormats;
    assert.ok(Array.isArray(formats) && formats.length >= 1);
    assert.deepEqual(
      { name: formats[0].name, version: formats[0].version, autoSelect: formats[0].autoSelect },
      { name: "tessera", version: "1", autoSelect: true },
    );
    assert.equal(typeof formats[0].version, "string", "the format version is a string, as the CRD types it");
    assert.deepEqual([...runtimeYaml.spec.protocolVersions].sort(), ["v1", "v2"]);
    assert.equal(runtimeYaml.spec.containers.length, 1);
    assert.equal(container.name, "kserve-container", "KServe finds the predictor container by this name");
    assert.match(container.image, /^[\w.-]+(\/[\w.-]+)+:\d+\.\d+\.\d+$/, "an image with a version tag");
    assert.deepEqual(container.ports, [{ containerPort: 8080, name: "http1", protocol: "TCP" }]);
  });

  test("ServingRuntime: the container's args are a valid `tessera serve` command line for /mnt/models", () => {
    assert.equal(container.command, undefined, "the image's ENTRYPOINT (node as PID 1) stays");
    assert.ok(
      container.args.every((a: unknown) => typeof a === "string"),
      "every arg is a string",
    );
    const options = parseServeArgs([...entrypoint.slice(3), ...container.args]);
    assert.deepEqual(options?.models, [{ dir: KSERVE_MODEL_DIR, name: "{{.Name}}" }]);
    assert.equal(options?.port, container.ports[0].containerPort);
    assert.equal(options?.host, "0.0.0.0");
  });

  test("ServingRuntime: probes on /v2/health/*, metrics annotations, a non-root security context", () => {
    assert.deepEqual(container.readinessProbe.httpGet, { path: "/v2/health/ready", port: 8080 });
    assert.deepEqual(container.livenessProbe.httpGet, { path: "/v2/health/live", port: 8080 });
    assert.deepEqual(runtimeYaml.spec.annotations, {
      "prometheus.kserve.io/port": "8080",
      "prometheus.kserve.io/path": "/metrics",
    });
    const security = container.securityContext;
    assert.equal(security.runAsNonRoot, true);
    assert.equal(String(security.runAsUser), only(runtimeStage, "USER").args.split(":")[0]);
    assert.equal(security.allowPrivilegeEscalation, false);
    assert.equal(security.readOnlyRootFilesystem, true);
    const threads = container.env.find((e: { name: string }) => e.name === "TESSERA_NUM_THREADS");
    assert.deepEqual(threads.valueFrom.resourceFieldRef, {
      containerName: "kserve-container",
      resource: "limits.cpu",
    });
  });

  test("InferenceService: v1beta1 with the model format, the runtime, a storageUri and protocol v2", () => {
    assert.equal(serviceYaml.apiVersion, "serving.kserve.io/v1beta1");
    assert.equal(serviceYaml.kind, "InferenceService");
    assert.match(serviceYaml.metadata.name, /^[a-z]([-a-z0-9]*[a-z0-9])?$/, "a DNS-1035 label");
    assert.equal(serviceYaml.metadata.annotations["serving.kserve.io/enable-prometheus-scraping"], "true");
    const model = serviceYaml.spec.predictor.model;
    assert.deepEqual(model.modelFormat, { name: "tessera", version: "1" });
    assert.equal(model.runtime, runtimeYaml.metadata.name);
    assert.equal(model.protocolVersion, "v2");
    assert.match(
      model.storageUri,
      /^(pvc|s3|gs|https?|hdfs|webhdfs):\/\/\S+$/,
      "KServe downloads it into /mnt/models",
    );
    assert.ok(
      serviceYaml.spec.predictor.minReplicas >= 1 &&
        serviceYaml.spec.predictor.maxReplicas >= serviceYaml.spec.predictor.minReplicas,
    );
  });
});

describe("deploy: the paths the manifests and the health check use, on a real server", () => {
  let server: RunningServer;
  before(async () => {
    server = await serveLinear({ name: "house-prices", weights: [[1]], bias: [0] });
  });
  after(() => server.close());

  test("probes, metrics and the inference path named by the InferenceService answer", async () => {
    for (const path of [
      container.readinessProbe.httpGet.path,
      container.livenessProbe.httpGet.path,
      runtimeYaml.spec.annotations["prometheus.kserve.io/path"],
      `/v2/models/${serviceYaml.metadata.name}/ready`,
    ]) {
      assert.equal((await call(`${server.url}${path}`)).status, 200, path);
    }
  });

  test("the HEALTHCHECK command exits 0 against a ready server and 1 against none", async () => {
    assert.equal(healthCommand[0], "node");
    const script = healthCommand.at(-1)!;
    assert.match(script, /http:\/\/127\.0\.0\.1:8080\/v2\/health\/ready/);
    // Run asynchronously: the server answering it lives in this process's event loop.
    const run = (port: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [
          ...healthCommand.slice(1, -1),
          script.replace(":8080/", `:${port}/`),
        ]);
        child.on("exit", (code) => resolve(code));
      });
    assert.equal(await run(server.port), 0);
    assert.equal(await run(1), 1, "nothing listens on port 1");
  });
});

test("tessera serve flags reach the server's connection and shutdown limits (absent: the server's defaults)", () => {
  const given = parseServeArgs([
    "m",
    "--max-buffered-bytes",
    "1048576",
    "--request-timeout-ms",
    "5000",
    "--drain-timeout-ms",
    "0",
  ]);
  assert.equal(given?.maxBufferedBytes, 1048576);
  assert.equal(given?.requestTimeoutMs, 5000);
  assert.equal(given?.drainTimeoutMs, 0);
  const plain = parseServeArgs(["m"]);
  for (const key of ["maxBufferedBytes", "requestTimeoutMs", "drainTimeoutMs"])
    assert.equal(Object.hasOwn(plain ?? {}, key), false, key);
  assert.throws(
    () => parseServeArgs(["m", "--request-timeout-ms", "0"]),
    /--request-timeout-ms must be an integer >= 1/,
  );
  assert.throws(
    () => parseServeArgs(["m", "--drain-timeout-ms=-1"]),
    /--drain-timeout-ms must be an integer >= 0/,
  );
});
