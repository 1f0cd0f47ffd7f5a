// Every spelling that resolved in each registry before the registries moved onto core/registry
// (captured at commit 90bb263 into base-names.json: canonical names, aliases, and their snake_case,
// camelCase, PascalCase, lower- and upper-case spellings) still resolves, to the same class.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { ConfigError } from "../../src/core/errors.js";
import "../../src/index.js";
import { transformerFromJSON } from "../../src/data/preprocess/registry.js";
import { getActivation } from "../../src/nn/activations.js";
import { getConstraint } from "../../src/nn/constraints.js";
import { getInitializer } from "../../src/nn/initializers.js";
import { layerClass } from "../../src/nn/registry.js";
import { getRegularizer } from "../../src/nn/regularizers.js";
import { getOptimizer } from "../../src/optim/registry.js";
import { deserializeSchedule } from "../../src/optim/schedules.js";
import { getLoss } from "../../src/train/losses/registry.js";
import { getMetric } from "../../src/train/metrics/registry.js";

const BASE = JSON.parse(readFileSync(new URL("./base-names.json", import.meta.url), "utf8")) as Record<
  string,
  Record<string, string>
>;

function walk(kind: string, resolveName: (name: string) => string): void {
  const names = BASE[kind];
  assert.ok(names !== undefined && Object.keys(names).length > 0, `base list for ${kind}`);
  for (const [name, expected] of Object.entries(names)) {
    assert.equal(resolveName(name), expected, `${kind} "${name}"`);
  }
}

describe("names that resolved at the base commit still resolve to the same class", () => {
  test("optimizers", () => walk("optimizers", (n) => getOptimizer(n).constructor.name));
  // layer classes match exactly: the base list holds each registered name (its class has that name)
  test("layers", () =>
    walk("layers", (n) => (layerClass(n) as { name?: string } | undefined)?.name ?? "none"));
  test("initializers", () =>
    walk("initializers", (n) => {
      const initializer = getInitializer(n);
      return `${initializer.constructor.name}/${initializer.className}`;
    }));
  test("regularizers", () => walk("regularizers", (n) => getRegularizer(n)?.constructor.name ?? "null"));
  test("constraints", () => walk("constraints", (n) => getConstraint(n)?.constructor.name ?? "null"));
  test("activations", () => walk("activations", (n) => getActivation(n).name));
  // a type that resolves gets as far as its class's own fromJSON, which refuses the empty state
  test("preprocessing", () =>
    walk("preprocessing", (type) => {
      try {
        transformerFromJSON({ type });
        return "loaded";
      } catch (error) {
        return error instanceof Error && /unknown type/.test(error.message) ? "unknown" : type;
      }
    }));
  // the base run gave each schedule an empty config, which every schedule refuses after the lookup
  test("schedules", () =>
    walk("schedules", (className) => {
      try {
        return deserializeSchedule({ className, config: {} } as never).constructor.name;
      } catch (error) {
        if (error instanceof Error && /unknown schedule/.test(error.message)) return "unknown";
        return "config-error";
      }
    }));
  test("losses", () => walk("losses", (n) => String(getLoss(n).getConfig().className)));
  test("metrics", () =>
    walk("metrics", (n) => {
      const metric = getMetric(n);
      return `${metric.constructor.name}/${metric.name}`;
    }));
  test("an unknown optimizer is a ConfigError naming the closest one", () => {
    assert.throws(
      () => getOptimizer("adma"),
      (e: unknown) =>
        e instanceof ConfigError &&
        /^getOptimizer: unknown optimizer "adma" \(expected one of sgd, adam, .*; did you mean "adam"\?\)$/.test(
          e.message,
        ),
    );
  });
});
