import assert from "node:assert/strict";
import { test } from "node:test";
import { randn, type Tensor, tensor } from "../../index.js";
import {
  randomBrightness,
  randomContrast,
  randomCrop,
  randomFlip,
  randomRotation,
  randomTranslation,
  randomZoom,
} from "./image.js";
import { resampleImages } from "./image-transform.js";
import { gaussianNoise } from "./noise.js";

const TOL = 1e-5;

/** A [N, H, W, C] batch whose values are distinct: v = n*1000 + y*100 + x*10 + c. */
function grid(N: number, H: number, W: number, C: number): Tensor {
  const data = new Float32Array(N * H * W * C);
  let i = 0;
  for (let n = 0; n < N; n++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) data[i++] = n * 1000 + y * 100 + x * 10 + c;
  return tensor(data, { shape: [N, H, W, C] });
}

function at(t: Tensor, n: number, y: number, x: number, c: number): number {
  const [, H, W, C] = t.shape as [number, number, number, number];
  return t.data[((n * H + y) * W + x) * C + c]!;
}

function close(a: Tensor, b: Tensor, tol = TOL): void {
  assert.deepEqual(a.shape, b.shape);
  for (let i = 0; i < a.size; i++)
    assert.ok(Math.abs(a.data[i]! - b.data[i]!) <= tol, `index ${i}: ${a.data[i]} vs ${b.data[i]}`);
}

test("randomFlip keeps the shape, flips whole images, and twice with one seed is the identity", () => {
  const images = grid(16, 3, 4, 2);
  const once = randomFlip(images, { seed: 5 });
  assert.deepEqual(once.shape, images.shape);
  close(randomFlip(once, { seed: 5 }), images, 0);
  close(randomFlip(images, { seed: 5 }), once, 0);
  let flippedX = 0;
  let flippedY = 0;
  for (let n = 0; n < 16; n++) {
    // Each image is the original, mirrored left-right, top-bottom, or both.
    const fx = at(once, n, 0, 0, 0) % 100 >= 10; // column of the pixel now at (0, 0)
    const fy = at(once, n, 0, 0, 0) % 1000 >= 100;
    flippedX += fx ? 1 : 0;
    flippedY += fy ? 1 : 0;
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 4; x++)
        for (let c = 0; c < 2; c++)
          assert.equal(at(once, n, y, x, c), at(images, n, fy ? 2 - y : y, fx ? 3 - x : x, c));
  }
  assert.ok(flippedX > 0 && flippedX < 16 && flippedY > 0 && flippedY < 16, `${flippedX} ${flippedY}`);
  const horizontal = randomFlip(images, { seed: 5, mode: "horizontal" });
  for (let n = 0; n < 16; n++)
    assert.equal(Math.floor(at(horizontal, n, 0, 0, 0) / 100) % 10, 0, "row unchanged");
});

test("random ops are reproducible with a seed and differ across seeds", () => {
  const images = randn([4, 6, 6, 3], { generator: undefined }).mul(20).add(128);
  for (const f of [
    (s: number) => randomRotation(images, 0.2, { seed: s }),
    (s: number) => randomZoom(images, 0.3, { seed: s }),
    (s: number) => randomTranslation(images, 0.2, 0.2, { seed: s }),
    (s: number) => randomCrop(images, 4, 5, { seed: s }),
    (s: number) => randomBrightness(images, 0.2, { seed: s }),
    (s: number) => randomContrast(images, 0.5, { seed: s }),
    (s: number) => gaussianNoise(images, { stddev: 1, seed: s }),
  ]) {
    const a = f(1);
    assert.deepEqual(a.data, f(1).data);
    assert.notDeepEqual(a.data, f(2).data);
    if (a.shape[1] === 6) assert.deepEqual(a.shape, images.shape);
  }
});

test("a quarter-turn rotation equals the exact 90-degree counter-clockwise rotation", () => {
  const images = grid(2, 5, 5, 1);
  const rotated = randomRotation(images, [0.25, 0.25], { seed: 0 });
  // Counter-clockwise by 90 degrees: output (y, x) reads input (row x, column W-1-y).
  const expected = new Float32Array(images.size);
  for (let n = 0; n < 2; n++)
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 5; x++) expected[(n * 5 + y) * 5 + x] = at(images, n, x, 4 - y, 0);
  close(rotated, tensor(expected, { shape: [2, 5, 5, 1] }), 1e-3);
  close(randomRotation(images, 0, { seed: 0 }), images, 1e-4);
});

test("translation by whole pixels shifts content and fills by the chosen mode", () => {
  const images = grid(1, 3, 4, 1);
  const right = randomTranslation(images, 0, [0.25, 0.25], { fillMode: "constant", fillValue: -1 }); // 1 pixel right
  assert.deepEqual(right.toArray(), [
    [
      [[-1], [0], [10], [20]],
      [[-1], [100], [110], [120]],
      [[-1], [200], [210], [220]],
    ],
  ]);
  const down = randomTranslation(images, [1 / 3, 1 / 3], 0, { fillMode: "nearest" }); // 1 row down
  assert.deepEqual(
    (down.toArray() as number[][][][])[0]!.map((row) => row.map((p) => p[0])),
    [
      [0, 10, 20, 30],
      [0, 10, 20, 30],
      [100, 110, 120, 130],
    ],
  );
  // Fill modes on a row a b c d shifted by 2: reflect -> b a a b, wrap -> c d a b.
  const row = tensor([1, 2, 3, 4], { shape: [1, 1, 4, 1] });
  const shift2 = [[1, 0, -2, 0, 1, 0]];
  assert.deepEqual(Array.from(resampleImages("t", row, shift2, { fillMode: "reflect" }).data), [2, 1, 1, 2]);
  assert.deepEqual(Array.from(resampleImages("t", row, shift2, { fillMode: "wrap" }).data), [3, 4, 1, 2]);
  assert.deepEqual(Array.from(resampleImages("t", row, shift2, { fillMode: "nearest" }).data), [1, 1, 1, 2]);
  // Half a pixel: bilinear averages neighbours.
  assert.deepEqual(
    Array.from(resampleImages("t", row, [[1, 0, 0.5, 0, 1, 0]], { fillMode: "nearest" }).data),
    [1.5, 2.5, 3.5, 4],
  );
});

test("zoom scales about the centre: 0 is the identity, -0.5 doubles the centre", () => {
  const images = grid(1, 5, 5, 1);
  close(randomZoom(images, 0, { seed: 1 }), images, 0);
  const zoomIn = randomZoom(images, [-0.5, -0.5]);
  // Output pixel (y, x) reads input (2 + (y-2)/2, 2 + (x-2)/2); the centre stays put.
  assert.equal(at(zoomIn, 0, 2, 2, 0), at(images, 0, 2, 2, 0));
  assert.ok(Math.abs(at(zoomIn, 0, 0, 0, 0) - at(images, 0, 1, 1, 0)) < TOL);
  assert.ok(Math.abs(at(zoomIn, 0, 1, 2, 0) - (at(images, 0, 1, 2, 0) + at(images, 0, 2, 2, 0)) / 2) < TOL);
  const stretched = randomZoom(images, [-0.5, -0.5], { widthFactor: [0, 0] });
  assert.equal(at(stretched, 0, 0, 4, 0), at(images, 0, 1, 4, 0));
});

test("crop returns a window of the input; brightness and contrast follow their formulas", () => {
  const images = grid(3, 6, 7, 2);
  const crops = randomCrop(images, 3, 4, { seed: 9 });
  assert.deepEqual(crops.shape, [3, 3, 4, 2]);
  for (let n = 0; n < 3; n++) {
    const top = Math.floor((at(crops, n, 0, 0, 0) % 1000) / 100);
    const left = Math.floor((at(crops, n, 0, 0, 0) % 100) / 10);
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 4; x++)
        for (let c = 0; c < 2; c++) assert.equal(at(crops, n, y, x, c), at(images, n, top + y, left + x, c));
  }
  assert.throws(() => randomCrop(images, 7, 4), /crop size 7x4 must be whole and fit the 6x7 images/);

  const dim = tensor(new Float32Array(2 * 2 * 2 * 1).fill(100), { shape: [2, 2, 2, 1] });
  const bright = randomBrightness(dim, 0.1, { seed: 3 });
  for (let n = 0; n < 2; n++) {
    const delta = at(bright, n, 0, 0, 0) - 100;
    assert.ok(Math.abs(delta) <= 25.5 + TOL);
    for (let i = 0; i < 4; i++) assert.equal(bright.data[n * 4 + i], 100 + delta);
  }
  const clipped = randomBrightness(dim, [1, 1]);
  assert.deepEqual(Array.from(clipped.data), new Array(8).fill(255));

  const img = tensor([10, 20, 30, 40], { shape: [1, 2, 2, 1] }); // mean 25
  const contrast = randomContrast(img, [0.5, 0.5], { seed: 4 });
  const c = (contrast.data[0]! - 25) / (10 - 25);
  assert.ok(c >= 0.5 && c <= 1.5);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(contrast.data[i]! - (25 + c * (img.data[i]! - 25))) < TOL);
});

test("gaussianNoise has the requested spread and keeps the shape", () => {
  const x = tensor(new Float64Array(20000).fill(3), { shape: [100, 200] });
  const noisy = gaussianNoise(x, { stddev: 0.5, seed: 2 });
  assert.deepEqual(noisy.shape, [100, 200]);
  const diffs = Array.from(noisy.data, (v) => v - 3);
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const std = Math.sqrt(diffs.reduce((a, v) => a + (v - mean) ** 2, 0) / diffs.length);
  assert.ok(Math.abs(mean) < 0.02 && Math.abs(std - 0.5) < 0.02, `${mean} ${std}`);
  close(gaussianNoise(x, { stddev: 0, seed: 2 }), x, 0);
});
