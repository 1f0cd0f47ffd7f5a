// data/augment/image: seeded random image augmentations on [N, H, W, C] float tensors (or one
// [H, W, C] image), following the Keras preprocessing layers of the same names. Every image
// draws its own parameters, image 0 first, from the generator of `seed`/`generator` (the global
// one otherwise), so the same seed gives the same batch. Layer: data.
import { ValueError } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { type RandomSource, resolveGenerator } from "../split/indexable.js";
import { asImageBatch, type ResampleOptions, resampleImages, restoreRank } from "./image-transform.js";

/** A symmetric range [-f, f] as one number, or [lower, upper]. */
export type Factor = number | readonly [number, number];

function range(op: string, name: string, factor: Factor): [number, number] {
  const [lo, hi] = typeof factor === "number" ? [-Math.abs(factor), Math.abs(factor)] : factor;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    throw new ValueError(
      `${op}: ${name} must be a number or [lower, upper] with lower <= upper (got ${JSON.stringify(factor)})`,
    );
  }
  return [lo, hi];
}

function draw(rng: Generator, [lo, hi]: [number, number]): number {
  return lo === hi ? lo : rng.uniform(lo, hi);
}

export type FlipMode = "horizontal" | "vertical" | "horizontal_and_vertical";

/**
 * Flips each image left-right ("horizontal") and/or top-bottom ("vertical"), each with
 * probability 1/2. Flipping twice with the same seed gives back the input.
 */
export function randomFlip(images: Tensor, options: RandomSource & { mode?: FlipMode } = {}): Tensor {
  const op = "randomFlip";
  const mode = options.mode ?? "horizontal_and_vertical";
  if (mode !== "horizontal" && mode !== "vertical" && mode !== "horizontal_and_vertical") {
    throw new ValueError(
      `${op}: mode must be "horizontal", "vertical" or "horizontal_and_vertical" (got "${mode}")`,
    );
  }
  const { batch, single } = asImageBatch(op, images);
  const rng = resolveGenerator(options);
  const [N, H, W, C] = batch.shape as [number, number, number, number];
  const out = batch.data.slice();
  for (let n = 0; n < N; n++) {
    const flipX = mode !== "vertical" && rng.random() < 0.5;
    const flipY = mode !== "horizontal" && rng.random() < 0.5;
    if (!flipX && !flipY) continue;
    const base = n * H * W * C;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const from = base + ((flipY ? H - 1 - y : y) * W + (flipX ? W - 1 - x : x)) * C;
        const to = base + (y * W + x) * C;
        for (let c = 0; c < C; c++) out[to + c] = batch.data[from + c]!;
      }
    }
  }
  return restoreRank(new Tensor(out, batch.shape), single);
}

/**
 * Rotates each image about its centre by a random angle in factor * 2 pi (Keras RandomRotation:
 * factor 0.1 means up to +-36 degrees; positive is counter-clockwise).
 */
export function randomRotation(
  images: Tensor,
  factor: Factor,
  options: RandomSource & ResampleOptions = {},
): Tensor {
  const op = "randomRotation";
  const bounds = range(op, "factor", factor);
  const { batch, single } = asImageBatch(op, images);
  const rng = resolveGenerator(options);
  const [N, H, W] = batch.shape as [number, number, number, number];
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  const maps = Array.from({ length: N }, () => {
    const theta = draw(rng, bounds) * 2 * Math.PI;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    // Output offset (dx, dy) reads input offset (cos dx - sin dy, sin dx + cos dy), y pointing down.
    return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy];
  });
  return restoreRank(resampleImages(op, batch, maps, options), single);
}

/**
 * Zooms each image about its centre (Keras RandomZoom): a factor z in heightFactor scales the
 * sampled region by 1 + z, so positive values zoom out and negative values zoom in. widthFactor
 * defaults to using the same z (aspect ratio kept).
 */
export function randomZoom(
  images: Tensor,
  heightFactor: Factor,
  options: RandomSource & ResampleOptions & { widthFactor?: Factor } = {},
): Tensor {
  const op = "randomZoom";
  const hBounds = range(op, "heightFactor", heightFactor);
  const wBounds = options.widthFactor === undefined ? null : range(op, "widthFactor", options.widthFactor);
  if (hBounds[0] <= -1 || (wBounds !== null && wBounds[0] <= -1)) {
    throw new ValueError(`${op}: zoom factors must stay above -1`);
  }
  const { batch, single } = asImageBatch(op, images);
  const rng = resolveGenerator(options);
  const [N, H, W] = batch.shape as [number, number, number, number];
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  const maps = Array.from({ length: N }, () => {
    const zy = 1 + draw(rng, hBounds);
    const zx = wBounds === null ? zy : 1 + draw(rng, wBounds);
    return [zx, 0, cx - zx * cx, 0, zy, cy - zy * cy];
  });
  return restoreRank(resampleImages(op, batch, maps, options), single);
}

/**
 * Shifts each image by a random fraction of its height and width (Keras RandomTranslation:
 * positive moves the content down / right).
 */
export function randomTranslation(
  images: Tensor,
  heightFactor: Factor,
  widthFactor: Factor,
  options: RandomSource & ResampleOptions = {},
): Tensor {
  const op = "randomTranslation";
  const hBounds = range(op, "heightFactor", heightFactor);
  const wBounds = range(op, "widthFactor", widthFactor);
  const { batch, single } = asImageBatch(op, images);
  const rng = resolveGenerator(options);
  const [N, H, W] = batch.shape as [number, number, number, number];
  const maps = Array.from({ length: N }, () => {
    const dy = draw(rng, hBounds) * H;
    const dx = draw(rng, wBounds) * W;
    return [1, 0, -dx, 0, 1, -dy];
  });
  return restoreRank(resampleImages(op, batch, maps, options), single);
}

/** Cuts a random height x width window out of each image (the output is [N, height, width, C]). */
export function randomCrop(
  images: Tensor,
  height: number,
  width: number,
  options: RandomSource = {},
): Tensor {
  const op = "randomCrop";
  const { batch, single } = asImageBatch(op, images);
  const [N, H, W, C] = batch.shape as [number, number, number, number];
  if (
    !Number.isInteger(height) ||
    !Number.isInteger(width) ||
    height < 1 ||
    width < 1 ||
    height > H ||
    width > W
  ) {
    throw new ValueError(`${op}: crop size ${height}x${width} must be whole and fit the ${H}x${W} images`);
  }
  const rng = resolveGenerator(options);
  const out =
    batch.dtype === "float64"
      ? new Float64Array(N * height * width * C)
      : new Float32Array(N * height * width * C);
  for (let n = 0; n < N; n++) {
    const top = rng.int(0, H - height + 1);
    const left = rng.int(0, W - width + 1);
    for (let y = 0; y < height; y++) {
      const from = ((n * H + top + y) * W + left) * C;
      out.set(batch.data.subarray(from, from + width * C), (n * height + y) * width * C);
    }
  }
  return restoreRank(new Tensor(out, [N, height, width, C]), single);
}

export interface ValueRangeOptions extends RandomSource {
  /** The images' value range; results are clipped to it (default [0, 255]). */
  valueRange?: readonly [number, number];
}

/**
 * Adds a random delta to each image (Keras RandomBrightness): delta = f * (max - min) of the value
 * range, f drawn from factor, then clipped to the range.
 */
export function randomBrightness(images: Tensor, factor: Factor, options: ValueRangeOptions = {}): Tensor {
  const op = "randomBrightness";
  const bounds = range(op, "factor", factor);
  const [lo, hi] = options.valueRange ?? [0, 255];
  const { batch, single } = asImageBatch(op, images);
  const rng = resolveGenerator(options);
  const per = batch.size / batch.shape[0]!;
  const out = batch.data.slice();
  for (let n = 0; n < batch.shape[0]!; n++) {
    const delta = draw(rng, bounds) * (hi - lo);
    for (let i = n * per; i < (n + 1) * per; i++) out[i] = Math.min(hi, Math.max(lo, out[i]! + delta));
  }
  return restoreRank(new Tensor(out, batch.shape), single);
}

/**
 * Scales each image's deviation from its per-channel mean by c drawn from [1 - lower, 1 + upper]
 * (Keras RandomContrast; factor f means [1 - f, 1 + f]), then clips to the value range.
 */
export function randomContrast(
  images: Tensor,
  factor: number | readonly [number, number],
  options: ValueRangeOptions = {},
): Tensor {
  const op = "randomContrast";
  const [lower, upper] = typeof factor === "number" ? [factor, factor] : factor;
  if (!(lower >= 0 && lower <= 1 && upper >= 0)) {
    throw new ValueError(
      `${op}: factor must be in [0, 1] for the lower side and >= 0 above (got ${JSON.stringify(factor)})`,
    );
  }
  const [lo, hi] = options.valueRange ?? [0, 255];
  const { batch, single } = asImageBatch(op, images);
  const rng = resolveGenerator(options);
  const [N, H, W, C] = batch.shape as [number, number, number, number];
  const out = batch.data.slice();
  const pixels = H * W;
  for (let n = 0; n < N; n++) {
    const c = draw(rng, [1 - lower, 1 + upper]);
    const base = n * pixels * C;
    for (let ch = 0; ch < C; ch++) {
      let mean = 0;
      for (let p = 0; p < pixels; p++) mean += batch.data[base + p * C + ch]!;
      mean /= pixels;
      for (let p = 0; p < pixels; p++) {
        const i = base + p * C + ch;
        out[i] = Math.min(hi, Math.max(lo, (batch.data[i]! - mean) * c + mean));
      }
    }
  }
  return restoreRank(new Tensor(out, batch.shape), single);
}
