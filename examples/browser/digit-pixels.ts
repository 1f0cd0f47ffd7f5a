// examples/browser/digit-pixels: a drawing on a canvas as the 8x8 image the digits model reads,
// made the way the UCI optical-digits images in datasets/digits.csv were: the ink's bounding box
// is scaled (aspect kept) to fill a 32x32 bitmap and centred in it, then each 4x4 block of the
// bitmap counts its inked cells, giving 64 intensities 0-16. The digits were written with a thick
// pen for their size (a "1" is about 8 of 32 cells wide, two full blocks: see the 1s in the CSV),
// so given the page's pen width, strokes are widened to STROKE_CELLS in the bitmap. Pure (no DOM):
// the page passes the canvas's RGBA pixels; digit-pixels.test.ts checks it on drawn shapes.

/** Side of the bitmap the digit is normalised into, and of the blocks that are counted. */
const BITMAP = 32;
const BLOCK = 4;
/** A bitmap cell is inked when at least this fraction of the canvas pixels it covers are ink. */
const COVERAGE = 0.3;
/** Stroke width in bitmap cells that the drawing's strokes are widened to (the data's pen). */
const STROKE_CELLS = 7;

/**
 * The 64 intensities (0-16, row-major 8x8) of a drawing: dark strokes on a light background,
 * `rgba` being the canvas's getImageData().data (width * height * 4 bytes). A blank canvas gives zeros.
 * With `strokeWidth` (the pen's width in canvas pixels) thin strokes are widened to the data's.
 */
export function digitPixels(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  strokeWidth?: number,
): Float32Array {
  const ink = new Uint8Array(width * height);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      // Luminance under the alpha (a transparent pixel is background).
      const alpha = (rgba[i + 3] ?? 255) / 255;
      const luminance = 0.299 * (rgba[i] ?? 0) + 0.587 * (rgba[i + 1] ?? 0) + 0.114 * (rgba[i + 2] ?? 0);
      if (alpha * (255 - luminance) < 128) continue;
      ink[y * width + x] = 1;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  const out = new Float32Array(64);
  if (x1 < 0) return out;
  // Scale the box's longer side to the bitmap's side less the widening's margin, centre the other.
  const boxWidth = x1 - x0 + 1;
  const boxHeight = y1 - y0 + 1;
  const longest = Math.max(boxWidth, boxHeight);
  const thickness = strokeWidth === undefined ? STROKE_CELLS : (strokeWidth * BITMAP) / longest;
  const widen = Math.max(0, Math.round((STROKE_CELLS - thickness) / 2));
  const scale = (BITMAP - 2 * widen) / longest;
  const offsetX = (BITMAP - boxWidth * scale) / 2;
  const offsetY = (BITMAP - boxHeight * scale) / 2;
  // Each bitmap cell looks back at the canvas pixels whose centres fall in it (the nearest one
  // when the drawing is scaled up), and is inked when enough of them are.
  const pixelRange = (cell: number, offset: number, first: number, last: number): [number, number] => {
    const from = first + (cell - offset) / scale;
    const to = first + (cell + 1 - offset) / scale;
    let start = Math.max(first, Math.ceil(from - 0.5));
    let end = Math.min(last, Math.ceil(to - 0.5) - 1);
    if (start > end) {
      start = Math.floor((from + to) / 2);
      end = start;
    }
    return [start, end];
  };
  const bitmap = new Uint8Array(BITMAP * BITMAP);
  for (let by = 0; by < BITMAP; by++) {
    const [ya, yb] = pixelRange(by, offsetY, y0, y1);
    if (ya < y0 || ya > y1) continue;
    for (let bx = 0; bx < BITMAP; bx++) {
      const [xa, xb] = pixelRange(bx, offsetX, x0, x1);
      if (xa < x0 || xa > x1) continue;
      let inked = 0;
      for (let y = ya; y <= yb; y++) for (let x = xa; x <= xb; x++) inked += ink[y * width + x]!;
      if (inked / ((yb - ya + 1) * (xb - xa + 1)) >= COVERAGE) bitmap[by * BITMAP + bx] = 1;
    }
  }
  // Widen: every cell within `widen` cells (a disc) of an inked one is inked; then count the blocks.
  for (let by = 0; by < BITMAP; by++) {
    for (let bx = 0; bx < BITMAP; bx++) {
      let inked = false;
      for (let dy = -widen; dy <= widen && !inked; dy++) {
        for (let dx = -widen; dx <= widen && !inked; dx++) {
          const y = by + dy;
          const x = bx + dx;
          inked =
            dx * dx + dy * dy <= widen * widen &&
            y >= 0 &&
            y < BITMAP &&
            x >= 0 &&
            x < BITMAP &&
            bitmap[y * BITMAP + x] === 1;
        }
      }
      if (inked) out[Math.floor(by / BLOCK) * 8 + Math.floor(bx / BLOCK)]! += 1;
    }
  }
  return out;
}
