// core/registry: canonical names and aliases, loose and exact matching, own keys only, and the
// typed errors that say what was expected and what came.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError } from "./errors.js";
import { nameAndConfig, Registry, resolve, resolveInstance } from "./registry.js";

class Shape {
  constructor(readonly config: Record<string, unknown>) {}
}

function shapes(): Registry<(config: Record<string, unknown>) => Shape> {
  const registry = new Registry<(config: Record<string, unknown>) => Shape>({ kind: "shape" });
  registry.register("roundedSquare", (c) => new Shape({ ...c, kind: "square" }), "rsq");
  registry.register("circle", (c) => new Shape({ ...c, kind: "circle" }));
  return registry;
}

describe("Registry", () => {
  test("a loose registry finds every spelling and alias, and lists canonical names only", () => {
    const registry = shapes();
    for (const name of ["roundedSquare", "rounded_square", "RoundedSquare", "ROUNDED_SQUARE", "rsq", "RSQ"]) {
      assert.equal(registry.entry(name)?.name, "roundedSquare", name);
    }
    assert.deepEqual(registry.names(), ["roundedSquare", "circle"]);
    assert.equal(registry.has("square"), false);
  });

  test("an exact registry compares names as written", () => {
    const registry = new Registry<number>({ kind: "layer class", match: "exact" });
    registry.register("Dense", 1);
    assert.equal(registry.get("Dense"), 1);
    assert.equal(registry.get("dense"), undefined);
  });

  test("prototype member names find nothing", () => {
    const registry = shapes();
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      assert.equal(registry.get(name), undefined, name);
      assert.throws(() => registry.require("getShape", name), ConfigError);
    }
  });

  test("an unknown name lists the known ones and guesses the closest", () => {
    const registry = new Registry<number>({
      kind: "shape",
      hint: (n) => `register it with registerShape("${n}")`,
    });
    registry.register("circle", 1);
    registry.register("triangle", 2);
    assert.throws(
      () => registry.require("getShape", "tirangle"),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message ===
          'getShape: unknown shape "tirangle"; register it with registerShape("tirangle") (expected one of circle, triangle; did you mean "triangle"?)',
    );
    // nothing close: no guess
    assert.throws(() => registry.require("getShape", "hexagon"), /\(expected one of circle, triangle\)$/);
  });

  test("re-registering a name replaces its entry; a canonical name taken over as an alias is no longer listed", () => {
    const registry = new Registry<number>({ kind: "shape" });
    registry.register("circle", 1);
    registry.register("disc", 2, "circle");
    assert.equal(registry.get("circle"), 2);
    assert.deepEqual(registry.names(), ["disc"]);
  });
});

describe("resolve", () => {
  test("a name, { className, config } (config absent or null) and an instance", () => {
    const registry = shapes();
    const instance = new Shape({});
    assert.equal(resolveInstance(registry, instance, "getShape", Shape), instance);
    assert.deepEqual(resolveInstance(registry, "rsq", "getShape", Shape).config, { kind: "square" });
    assert.deepEqual(
      resolveInstance(registry, { className: "Circle", config: { r: 2 } }, "getShape", Shape).config,
      { r: 2, kind: "circle" },
    );
    assert.deepEqual(resolveInstance(registry, { className: "circle" }, "getShape", Shape).config, {
      kind: "circle",
    });
    assert.deepEqual(
      resolveInstance(registry, { className: "circle", config: null }, "getShape", Shape).config,
      {
        kind: "circle",
      },
    );
  });

  test("anything else is a ConfigError saying what was expected and what came", () => {
    const registry = shapes();
    const cases: [unknown, string][] = [
      [3, "3"],
      [null, "null"],
      [[1, 2], "[1,2]"],
      [{ className: 3 }, "an object"],
      [{ className: "circle", config: [1] }, "an object"],
      [new Map(), "Map"],
    ];
    for (const [spec, got] of cases) {
      assert.throws(
        () => resolveInstance(registry, spec, "getShape", Shape),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message === `getShape: expected a shape name, config or instance (got ${got})`,
        String(got),
      );
    }
  });

  test("resolve passes the canonical name to build", () => {
    const registry = shapes();
    const name = resolve(registry, "ROUNDED_SQUARE", {
      where: "w",
      expected: "x",
      isInstance: (v): v is string => false,
      build: (_factory, _config, canonical) => canonical,
    });
    assert.equal(name, "roundedSquare");
  });

  test("nameAndConfig", () => {
    assert.deepEqual(nameAndConfig("a"), { name: "a", config: {} });
    assert.deepEqual(nameAndConfig({ className: "a", config: { b: 1 } }), { name: "a", config: { b: 1 } });
    assert.equal(nameAndConfig({ className: "a", config: new Float32Array(2) }), undefined);
    assert.equal(nameAndConfig(undefined), undefined);
  });
});
