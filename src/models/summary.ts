// models/summary: Keras 3's model.summary() as plain text: the "Layer (type) / Output Shape /
// Param #" table ("Connected to" added for graphs that are not a simple chain), then total,
// trainable and non-trainable parameter counts with their sizes in bytes ("4.50 KB").
import { DTYPE_BYTES } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import type { Layer } from "../nn/layer.js";
import { formatSymbolicShape, isShapeList, type Node, type SymbolicShape } from "../nn/symbolic-tensor.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Model } from "./model.js";
import { renderTable, type TableColumn } from "./table.js";

export interface SummaryOptions {
  /** Total width; default min(88 or 108, terminal columns - 4), terminal columns 80 when not a TTY. */
  lineLength?: number;
  /** Column ends as fractions of the line ([0.45, 0.8, 1] or [0.3, 0.56, 0.74, 1]). */
  positions?: readonly number[];
  /** Also list the layers of nested models, indented with "└" (default false). */
  expandNested?: boolean;
}

/** Graph access the summary needs from functional models (duck-typed to avoid an import cycle). */
interface GraphModel {
  readonly nodesByDepth: ReadonlyMap<number, Node[]>;
}

function isModel(layer: Layer): layer is Model {
  return "layers" in layer && Array.isArray((layer as { layers: unknown }).layers);
}

function isGraphModel(model: Model): model is Model & GraphModel {
  return "nodesByDepth" in model;
}

/** Thousands separators, like Python's f"{n:,}". */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Keras readable_memory_size: bytes scaled by 1024 into B, KB, MB, GB, TB, PB with two decimals,
 * rounded half-to-even on the exact value as Python's "{:.2f}" does.
 */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let k = 0;
  while (k < units.length - 1 && bytes / 1024 ** (k + 1) >= 1) k++;
  const scaled = bytes / 1024 ** k;
  if (!Number.isInteger(bytes)) return `${scaled.toFixed(2)} ${units[k]}`;
  const den = 1024n ** BigInt(k);
  const num = BigInt(bytes) * 100n;
  let q = num / den;
  const twiceRemainder = (num % den) * 2n;
  if (twiceRemainder > den || (twiceRemainder === den && q % 2n === 1n)) q += 1n;
  const text = q.toString().padStart(3, "0");
  return `${text.slice(0, -2)}.${text.slice(-2)} ${units[k]}`;
}

function memorySize(weights: readonly Tensor[]): number {
  return [...new Set(weights)].reduce((n, w) => n + w.size * DTYPE_BYTES[w.dtype], 0);
}

function formatOutputShape(shape: SymbolicShape | readonly SymbolicShape[]): string {
  if (!isShapeList(shape)) return formatSymbolicShape(shape);
  return shape.length === 1
    ? formatSymbolicShape(shape[0]!)
    : `[${shape.map(formatSymbolicShape).join(", ")}]`;
}

function layerOutputShape(layer: Layer): string {
  const nodes = layer.inboundNodes;
  if (nodes.length > 0) {
    const outputs = nodes[nodes.length - 1]!.outputs.map((t) => t.shape);
    return outputs.length === 1 ? formatSymbolicShape(outputs[0]!) : formatOutputShape(outputs);
  }
  if (layer.buildInputShape === null) return "?";
  return formatOutputShape(layer.computeOutputShape(layer.buildInputShape));
}

/** Keras's test: a graph is shown like a Sequential when every depth has one node with at most one input and no layer is shared. */
function isSequentialLike(model: Model & GraphModel): boolean {
  const nodes: Node[] = [];
  for (const list of model.nodesByDepth.values()) {
    if (list.length > 1 || (list.length === 1 && list[0]!.inputs.length > 1)) return false;
    nodes.push(...list);
  }
  const inModel = new Set(nodes);
  for (const layer of model.layers) {
    if (layer.inboundNodes.filter((n) => inModel.has(n)).length > 1) return false;
  }
  return true;
}

export function printSummary(
  model: Model,
  printFn: (line: string) => void,
  options: SummaryOptions = {},
): void {
  const graph = isGraphModel(model) && !isSequentialLike(model) ? model : null;
  const defaultLength = graph === null ? 88 : 108;
  const positions = options.positions ?? (graph === null ? [0.45, 0.8, 1] : [0.3, 0.56, 0.74, 1]);
  const lineLength = options.lineLength ?? Math.min(defaultLength, terminalColumns() - 4);
  const headers =
    graph === null
      ? ["Layer (type)", "Output Shape", "Param #"]
      : ["Layer (type)", "Output Shape", "Param #", "Connected to"];
  if (positions.length !== headers.length) {
    throw new ValueError(`summary: expected ${headers.length} positions (got ${positions.length})`);
  }
  let current = 0;
  const columns: TableColumn[] = positions.map((pos, i) => {
    const width = Math.trunc(pos * lineLength) - current;
    if (width < 4)
      throw new ValueError(`summary: insufficient width to print the summary (lineLength ${lineLength})`);
    current += width;
    return { header: headers[i]!, width, justify: i === 2 ? "right" : "left" };
  });

  const relevant = graph === null ? null : new Set([...graph.nodesByDepth.values()].flat());
  const connections = (layer: Layer): string => {
    const parts: string[] = [];
    for (const node of layer.inboundNodes) {
      if (relevant !== null && !relevant.has(node)) continue;
      for (const t of node.inputs) parts.push(`${t.node.layer.name}[${t.node.index}][${t.outputIndex}]`);
    }
    return parts.length === 0 ? "-" : parts.join(", ");
  };
  const rows: string[][] = [];
  const addRows = (layer: Layer, level: number): void => {
    const prefix = level === 0 ? "" : `${"   ".repeat(level)}└ `;
    const params = layer.built ? formatCount(layer.countParams()) : "0 (unbuilt)";
    const row = [`${prefix}${layer.name} (${layer.className})`, layerOutputShape(layer), params];
    if (graph !== null) row.push(connections(layer));
    rows.push(row);
    if (options.expandNested && isModel(layer)) for (const inner of layer.layers) addRows(inner, level + 1);
  };
  for (const layer of model.layers) addRows(layer, 0);

  const trainable = model.trainableWeights;
  const nonTrainable = model.nonTrainableWeights;
  const trainableCount = trainable.reduce((n, w) => n + w.size, 0);
  const nonTrainableCount = nonTrainable.reduce((n, w) => n + w.size, 0);
  const trainableBytes = memorySize(trainable);
  const nonTrainableBytes = memorySize(nonTrainable);
  const optimizer = model.optimizerParams();
  const totalCount = trainableCount + nonTrainableCount + (optimizer?.count ?? 0);
  const totalBytes = trainableBytes + nonTrainableBytes + (optimizer?.bytes ?? 0);
  printFn(`Model: "${model.name}"`);
  for (const line of renderTable(columns, rows, lineLength)) printFn(line);
  printFn(` Total params: ${formatCount(totalCount)} (${formatBytes(totalBytes)})`);
  printFn(` Trainable params: ${formatCount(trainableCount)} (${formatBytes(trainableBytes)})`);
  printFn(` Non-trainable params: ${formatCount(nonTrainableCount)} (${formatBytes(nonTrainableBytes)})`);
  if (optimizer !== null)
    printFn(` Optimizer params: ${formatCount(optimizer.count)} (${formatBytes(optimizer.bytes)})`);
}

/** Python's shutil.get_terminal_size().columns: $COLUMNS, else the TTY width, else 80. */
function terminalColumns(): number {
  const proc = (
    globalThis as {
      process?: { env?: Record<string, string | undefined>; stdout?: { isTTY?: boolean; columns?: number } };
    }
  ).process;
  const fromEnv = Number(proc?.env?.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const columns = proc?.stdout?.isTTY ? proc.stdout.columns : undefined;
  return typeof columns === "number" && columns > 0 ? columns : 80;
}
