// io/tfjs/tfjs-weights: one entry of a TensorFlow.js weights manifest decoded from the shard bytes.
// float32 and int32 are read as they are; float16 and the converter's affine quantization
// (uint8/uint16 with scale and min, value = q * scale + min) become float32.
import { describe } from "../../core/config.js";
import { FormatError } from "../../core/errors.js";
import { isPlainObject } from "../../nn/config.js";
import { Tensor } from "../../tensor/tensor.js";
import { halfToNumber } from "../safetensors-dtypes.js";

/** A weights-manifest entry. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: string;
  readonly quantization?: { dtype: string; scale?: number; min?: number };
}

function checkSpec(spec: unknown, source: string): WeightSpec {
  if (
    !isPlainObject(spec) ||
    typeof spec.name !== "string" ||
    !Array.isArray(spec.shape) ||
    !spec.shape.every((n) => Number.isSafeInteger(n) && (n as number) >= 0) ||
    typeof spec.dtype !== "string"
  ) {
    throw new FormatError(
      `${source}: a weights-manifest entry must be {name, shape, dtype} (got ${describe(spec)})`,
    );
  }
  return spec as unknown as WeightSpec;
}

/** The tensor of `spec` at `offset` in `bytes`, and how many bytes it took. */
export function decodeWeight(
  rawSpec: unknown,
  bytes: Uint8Array,
  offset: number,
  source: string,
): { tensor: Tensor; size: number } {
  const spec = checkSpec(rawSpec, source);
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const stored = spec.quantization?.dtype ?? spec.dtype;
  const width = stored === "uint8" ? 1 : stored === "uint16" || stored === "float16" ? 2 : 4;
  const size = count * width;
  if (!["float32", "int32", "uint8", "uint16", "float16"].includes(stored)) {
    throw new FormatError(
      `${source}: weight "${spec.name}" has dtype ${describe(stored)} (float32, int32, float16, uint8, uint16)`,
    );
  }
  if (offset + size > bytes.length) {
    throw new FormatError(
      `${source}: weight "${spec.name}" needs bytes ${offset}..${offset + size}, the shards hold ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
  const shape = [...spec.shape];
  if (stored === "int32" && spec.quantization === undefined) {
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
    return { tensor: new Tensor(out, shape), size };
  }
  const out = new Float32Array(count);
  const scale = spec.quantization?.scale ?? 1;
  const min = spec.quantization?.min ?? 0;
  for (let i = 0; i < count; i++) {
    if (stored === "float32") out[i] = view.getFloat32(4 * i, true);
    else if (stored === "float16") out[i] = halfToNumber(view.getUint16(2 * i, true));
    else if (stored === "uint8") out[i] = view.getUint8(i) * scale + min;
    else if (stored === "uint16") out[i] = view.getUint16(2 * i, true) * scale + min;
    else out[i] = view.getInt32(4 * i, true) * scale + min;
  }
  return { tensor: new Tensor(out, shape), size };
}
