// test/helpers/until: polls a condition until it holds, failing the test with what it waited for
// after 200 tries (each try then a pause of intervalMs).
import assert from "node:assert/strict";

export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  intervalMs = 10,
): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  assert.fail(`timed out waiting for ${what}`);
}
