// data/augment/image-transform: resampling a batch of images through an affine map, the engine of
// randomRotation, randomZoom and randomTranslation. Layer: data.
//
// Images are [N, H, W, C] (N images, H rows, W columns, C channels), row-major. Pixel centres
// sit at integer coordinates (x = column, y = row, y pointing down). Each image has its own map
// from an output pixel (x, y) to the input point it is read from:
//   xIn = m[0] * x + m[1] * y + m[2],   yIn = m[3] * x + m[4] * y + m[5]
import { DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { formatShape } from "../../core/shape.js";
import { Tensor } from "../../tensor/tensor.js";

/** How points outside the input are filled (Keras names). */
export type FillMode = "reflect" | "wrap" | "nearest" | "constant";
export type Interpolation = "bilinear" | "nearest";

export interface ResampleOptions {
  /** Default "reflect": d c b a | a b c d | d c b a. */
  fillMode?: FillMode;
  /** The value of "constant" fill (default 0). */
  fillValue?: number;
  /** Default "bilinear". */
  interpolation?: Interpolation;
}

const FILL_MODES: readonly FillMode[] = ["reflect", "wrap", "nearest", "constant"];

/** Checks an image batch: a float tensor [N, H, W, C] (or one image [H, W, C]); returns it as rank 4. */
export function asImageBatch(op: string, images: Tensor): { batch: Tensor; single: boolean } {
  if (!(images instanceof Tensor)) throw new ValueError(`${op}: expected a Tensor of images`);
  if (images.dtype !== "float32" && images.dtype !== "float64") {
    throw new DTypeError(`${op}: expected float32 or float64 images (got ${images.dtype})`);
  }
  if (images.rank === 3) return { batch: new Tensor(images.data, [1, ...images.shape]), single: true };
  if (images.rank !== 4) {
    throw new ShapeError(
      `${op}: expected images of shape [N, H, W, C] or [H, W, C] (got ${formatShape(images.shape)})`,
    );
  }
  return { batch: images, single: false };
}

/** Restores the caller's rank: a single image goes back to [H, W, C]. */
export function restoreRank(result: Tensor, single: boolean): Tensor {
  return single ? new Tensor(result.data, result.shape.slice(1)) : result;
}

/** Maps an integer index outside [0, n) back inside, or -1 for "constant". */
function fillIndex(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case "nearest":
      return i < 0 ? 0 : n - 1;
    case "wrap":
      return ((i % n) + n) % n;
    case "reflect": {
      const period = 2 * n;
      const j = ((i % period) + period) % period;
      return j < n ? j : period - 1 - j;
    }
    default:
      return -1;
  }
}

/** Resamples every image of `images` ([N, H, W, C]) through its map (6 numbers per image). */
export function resampleImages(
  op: string,
  images: Tensor,
  maps: readonly number[][],
  options: ResampleOptions = {},
): Tensor {
  const fillMode = options.fillMode ?? "reflect";
  if (!FILL_MODES.includes(fillMode)) {
    throw new ValueError(`${op}: fillMode must be one of ${FILL_MODES.join(", ")} (got "${fillMode}")`);
  }
  const interpolation = options.interpolation ?? "bilinear";
  if (interpolation !== "bilinear" && interpolation !== "nearest") {
    throw new ValueError(`${op}: interpolation must be "bilinear" or "nearest" (got "${interpolation}")`);
  }
  const fillValue = options.fillValue ?? 0;
  const [N, H, W, C] = images.shape as [number, number, number, number];
  const src = images.data;
  const out = images.dtype === "float64" ? new Float64Array(src.length) : new Float32Array(src.length);
  const read = (base: number, yi: number, xi: number, c: number): number => {
    const y = fillIndex(yi, H, fillMode);
    const x = fillIndex(xi, W, fillMode);
    return y < 0 || x < 0 ? fillValue : src[base + (y * W + x) * C + c]!;
  };
  for (let n = 0; n < N; n++) {
    const m = maps[n]!;
    const base = n * H * W * C;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const xIn = m[0]! * x + m[1]! * y + m[2]!;
        const yIn = m[3]! * x + m[4]! * y + m[5]!;
        const o = base + (y * W + x) * C;
        if (interpolation === "nearest") {
          const xi = Math.round(xIn);
          const yi = Math.round(yIn);
          for (let c = 0; c < C; c++) out[o + c] = read(base, yi, xi, c);
          continue;
        }
        const x0 = Math.floor(xIn);
        const y0 = Math.floor(yIn);
        const fx = xIn - x0;
        const fy = yIn - y0;
        for (let c = 0; c < C; c++) {
          const top = read(base, y0, x0, c) * (1 - fx) + read(base, y0, x0 + 1, c) * fx;
          const bottom = read(base, y0 + 1, x0, c) * (1 - fx) + read(base, y0 + 1, x0 + 1, c) * fx;
          out[o + c] = top * (1 - fy) + bottom * fy;
        }
      }
    }
  }
  return new Tensor(out, images.shape);
}
