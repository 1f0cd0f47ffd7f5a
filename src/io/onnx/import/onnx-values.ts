// io/onnx/import/onnx-values: decoding of ONNX protobuf bytes (protobufjs) into checked messages,
// TensorProto -> Tensor (float32, float64; every integer type as int32, the one integer dtype
// Tessera has; bool) and node attributes -> plain values. Corrupt or unsupported input is a
// FormatError, never a crash. Layer: io.
import { FormatError } from "../../../core/errors.js";
import { Tensor } from "../../../tensor/tensor.js";
import {
  type AttributeMessage,
  AttributeType,
  int64,
  type ModelMessage,
  ModelProtoType,
  type NodeMessage,
  OnnxDataType,
  type TensorMessage,
  TensorProtoType,
} from "../onnx-proto.js";

/** A decoded attribute value. */
export type Attr = number | number[] | string | string[] | Tensor | AttributeMessage["g"];

/** A node's attributes by name. */
export class Attrs {
  constructor(
    private readonly values: ReadonlyMap<string, Attr>,
    private readonly where: string,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  int(name: string, fallback?: number): number {
    const v = this.values.get(name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "number")
      throw new FormatError(`${this.where}: attribute ${name} must be a number (got ${describeAttr(v)})`);
    return v;
  }

  float(name: string, fallback: number): number {
    return this.int(name, fallback);
  }

  ints(name: string, fallback?: number[]): number[] {
    const v = this.values.get(name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number"))
      throw new FormatError(
        `${this.where}: attribute ${name} must be a list of numbers (got ${describeAttr(v)})`,
      );
    // a copy: operators adjust pads and paddings, and the node runs again on the next call
    return [...(v as number[])];
  }

  string(name: string, fallback: string): string {
    const v = this.values.get(name);
    if (v === undefined) return fallback;
    if (typeof v !== "string") throw new FormatError(`${this.where}: attribute ${name} must be a string`);
    return v;
  }

  strings(name: string, fallback: string[]): string[] {
    const v = this.values.get(name);
    if (v === undefined) return fallback;
    if (!Array.isArray(v))
      throw new FormatError(`${this.where}: attribute ${name} must be a list of strings`);
    return v.map(String);
  }

  tensor(name: string): Tensor | null {
    const v = this.values.get(name);
    return v instanceof Tensor ? v : null;
  }
}

function describeAttr(v: Attr | undefined): string {
  if (v === undefined) return "nothing";
  if (v instanceof Tensor) return "a tensor";
  return JSON.stringify(v) ?? typeof v;
}

const decoder = new TextDecoder();

/** Decodes the attributes of one node. */
export function nodeAttrs(node: NodeMessage, where: string): Attrs {
  const map = new Map<string, Attr>();
  for (const a of node.attribute ?? []) {
    const name = a.name ?? "";
    switch (a.type) {
      case AttributeType.FLOAT:
        map.set(name, a.f ?? 0);
        break;
      case AttributeType.INT:
        map.set(name, int64(a.i));
        break;
      case AttributeType.STRING:
        map.set(name, decoder.decode(a.s ?? new Uint8Array()));
        break;
      case AttributeType.TENSOR:
        if (a.t !== undefined) map.set(name, toTensor(a.t, `${where} attribute ${name}`));
        break;
      case AttributeType.FLOATS:
        map.set(name, [...(a.floats ?? [])]);
        break;
      case AttributeType.INTS:
        map.set(name, (a.ints ?? []).map(int64));
        break;
      case AttributeType.STRINGS:
        map.set(
          name,
          (a.strings ?? []).map((s) => decoder.decode(s)),
        );
        break;
      case AttributeType.GRAPH:
        map.set(name, a.g);
        break;
      default:
        throw new FormatError(`${where}: attribute ${name} has an unsupported type ${a.type}`);
    }
  }
  return new Attrs(map, where);
}

const INT_TYPES: ReadonlySet<number> = new Set([
  OnnxDataType.UINT8,
  OnnxDataType.INT8,
  4, // UINT16
  OnnxDataType.INT16,
  OnnxDataType.INT32,
  OnnxDataType.INT64,
  OnnxDataType.UINT32,
  OnnxDataType.UINT64,
]);

/** The Tessera dtype an ONNX element type is held in, or null when there is none. */
export function dtypeOfOnnx(elemType: number): "float32" | "float64" | "int32" | "bool" | null {
  if (elemType === OnnxDataType.FLOAT) return "float32";
  if (elemType === OnnxDataType.DOUBLE) return "float64";
  if (elemType === OnnxDataType.BOOL) return "bool";
  if (INT_TYPES.has(elemType)) return "int32";
  return null;
}

/** Clamps an int64 into int32 range (INT64_MAX as a Slice end stays "to the end"). */
const toInt32 = (v: number): number => Math.max(-2147483648, Math.min(2147483647, v));

/** Reads little-endian raw_data of an integer type as numbers. */
function rawIntegers(raw: Uint8Array, elemType: number, count: number): number[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    switch (elemType) {
      case OnnxDataType.INT64:
        out[i] = Number(view.getBigInt64(i * 8, true));
        break;
      case OnnxDataType.UINT64:
        out[i] = Number(view.getBigUint64(i * 8, true));
        break;
      case OnnxDataType.INT32:
        out[i] = view.getInt32(i * 4, true);
        break;
      case OnnxDataType.UINT32:
        out[i] = view.getUint32(i * 4, true);
        break;
      case OnnxDataType.INT16:
        out[i] = view.getInt16(i * 2, true);
        break;
      case 4:
        out[i] = view.getUint16(i * 2, true);
        break;
      case OnnxDataType.INT8:
        out[i] = view.getInt8(i);
        break;
      default:
        out[i] = view.getUint8(i);
    }
  }
  return out;
}

const BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8, 12: 4, 13: 8 };

/** A TensorProto as a Tensor, with every size checked against the data it carries. */
export function toTensor(t: TensorMessage, where: string): Tensor {
  const elemType = t.data_type ?? 0;
  const dtype = dtypeOfOnnx(elemType);
  if (dtype === null) throw new FormatError(`${where}: tensor element type ${elemType} is not supported`);
  if ((t.data_location ?? 0) !== 0)
    throw new FormatError(`${where}: tensors stored in external files are not supported`);
  const shape = (t.dims ?? []).map(int64);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new FormatError(`${where}: tensor dims must be non-negative integers (got [${shape}])`);
  const count = shape.reduce((a, b) => a * b, 1);
  const raw = t.raw_data;
  let values: ArrayLike<number>;
  if (raw !== undefined && raw.length > 0) {
    const width = BYTES[elemType]!;
    if (raw.length !== count * width)
      throw new FormatError(
        `${where}: raw_data holds ${raw.length} bytes for ${count} values of ${width} bytes`,
      );
    // a copy at offset 0 (protobufjs may hand out a Buffer view into a shared pool)
    const copy = new Uint8Array(raw);
    if (dtype === "float32") values = new Float32Array(copy.buffer, 0, count);
    else if (dtype === "float64") values = new Float64Array(copy.buffer, 0, count);
    else if (dtype === "bool") values = copy;
    else values = rawIntegers(copy, elemType, count);
  } else {
    const list =
      dtype === "float32"
        ? t.float_data
        : dtype === "float64"
          ? t.double_data
          : elemType === OnnxDataType.INT64
            ? t.int64_data?.map(int64)
            : elemType === OnnxDataType.UINT64 || elemType === OnnxDataType.UINT32
              ? t.uint64_data?.map(int64)
              : t.int32_data;
    values = list ?? [];
    if (values.length !== count)
      throw new FormatError(`${where}: tensor holds ${values.length} values for dims [${shape}] (${count})`);
  }
  if (dtype === "float32") return new Tensor(Float32Array.from(values), shape);
  if (dtype === "float64") return new Tensor(Float64Array.from(values), shape);
  if (dtype === "bool")
    return new Tensor(
      Uint8Array.from(values, (v) => (v ? 1 : 0)),
      shape,
      "bool",
    );
  return new Tensor(
    Int32Array.from(values, (v) => toInt32(v)),
    shape,
  );
}

/** Decodes ModelProto bytes; a FormatError on anything protobufjs cannot read. */
export function decodeModel(bytes: Uint8Array, where: string): ModelMessage {
  try {
    // toObject keeps only the fields the file sets (no prototype defaults) and gives int64 as numbers
    return ModelProtoType.toObject(ModelProtoType.decode(bytes), { longs: Number }) as ModelMessage;
  } catch (error) {
    throw new FormatError(
      `${where}: not an ONNX model (protobuf decoding failed: ${(error as Error).message})`,
    );
  }
}

/** Decodes a serialized TensorProto (the backend tests' input_0.pb files). */
export function decodeTensor(bytes: Uint8Array, where: string): Tensor {
  let message: TensorMessage;
  try {
    message = TensorProtoType.toObject(TensorProtoType.decode(bytes), { longs: Number }) as TensorMessage;
  } catch (error) {
    throw new FormatError(`${where}: not a TensorProto (${(error as Error).message})`);
  }
  return toTensor(message, where);
}
