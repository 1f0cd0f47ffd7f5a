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
  let fixed = true;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]!);
    if (Number.isFinite(a) && a !== 0 && (a >= 1e8 || a < 1e-4)) fixed = false;
  }
  const cells: string[] = [];
  for (let i = 0; i < data.length; i++) cells.push(formatNumber(data[i]!, dtype, fixed));
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  const pad = (s: string) => s.padStart(width);
  const strides: number[] = [];
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return pad(cells[offset] ?? "");
    const n = shape[axis]!;
    const picks: (number | null)[] = [];
    if (summarise && n > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) picks.push(i);
      picks.push(null);
      for (let i = n - EDGE_ITEMS; i < n; i++) picks.push(i);
    } else for (let i = 0; i < n; i++) picks.push(i);
    const parts = picks.map((i) =>
      i === null ? "..." : render(axis + 1, offset + i * strides[axis]!, `${indent} `),
    );
    const sep = axis === shape.length - 1 ? ", " : `,${"\n".repeat(shape.length - 1 - axis)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? (cells[0] ?? "") : render(0, 0, "       ");
  const extras = [`shape=[${shape.join(",")}]`, `dtype=${dtype}`];
  if (requiresGrad) extras.push("requiresGrad=true");
  return `tensor(${body}, ${extras.join(", ")})`;
}
