import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatEta, formatMetricValue, formatTimePerUnit, memoryWriter, Progbar } from "./progbar.js";

/** A clock the test moves by hand, in milliseconds. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe("progbar formats", () => {
  test("metric values: 4 decimals above 1e-3, Python-style .4e below", () => {
    assert.equal(formatMetricValue(0.49823), "0.4982");
    assert.equal(formatMetricValue(12.5), "12.5000");
    assert.equal(formatMetricValue(-0.25), "-0.2500");
    assert.equal(formatMetricValue(0.000123456), "1.2346e-04");
    assert.equal(formatMetricValue(0), "0.0000e+00");
    assert.equal(formatMetricValue(1e-12), "1.0000e-12");
    assert.equal(formatMetricValue(Number.NaN), "nan");
    assert.equal(formatMetricValue(Number.POSITIVE_INFINITY), "inf");
  });

  test("time per step switches between s, ms and us", () => {
    assert.equal(formatTimePerUnit(2.4), "2s/step");
    assert.equal(formatTimePerUnit(0), "0s/step");
    assert.equal(formatTimePerUnit(0.015), "15ms/step");
    assert.equal(formatTimePerUnit(0.00083), "830us/step");
  });

  test("ETA is seconds, m:ss past a minute, h:mm:ss past an hour", () => {
    assert.equal(formatEta(42.9), "42s");
    assert.equal(formatEta(125), "2:05");
    assert.equal(formatEta(3725), "1:02:05");
  });
});

describe("Progbar", () => {
  test("verbose 1 on a non-TTY writes only the final line, with the step time excluding step 1", () => {
    const out = memoryWriter(false);
    const clock = manualClock();
    const bar = new Progbar({ target: 25, verbose: 1, writer: out, now: clock.now });
    clock.advance(500); // first step: slow (warm-up), left out of the per-step estimate
    bar.update(1, [["loss", 1]]);
    for (let step = 2; step <= 24; step++) {
      clock.advance(15);
      bar.update(step, [["loss", 0.7]]);
    }
    assert.equal(out.text, "", "nothing before the end of the epoch");
    clock.advance(15);
    bar.update(25, [
      ["accuracy", 0.87851],
      ["loss", 0.49823],
    ]);
    // 500 ms + 24 * 15 ms = 0.86 s elapsed -> "1s"; (24 * 15 ms) / 24 = 15 ms/step.
    assert.equal(out.text, "25/25 ━━━━━━━━━━━━━━━━━━━━ 1s 15ms/step - loss: 0.4982 - accuracy: 0.8785\n");
  });

  test("verbose 2 writes `n/n - Ts - Xms/step - metrics`", () => {
    const out = memoryWriter(false);
    const clock = manualClock();
    const bar = new Progbar({ target: 100, verbose: 2, writer: out, now: clock.now });
    for (let step = 1; step <= 100; step++) {
      clock.advance(25);
      bar.update(step, [["loss", 0.1]]);
    }
    assert.equal(out.text, "100/100 - 3s - 25ms/step - loss: 0.1000\n");
  });

  test("a TTY gets a live bar redrawn with \\r, an ETA and ANSI colours", () => {
    const out = memoryWriter(true);
    const clock = manualClock();
    const bar = new Progbar({ target: 10, verbose: 1, writer: out, now: clock.now });
    for (let step = 1; step <= 5; step++) {
      clock.advance(100);
      bar.update(step, [["loss", 0.5]]);
    }
    const frames = out.text.split("\r").filter((f) => f.length > 0);
    assert.equal(frames.length, 5, "one redraw per update at 100 ms apart (interval is 50 ms)");
    // 5 of 10 steps: half the bar green; 5 steps left at 100 ms each -> ETA 0.5 s, shown as "0s"
    const last = frames[4]!.replace(new RegExp(`${"\x1b"}\\[[0-9;]*m`, "g"), "");
    assert.match(last, /^ 5\/10 ━{20} 0s 100ms\/step - loss: 0\.5000$/);
    assert.ok(frames[4]!.includes(`\x1b[32m${"━".repeat(10)}\x1b[0m`), "the done half is green");
    clock.advance(100);
    bar.update(10, [["loss", 0.25]], true);
    assert.ok(out.text.endsWith("\n"), "the final redraw ends the line");
  });

  test("NO_COLOR keeps the live bar but drops the ANSI colours", () => {
    const saved = process.env.NO_COLOR;
    process.env.NO_COLOR = "1";
    try {
      const out = memoryWriter(true);
      const clock = manualClock();
      const bar = new Progbar({ target: 10, verbose: 1, writer: out, now: clock.now });
      clock.advance(100);
      bar.update(5, [["loss", 0.5]]);
      assert.match(out.text, /^\r 5\/10 ━{20} /);
      assert.ok(!out.text.includes("\x1b"), JSON.stringify(out.text));
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });

  test("an unknown target shows `n/Unknown`", () => {
    const out = memoryWriter(false);
    const bar = new Progbar({ target: null, verbose: 1, writer: out, now: manualClock().now });
    bar.update(12, [], true);
    assert.match(out.text, /^ {5}12\/Unknown 0s 0s\/step\n$/);
  });
});
