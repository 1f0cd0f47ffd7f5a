// nn/layers/input: InputLayer and input(), the entry points of a functional graph. input({shape})
// returns the SymbolicTensor that later layers are applied to.
import { type DType, isDType } from "../../core/dtype.js";
import { ConfigError, ValueError } from "../../core/errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type ConfigObject, describe, optional, positiveInt, shapeList } from "../config.js";
import { type CallContext, Layer, type LayerInputs, type LayerShape } from "../layer.js";
import { registerLayer } from "../registry.js";
import { Node, type SymbolicShape, SymbolicTensor } from "../symbolic-tensor.js";

export interface InputArgs {
  /** Shape of one sample, without the batch axis (null for a size known only at run time). */
  shape?: readonly (number | null)[];
  /** Fixed batch size (unknown by default). */
  batchSize?: number;
  /** Full shape with the batch axis first; instead of shape + batchSize. */
  batchShape?: readonly (number | null)[];
  /** Dtype of the values fed in (default float32). */
  dtype?: DType;
  name?: string;
}

/** The layer behind input(): it holds the placeholder a functional model starts from. */
export class InputLayer extends Layer {
  static override readonly className = "InputLayer";
  readonly batchShape: SymbolicShape;
  readonly inputDType: DType;
  /** The placeholder tensor this layer produces. */
  readonly output: SymbolicTensor;

  constructor(args: InputArgs = {}) {
    super({ name: args.name });
    const op = "InputLayer";
    if (args.batchShape !== undefined) {
      if (args.shape !== undefined || args.batchSize !== undefined) {
        throw new ConfigError(`${op}: give either batchShape or shape (+ batchSize), not both`);
      }
      const full = shapeList(op, "batchShape", args.batchShape);
      if (full.length === 0) throw new ConfigError(`${op}: batchShape must include the batch axis (got [])`);
      this.batchShape = full;
    } else {
      if (args.shape === undefined)
        throw new ConfigError(`${op}: shape is required (the shape of one sample)`);
      const shape = shapeList(op, "shape", args.shape);
      const batch = optional(args.batchSize, null, (v) => positiveInt(op, "batchSize", v));
      this.batchShape = [batch, ...shape];
    }
    const dtype = args.dtype ?? "float32";
    if (!isDType(dtype)) throw new ConfigError(`${op}: unknown dtype ${describe(dtype)}`);
    this.inputDType = dtype;
    this.autocast = false;
    this.built = true;
    this.buildInputShape = this.batchShape;
    const node = new Node(this, [], false);
    this.output = new SymbolicTensor(this.batchShape, dtype, node, 0);
    node.outputs.push(this.output);
    this.inboundNodes.push(node);
  }

  override call(inputs: LayerInputs, _context: CallContext): Tensor {
    return this.single(inputs);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override getConfig(): ConfigObject {
    return { name: this.name, batchShape: [...this.batchShape], dtype: this.inputDType };
  }

  override applyMulti(): never {
    throw new ValueError(
      `${this.name}: an InputLayer is not called; use its output (input({shape}) returns it)`,
    );
  }
}
registerLayer("InputLayer", InputLayer);

/**
 * A symbolic input for a functional model.
 * @example
 * const x = input({ shape: [784] });
 * const y = layers.dense({ units: 10 }).apply(x);
 * const m = model({ inputs: x, outputs: y });
 */
export function input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}
