// io/onnx/graph-builder: collects the nodes, initializers, inputs and outputs of one ONNX graph and
// turns them into a ModelProto (opset 17, IR version 8) that protobufjs encodes. Value names are
// made unique here; the layer exporters only ask for nodes. Layer: io.
import type { Tensor } from "../../tensor/tensor.js";
import {
  type AttributeMessage,
  AttributeType,
  type ModelMessage,
  ModelProtoType,
  type NodeMessage,
  OnnxDataType,
  type TensorMessage,
  type ValueInfoMessage,
} from "./onnx-proto.js";

/** The default-domain opset the exporter writes. */
export const EXPORT_OPSET = 17;
/** IR version 8 goes with opsets 15 to 18. */
const IR_VERSION = 8;

/** A float attribute (a bare number is written as an int). */
export interface FloatAttr {
  readonly float: number;
}
/** A list-of-floats attribute. */
export interface FloatsAttr {
  readonly floats: readonly number[];
}
/** A list-of-strings attribute. */
export interface StringsAttr {
  readonly strings: readonly string[];
}
export type AttrValue = number | readonly number[] | string | FloatAttr | FloatsAttr | StringsAttr;

/** Marks a number as a float attribute. */
export const f = (value: number): FloatAttr => ({ float: value });

/** One graph under construction. */
export class OnnxGraph {
  private readonly nodes: NodeMessage[] = [];
  private readonly initializers: TensorMessage[] = [];
  private readonly inputs: ValueInfoMessage[] = [];
  private readonly outputs: ValueInfoMessage[] = [];
  private readonly used = new Set<string>();
  private readonly int64Constants = new Map<string, string>();
  private readonly inputTypes = new Map<string, number>();

  /** A value name not used yet, from `base` ("dense_1/MatMul", "dense_1/MatMul_1", ...). */
  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node and returns its output names (`outputs` is a count of fresh names or the names). */
  node(
    op: string,
    inputs: readonly string[],
    attrs: Record<string, AttrValue> = {},
    outputs: number | readonly string[] = 1,
    scope = op,
  ): string[] {
    const outs =
      typeof outputs === "number"
        ? Array.from({ length: outputs }, () => this.fresh(`${scope}/${op}`))
        : [...outputs];
    this.nodes.push({
      op_type: op,
      name: this.fresh(`${scope}/${op}#node`),
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([name, value]) => attribute(name, value)),
    });
    return outs;
  }

  /** Adds a node with one output and returns its name. */
  op(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, scope = op): string {
    return this.node(op, inputs, attrs, 1, scope)[0]!;
  }

  /** A float32 initializer from a weight (float64 weights are narrowed). */
  weight(name: string, tensor: Tensor, dims: readonly number[] = tensor.shape): string {
    const data =
      tensor.data instanceof Float32Array ? tensor.data : Float32Array.from(tensor.data as ArrayLike<number>);
    return this.floatInitializer(name, data, dims);
  }

  /** A float32 initializer from raw values. */
  floatInitializer(name: string, data: Float32Array, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length)
      throw new Error(`onnx export: initializer ${name} has ${data.length} values for dims [${dims}]`);
    const unique = this.fresh(name);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    this.initializers.push({ name: unique, dims: [...dims], data_type: OnnxDataType.FLOAT, raw_data: bytes });
    return unique;
  }

  /** A float32 scalar constant. */
  scalar(value: number, name = "const"): string {
    return this.floatInitializer(name, Float32Array.of(value), []);
  }

  /** An int64 vector constant (shapes, axes, starts), shared between uses of the same values. */
  ints(values: readonly number[]): string {
    const key = values.join(",");
    const known = this.int64Constants.get(key);
    if (known !== undefined) return known;
    const name = this.fresh(`const_i64_${values.length}`);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dims: [values.length],
      data_type: OnnxDataType.INT64,
      raw_data: new Uint8Array(data.buffer.slice(0)),
    });
    this.int64Constants.set(key, name);
    return name;
  }

  /** Declares a graph input; null dimensions become the symbolic "batch" (axis 0) or "dim_k". */
  input(name: string, elemType: number, shape: readonly (number | null)[]): string {
    this.used.add(name);
    this.inputTypes.set(name, elemType);
    this.inputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  /** The element type of a graph input; every computed value is float32. */
  elemTypeOf(value: string): number {
    return this.inputTypes.get(value) ?? OnnxDataType.FLOAT;
  }

  /** Declares a graph output, renaming `value` to `name` with an Identity. */
  output(value: string, name: string, elemType: number, shape: readonly (number | null)[]): void {
    const unique = this.fresh(name);
    this.node("Identity", [value], {}, [unique], name);
    this.outputs.push(valueInfo(unique, elemType, shape));
  }

  // ---- small helpers over common ops ----

  transpose(x: string, perm: readonly number[], scope?: string): string {
    return this.op("Transpose", [x], { perm }, scope);
  }

  reshape(x: string, shape: readonly number[], scope?: string): string {
    return this.op("Reshape", [x, this.ints(shape)], {}, scope);
  }

  matmulAdd(x: string, kernel: string, bias: string | null, scope?: string): string {
    const y = this.op("MatMul", [x, kernel], {}, scope);
    return bias === null ? y : this.op("Add", [y, bias], {}, scope);
  }

  /** The encoded ModelProto. */
  encode(graphName: string, docString: string, metadata: Record<string, string> = {}): Uint8Array {
    const model: ModelMessage = {
      ir_version: IR_VERSION,
      opset_import: [{ domain: "", version: EXPORT_OPSET }],
      producer_name: "tessera-ml",
      producer_version: "0.1.0",
      doc_string: docString,
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    };
    return ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
  }
}

function attribute(name: string, value: AttrValue): AttributeMessage {
  if (typeof value === "number") return { name, type: AttributeType.INT, i: value };
  if (typeof value === "string")
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: [...(value as number[])] };
  if ("float" in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ("strings" in value) {
    const strings = value.strings.map((v) => new TextEncoder().encode(v));
    return { name, type: AttributeType.STRINGS, strings };
  }
  return { name, type: AttributeType.FLOATS, floats: [...(value as FloatsAttr).floats] };
}

function valueInfo(name: string, elemType: number, shape: readonly (number | null)[]): ValueInfoMessage {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: {
          dim: shape.map((d, axis) =>
            d === null ? { dim_param: axis === 0 ? "batch" : `${name}_dim_${axis}` } : { dim_value: d },
          ),
        },
      },
    },
  };
}
