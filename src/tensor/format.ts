// tensor/format: readable printing, NumPy-like: aligned columns, summarised with "..." when large.
import type { DType, TypedArray } from "../core/dtype.js";
import type { Shape } from "../core/shape.js";

const SUMMARY_THRESHOLD = 1000; // print every element up to this many
const EDGE_ITEMS = 3; // elements kept at each end of a summarised axis

function formatNumber(v: number, dtype: DType, fixed: boolean): string {
  if (dtype === "bool") return v ? "true" : "false";
  if (dtype === "int32") return String(v);
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (fixed) return Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.` : v.toFixed(4);
  return v.toExponential(4);
}

export function formatTensor(data: TypedArray, shape: Shape, dtype: DType, requiresGrad: boolean): string {
  const summarise = data.length > SUMMARY_THRESHOLD;
  const strides: number[] = [];
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  const picksOf = (n: number): (number | null)[] => {
    const picks: (number | null)[] = [];
    if (summarise && n > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) picks.push(i);
      picks.push(null);
      for (let i = n - EDGE_ITEMS; i < n; i++) picks.push(i);
    } else for (let i = 0; i < n; i++) picks.push(i);
    return picks;
  };
  // Only the elements that will be printed are formatted, and they alone choose the notation and
  // the column width (NumPy's rule): a summarised print of a huge tensor stays cheap.
  const shown: number[] = [];
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      shown.push(offset);
      return;
    }
    for (const i of picksOf(shape[axis]!)) if (i !== null) collect(axis + 1, offset + i * strides[axis]!);
  };
  if (data.length > 0) collect(0, 0);
  let fixed = true;
  for (const offset of shown) {
    const a = Math.abs(data[offset]!);
    if (Number.isFinite(a) && a !== 0 && (a >= 1e8 || a < 1e-4)) fixed = false;
  }
  const cells = new Map<number, string>();
  for (const offset of shown) cells.set(offset, formatNumber(data[offset]!, dtype, fixed));
  let width = 0;
  for (const cell of cells.values()) width = Math.max(width, cell.length);
  const pad = (s: string) => s.padStart(width);
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return pad(cells.get(offset) ?? "");
    const parts = picksOf(shape[axis]!).map((i) =>
      i === null ? "..." : render(axis + 1, offset + i * strides[axis]!, `${indent} `),
    );
    const sep = axis === shape.length - 1 ? ", " : `,${"\n".repeat(shape.length - 1 - axis)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? (cells.get(0) ?? "") : render(0, 0, "       ");
  const extras = [`shape=[${shape.join(",")}]`, `dtype=${dtype}`];
  if (requiresGrad) extras.push("requiresGrad=true");
  return `tensor(${body}, ${extras.join(", ")})`;
}
