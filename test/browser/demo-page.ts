// Shared by the demo page's browser tests: opens the page and waits until it is ready (failing
// with the page's error otherwise), draws strokes on its #pad canvas with playwright's mouse (as a
// visitor would) and reads the label the page then shows.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { type PageProblems, watch } from "./browser.js";

/** Opens the demo page at `url`, watched for problems, once its data-state is "ready". */
export async function openDemoPage(
  browser: Browser,
  url: string,
): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
  const problems = watch(page);
  await page.goto(url);
  await page.waitForSelector("body[data-state=ready], body[data-state=error]", { timeout: 30_000 });
  const state = await page.getAttribute("body", "data-state");
  assert.equal(state, "ready", (await page.locator("#error").textContent()) ?? "");
  return { page, problems };
}

/** Draws strokes (lists of [x, y] in canvas pixels, 224 x 224) on #pad with the mouse. */
export async function drawOnPad(
  page: Page,
  strokes: readonly (readonly [number, number])[][],
): Promise<void> {
  await page.click("#clear");
  const box = await page.locator("#pad").boundingBox();
  assert.ok(box !== null);
  const at = ([x, y]: readonly [number, number]) =>
    [box.x + (x * box.width) / 224, box.y + (y * box.height) / 224] as const;
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    assert.ok(first !== undefined);
    await page.mouse.move(...at(first));
    await page.mouse.down();
    for (const point of rest) await page.mouse.move(...at(point), { steps: 12 });
    await page.mouse.up();
  }
}

/** A "1": one slightly slanted stroke; a "7": a bar across the top, then down to the left. */
export const ONE: [number, number][][] = [
  [
    [118, 30],
    [108, 196],
  ],
];
export const SEVEN: [number, number][][] = [
  [
    [58, 42],
    [166, 42],
    [96, 198],
  ],
];

/** The label shown after the strokes (the page classifies on pointerup). */
export async function predictionAfter(
  page: Page,
  strokes: readonly (readonly [number, number])[][],
): Promise<string> {
  await drawOnPad(page, strokes);
  await page.waitForFunction(() => {
    const shown = (
      globalThis as unknown as { document: { getElementById(id: string): { textContent: string } | null } }
    ).document.getElementById("prediction");
    return shown !== null && shown.textContent !== "";
  });
  return (await page.locator("#prediction").getAttribute("data-label")) ?? "";
}
