// nn/symbolic-tensor: placeholders for building functional models. `input({shape})` returns a
// SymbolicTensor; calling a layer on SymbolicTensors records a Node (layer, inputs, outputs) instead
// of computing, and models/ walks those nodes. Shapes keep null for sizes known only at run time
// (the batch axis).
import type { DType } from "../core/dtype.js";
import type { Layer } from "./layer.js";

/** A shape whose dimensions may be unknown (null), batch axis first. */
export type SymbolicShape = readonly (number | null)[];

/** One call of a layer on symbolic inputs: the edge list of a functional graph. */
export class Node {
  readonly layer: Layer;
  readonly inputs: readonly SymbolicTensor[];
  /** Whether the layer was called on a list (Add, Concatenate) rather than on one tensor. */
  readonly inputIsList: boolean;
  readonly outputs: SymbolicTensor[] = [];

  constructor(layer: Layer, inputs: readonly SymbolicTensor[], inputIsList: boolean) {
    this.layer = layer;
    this.inputs = inputs;
    this.inputIsList = inputIsList;
  }

  /** True for the node of an InputLayer (no inputs). */
  get isInput(): boolean {
    return this.inputs.length === 0;
  }

  /** The nodes that produced this node's inputs. */
  get parentNodes(): Node[] {
    return this.inputs.map((t) => t.node);
  }

  /** Position of this node in its layer's inboundNodes (the first index in "dense[0][0]"). */
  get index(): number {
    return this.layer.inboundNodes.indexOf(this);
  }
}

/**
 * A placeholder tensor: a shape (null for unknown sizes), a dtype and the node that produces it.
 * @example
 * const x = input({ shape: [784] });     // SymbolicTensor (None, 784)
 * const h = layers.dense({ units: 64 }).apply(x);
 */
export class SymbolicTensor {
  readonly shape: SymbolicShape;
  readonly dtype: DType;
  readonly node: Node;
  /** Which output of its node this is (the second index in "dense[0][0]"). */
  readonly outputIndex: number;

  constructor(shape: SymbolicShape, dtype: DType, node: Node, outputIndex: number) {
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.node = node;
    this.outputIndex = outputIndex;
  }

  /** The layer that produces this tensor. */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** "dense_1" for a single output, "dense_1:1" for a later output of a multi-output layer. */
  get name(): string {
    return this.outputIndex === 0 ? this.node.layer.name : `${this.node.layer.name}:${this.outputIndex}`;
  }

  toString(): string {
    return `<SymbolicTensor shape=${formatSymbolicShape(this.shape)}, dtype=${this.dtype}, name=${this.name}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Keras-style shape text: "(None, 64)". */
export function formatSymbolicShape(shape: SymbolicShape): string {
  return `(${shape.map((d) => (d === null ? "None" : String(d))).join(", ")})`;
}

/** Whether a build/output shape is a list of shapes (multi-input or multi-output) rather than one shape. */
export function isShapeList(
  shape: SymbolicShape | readonly SymbolicShape[],
): shape is readonly SymbolicShape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}
