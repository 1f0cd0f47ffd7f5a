// io/onnx/import/onnx-model: an ONNX model loaded for inference. The graph is checked when it is
// loaded (every operator known, every value produced before use), so a model with an operator
// Tessera lacks fails at once with the operator and node named. Running it walks the nodes in
// file order (ONNX requires topological order) over Tessera tensors. Layer: io.
import { FormatError, ValueError } from "../../../core/errors.js";
import { cast } from "../../../ops/index.js";
import type { Tensor } from "../../../tensor/tensor.js";
import { int64, type ModelMessage, type ValueInfoMessage } from "../onnx-proto.js";
import { type Attrs, decodeModel, dtypeOfOnnx, nodeAttrs, toTensor } from "./onnx-values.js";
import { einsumOp } from "./op-einsum.js";
import type { OpFn } from "./op-types.js";
import { elementwiseOps } from "./ops-elementwise.js";
import { extraOps } from "./ops-extra.js";
import { indexOps } from "./ops-index.js";
import { nnOps } from "./ops-nn.js";
import { recurrentOps } from "./ops-recurrent.js";
import { shapeOps } from "./ops-shape.js";

const OPS: Record<string, OpFn> = {
  ...elementwiseOps,
  ...shapeOps,
  ...nnOps,
  ...recurrentOps,
  ...extraOps,
  ...indexOps,
  Einsum: einsumOp,
};

/** The ONNX operators (default domain) that loadOnnx can run. */
export function supportedOnnxOperators(): string[] {
  return Object.keys(OPS).sort();
}

/** A graph input or output: its name, Tessera dtype and shape (null for symbolic dimensions). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dtype: "float32" | "float64" | "int32" | "bool" | null;
  readonly shape: readonly (number | null)[] | null;
}

interface CheckedNode {
  readonly op: OpFn;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Attrs;
  readonly where: string;
}

function valueInfo(v: ValueInfoMessage): OnnxValueInfo {
  const type = v.type?.tensor_type;
  const dims = type?.shape?.dim;
  return {
    name: v.name ?? "",
    dtype: type?.elem_type === undefined ? null : dtypeOfOnnx(type.elem_type),
    shape:
      dims === undefined ? null : dims.map((d) => (d.dim_value !== undefined ? int64(d.dim_value) : null)),
  };
}

/**
 * An ONNX model that predicts with Tessera's ops.
 * @example
 * const m = await loadOnnx("model.onnx");
 * const y = m.predict(randn([4, 13]));
 */
export class OnnxModel {
  /** The graph's inputs (initializers excluded), in order. */
  readonly inputs: readonly OnnxValueInfo[];
  /** The graph's outputs, in order. */
  readonly outputs: readonly OnnxValueInfo[];
  /** The default-domain opset the model was written for. */
  readonly opset: number;
  /** producer_name of the file. */
  readonly producer: string;
  private readonly initializers = new Map<string, Tensor>();
  private readonly nodes: CheckedNode[] = [];

  constructor(message: ModelMessage, where: string) {
    const graph = message.graph;
    if (graph === undefined) throw new FormatError(`${where}: the model has no graph`);
    const opsets = message.opset_import ?? [];
    const main = opsets.find((o) => (o.domain ?? "") === "" || o.domain === "ai.onnx");
    this.opset = main === undefined ? 1 : int64(main.version);
    this.producer = message.producer_name ?? "";
    for (const t of graph.initializer ?? [])
      this.initializers.set(t.name ?? "", toTensor(t, `${where}: initializer ${t.name}`));
    this.inputs = (graph.input ?? []).filter((v) => !this.initializers.has(v.name ?? "")).map(valueInfo);
    this.outputs = (graph.output ?? []).map(valueInfo);
    const known = new Set<string>([...this.initializers.keys(), ...this.inputs.map((i) => i.name), ""]);
    (graph.node ?? []).forEach((node, index) => {
      const type = node.op_type ?? "";
      const at = `${where}: node ${index} "${node.name ?? ""}" (${type})`;
      const domain = node.domain ?? "";
      if (domain !== "" && domain !== "ai.onnx")
        throw new FormatError(
          `${at}: operator domain "${domain}" is not supported (only the default ONNX domain)`,
        );
      const op = OPS[type];
      if (op === undefined) throw new FormatError(`${at}: unsupported ONNX operator ${type}`);
      const inputs = node.input ?? [];
      for (const name of inputs)
        if (!known.has(name))
          throw new FormatError(`${at}: input "${name}" is not produced before this node`);
      const outputs = node.output ?? [];
      for (const name of outputs) known.add(name);
      this.nodes.push({ op, inputs, outputs, attrs: nodeAttrs(node, at), where: at });
    });
    for (const o of this.outputs)
      if (!known.has(o.name)) throw new FormatError(`${where}: output "${o.name}" is never produced`);
  }

  /** Runs the graph on named inputs and returns every output by name. */
  run(feeds: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
    const values = new Map<string, Tensor>(this.initializers);
    for (const info of this.inputs) {
      const given = feeds[info.name];
      if (given === undefined)
        throw new ValueError(
          `onnx model: missing input "${info.name}" (inputs: ${this.inputs.map((i) => i.name).join(", ")})`,
        );
      values.set(
        info.name,
        info.dtype !== null && info.dtype !== given.dtype ? cast(given, info.dtype) : given,
      );
    }
    for (const node of this.nodes) {
      const args = node.inputs.map((name) => (name === "" ? null : values.get(name)!));
      const outs = node.op(args, node.attrs, {
        where: node.where,
        opset: this.opset,
        outputs: node.outputs.length,
      });
      node.outputs.forEach((name, i) => {
        if (name !== "" && outs[i] !== undefined) values.set(name, outs[i]!);
      });
    }
    const result: Record<string, Tensor> = {};
    for (const o of this.outputs) result[o.name] = values.get(o.name)!;
    return result;
  }

  /** The first output for one input tensor, or for a list of them in input order. */
  predict(x: Tensor | readonly Tensor[]): Tensor {
    const list = Array.isArray(x) ? x : [x as Tensor];
    if (list.length !== this.inputs.length)
      throw new ValueError(`onnx model: expected ${this.inputs.length} input tensor(s) (got ${list.length})`);
    const feeds: Record<string, Tensor> = {};
    this.inputs.forEach((info, i) => {
      feeds[info.name] = list[i]!;
    });
    return this.run(feeds)[this.outputs[0]!.name]!;
  }
}

/** Parses ONNX bytes into a runnable model. */
export function parseOnnx(bytes: Uint8Array, where = "onnx"): OnnxModel {
  return new OnnxModel(decodeModel(bytes, where), where);
}
