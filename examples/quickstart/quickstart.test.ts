// The README's quick start, as a user runs it: quickstart.mjs imports "tessera-ml" by name (the
// tessera-source condition points that at src/ here; .ci/run's consumer test runs the same file
// against the packed tarball) from an empty folder, trains, evaluates, saves and reloads. The
// README shows this file verbatim: a second test keeps the two identical.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const SCRIPT = new URL("./quickstart.mjs", import.meta.url);

test("the quick start trains, evaluates, saves and reloads a breast-cancer classifier", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tessera-quickstart-"));
  try {
    const out = execFileSync(
      process.execPath,
      ["--conditions=tessera-source", "--import", import.meta.resolve("tsx"), SCRIPT.pathname],
      { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    const backend = /^backend: (\w+)/m.exec(out)?.[1];
    if (process.env.TESSERA_REQUIRE_NATIVE === "1") assert.equal(backend, "native");
    assert.ok(backend === "native" || backend === "reference", out);
    const accuracy = Number(/^test accuracy: ([\d.]+)$/m.exec(out)?.[1]);
    assert.ok(accuracy >= 0.93, `test accuracy ${accuracy}`);
    assert.match(out, /^reloaded model agrees: true$/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the README shows quickstart.mjs verbatim", async () => {
  const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
  const script = await readFile(SCRIPT, "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(
    blocks.includes(script),
    "README.md has no ```js block equal to examples/quickstart/quickstart.mjs",
  );
});
