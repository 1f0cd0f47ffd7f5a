// digitPixels on drawn shapes: a blank canvas is all zeros, a filled square fills every block
// (16), and a vertical bar is scaled to the full height and centred (two middle columns of 8).
import assert from "node:assert/strict";
import { test } from "node:test";
import { digitPixels } from "./digit-pixels.js";

/** A white RGBA canvas with black rectangles [x, y, width, height]. */
function canvas(width: number, height: number, rects: [number, number, number, number][]): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const [rx, ry, rw, rh] of rects)
    for (let y = ry; y < ry + rh; y++)
      for (let x = rx; x < rx + rw; x++) rgba.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
  return rgba;
}

test("a blank canvas is zeros; a filled square is 16 everywhere", () => {
  assert.deepEqual(Array.from(digitPixels(canvas(50, 40, []), 50, 40)), new Array(64).fill(0));
  assert.deepEqual(
    Array.from(digitPixels(canvas(200, 200, [[30, 50, 100, 100]]), 200, 200)),
    new Array(64).fill(16),
  );
});

test("a vertical bar anywhere on the canvas becomes a centred, full-height stroke", () => {
  // 20 x 160 px: scaled by 32/160 to 4 x 32 bitmap cells, columns 14-17, so blocks 3 and 4 count 8 each.
  for (const x of [10, 120]) {
    const pixels = digitPixels(canvas(200, 200, [[x, 25, 20, 160]]), 200, 200);
    for (let row = 0; row < 8; row++)
      assert.deepEqual(
        Array.from(pixels.subarray(row * 8, row * 8 + 8)),
        [0, 0, 0, 8, 8, 0, 0, 0],
        `row ${row}`,
      );
  }
  // A small drawing is scaled up the same way (each bitmap cell takes the nearest pixel).
  const small = digitPixels(canvas(60, 60, [[5, 5, 2, 16]]), 60, 60);
  assert.deepEqual(Array.from(small.subarray(0, 8)), [0, 0, 0, 8, 8, 0, 0, 0]);
});

test("with the pen's width, a thin stroke is widened to the data's (a 1 two blocks wide)", () => {
  // 20 px pen over 160 px: 4 cells in the bitmap, widened by 2 cells on each side to 8 cells.
  const pixels = digitPixels(canvas(200, 200, [[90, 20, 20, 160]]), 200, 200, 20);
  const rows = Array.from({ length: 8 }, (_, r) => Array.from(pixels.subarray(r * 8, r * 8 + 8)));
  for (const r of [1, 2, 3, 4, 5, 6]) assert.deepEqual(rows[r], [0, 0, 0, 16, 16, 0, 0, 0], `row ${r}`);
  // The ends are rounded by the disc: fewer cells in the first and last block rows.
  assert.deepEqual(rows[0], [0, 0, 0, 13, 13, 0, 0, 0]);
  assert.deepEqual(rows[7], rows[0]);
  // A pen as thick as the data's is left as it is.
  assert.deepEqual(
    digitPixels(canvas(200, 200, [[90, 20, 20, 160]]), 200, 200, 50),
    digitPixels(canvas(200, 200, [[90, 20, 20, 160]]), 200, 200),
  );
});
