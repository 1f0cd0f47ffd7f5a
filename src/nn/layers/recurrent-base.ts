// nn/layers/recurrent-base: what SimpleRNN, LSTM and GRU share (Keras's RNN layer): the options
// (returnSequences, returnState, goBackwards, stateful, zeroOutputForMask, dropout,
// recurrentDropout, seed), initial states given as extra inputs ([x, h0] or [x, h0, c0]), masks,
// the input projection of every time step in one GEMM, and the choice between the fused sequence
// op (cell activations the kernels know) and a composed per-step loop (any other activation).
// Shapes: B batch, T time steps, F features, H units, G gate blocks.

import { ConfigError, ShapeError, ValueError } from "../../core/errors.js";
import { Generator, getGenerator } from "../../core/random.js";
import { cast, expandDims, flip, mul, reshape, slice, stack, transpose } from "../../ops/index.js";
import { unrollSteps } from "../../ops/recurrent-composed.js";
import type { CellActivation } from "../../ops/recurrent-shared.js";
import { zeros } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import { type Activation, type ActivationName, getActivation } from "../activations.js";
import {
  boolean,
  type ConfigObject,
  integer,
  numberInRange,
  optional,
  positiveInt,
  serializeOrNull,
} from "../config.js";
import { type Constraint, type ConstraintIdentifier, getConstraint } from "../constraints.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "../initializers.js";
import { type CallContext, Layer, type LayerArgs, type LayerInputs, type LayerShape } from "../layer.js";
import type { MaskList } from "../mask.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { formatSymbolicShape, isShapeList, type SymbolicShape } from "../symbolic-tensor.js";

export interface RecurrentArgs extends LayerArgs {
  /** Size of the state (and output). */
  units: number;
  /** Return the output of every step (B, T, H) rather than the last (B, H). Default false. */
  returnSequences?: boolean;
  /** Also return the final state(s) after the output. Default false. */
  returnState?: boolean;
  /** Process the sequence from its last step; sequences come out in processing order. Default false. */
  goBackwards?: boolean;
  /** Keep the final states between calls as the next call's initial states (fixed batch size). */
  stateful?: boolean;
  /** Give zeros (not the carried output) at masked steps. Default false. */
  zeroOutputForMask?: boolean;
  /** Fraction of input features dropped in training (one mask for every step). Default 0. */
  dropout?: number;
  /** Fraction of state units dropped inside the recurrent product in training. Default 0. */
  recurrentDropout?: number;
  /** Seed of the layer's dropout generator. */
  seed?: number | null;
  /** Candidate / output activation (default "tanh"). */
  activation?: ActivationName | null;
  /** Default true. */
  useBias?: boolean;
  /** Default "glorot_uniform". */
  kernelInitializer?: InitializerIdentifier;
  /** Default "orthogonal". */
  recurrentInitializer?: InitializerIdentifier;
  /** Default "zeros". */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  recurrentRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the layer's (first) output, added to `losses`. */
  activityRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  recurrentConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** The fusable cell activation an activation name maps to, or null. */
export function cellActivationOf(activation: Activation): CellActivation | null {
  const name: string = activation.name;
  return name === "tanh" ||
    name === "sigmoid" ||
    name === "relu" ||
    name === "linear" ||
    name === "hard_sigmoid"
    ? name
    : null;
}

/** What a recurrent run gives back: every step's output (when asked) and the final states. */
export interface RecurrentRun {
  /** (T, B, H) outputs indexed by input time (time-major), or null when not needed. */
  sequence: Tensor | null;
  /** (B, H) each, in state order (h, or h then c). */
  finals: Tensor[];
}

/** Options a subclass's run gets. */
export interface RunOptions {
  mask: Tensor | null;
  goBackwards: boolean;
  recurrentMask: Tensor | null;
  needSequence: boolean;
}

/** Base class of the recurrent layers. */
export abstract class RecurrentLayer extends Layer {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly zeroOutputForMask: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** (F, G*H) input kernel. */
  kernel: Tensor | null = null;
  /** (H, G*H) recurrent kernel. */
  recurrentKernel: Tensor | null = null;
  /** (G*H), or (2, 3H) for a reset-after GRU. */
  bias: Tensor | null = null;
  /** The final states of the last call of a stateful layer (its next initial states). */
  states: Tensor[] | null = null;
  private readonly generator: Generator | null;
  /** Number of state tensors (1, or 2 for the LSTM). */
  abstract readonly stateCount: number;

  constructor(op: string, args: RecurrentArgs) {
    super(args);
    this.supportsMasking = true;
    this.units = positiveInt(op, "units", args.units);
    this.returnSequences = optional(args.returnSequences, false, (v) => boolean(op, "returnSequences", v));
    this.returnState = optional(args.returnState, false, (v) => boolean(op, "returnState", v));
    this.goBackwards = optional(args.goBackwards, false, (v) => boolean(op, "goBackwards", v));
    this.stateful = optional(args.stateful, false, (v) => boolean(op, "stateful", v));
    this.zeroOutputForMask = optional(args.zeroOutputForMask, false, (v) =>
      boolean(op, "zeroOutputForMask", v),
    );
    this.dropout = optional(args.dropout, 0, (v) => numberInRange(op, "dropout", v, 0, 1));
    this.recurrentDropout = optional(args.recurrentDropout, 0, (v) =>
      numberInRange(op, "recurrentDropout", v, 0, 1),
    );
    this.seed = optional(args.seed, null, (v) => (v === null ? null : integer(op, "seed", v)));
    this.generator = this.seed === null ? null : new Generator(this.seed);
    this.activation = getActivation(
      args.activation === undefined ? "tanh" : args.activation,
      `${op} activation`,
    );
    this.useBias = optional(args.useBias, true, (v) => boolean(op, "useBias", v));
    this.kernelInitializer = getInitializer(
      args.kernelInitializer ?? "glorot_uniform",
      `${op} kernelInitializer`,
    );
    this.recurrentInitializer = getInitializer(
      args.recurrentInitializer ?? "orthogonal",
      `${op} recurrentInitializer`,
    );
    this.biasInitializer = getInitializer(args.biasInitializer ?? "zeros", `${op} biasInitializer`);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, `${op} kernelRegularizer`);
    this.recurrentRegularizer = getRegularizer(args.recurrentRegularizer, `${op} recurrentRegularizer`);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, `${op} biasRegularizer`);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${op} activityRegularizer`);
    this.kernelConstraint = getConstraint(args.kernelConstraint, `${op} kernelConstraint`);
    this.recurrentConstraint = getConstraint(args.recurrentConstraint, `${op} recurrentConstraint`);
    this.biasConstraint = getConstraint(args.biasConstraint, `${op} biasConstraint`);
    if (this.stateful && this.batchInputShape !== null && this.batchInputShape[0] === null) {
      throw new ConfigError(
        `${op}: a stateful layer needs a fixed batch size (give batchSize with inputShape)`,
      );
    }
  }

  /** Creates kernel (F, G*H), recurrent_kernel (H, G*H) and, with useBias, a bias of `biasShape`. */
  protected buildWeights(inputShape: LayerShape, gates: number, biasShape: number[]): void {
    const features = this.sequenceShape(inputShape)[2]!;
    const width = gates * this.units;
    this.kernel = this.addWeight("kernel", [features, width], {
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight("recurrent_kernel", [this.units, width], {
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight("bias", biasShape, {
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  /** x (T, B, F) @ kernel + bias for every step at once: (T, B, G*H). */
  protected abstract projectInputs(x: Tensor): Tensor;

  /** The recurrence over xProj from the initial states. */
  protected abstract run(xProj: Tensor, initial: Tensor[], options: RunOptions): RecurrentRun;

  /**
   * Projection and recurrence as one fused op over the time-major inputs x (T, B, F), or null
   * where the layer has none for these options (call() then runs projectInputs and run).
   */
  protected fusedRun(_x: Tensor, _initial: Tensor[], _options: RunOptions): RecurrentRun | null {
    return null;
  }

  /** The sequence shape (B, T, F) of the inputs, from one shape or [x, ...states]. */
  protected sequenceShape(inputShape: LayerShape): SymbolicShape {
    const shape = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    if (shape.length !== 3 || shape[2] === null) {
      throw new ShapeError(
        `${this.name}: expected inputs (batch, timesteps, features) with known features (got ${formatSymbolicShape(shape)})`,
      );
    }
    return shape;
  }

  override call(inputs: LayerInputs, context: CallContext): Tensor | Tensor[] {
    const list = inputs instanceof Tensor ? [inputs] : [...inputs];
    const x = list[0]!;
    if (x.rank !== 3 || x.shape[1]! < 1) {
      throw new ShapeError(
        `${this.name}: expected inputs (batch, timesteps >= 1, features) (got [${x.shape}])`,
      );
    }
    const [B, T] = x.shape as [number, number, number];
    const initial = this.initialStates(list.slice(1), B);
    const mask = this.stepMask(context.mask ?? null, B, T);
    let inputs3 = x;
    if (context.training && this.dropout > 0)
      inputs3 = mul(x, this.dropoutMask([B, 1, x.shape[2]!], this.dropout));
    const recurrentMask =
      context.training && this.recurrentDropout > 0
        ? this.dropoutMask([B, this.units], this.recurrentDropout)
        : null;
    // time-major from here on: each step's rows are contiguous for the recurrent kernels
    const xTime = transpose(inputs3, [1, 0, 2]); // (T, B, F)
    const needSequence = this.returnSequences || (this.zeroOutputForMask && mask !== null);
    const runOptions: RunOptions = { mask, goBackwards: this.goBackwards, recurrentMask, needSequence };
    // NOTE: train/privacy replaces projectInputs and run on the instance to tap dLoss/dxProj;
    // the fused path would bypass that, so an instance with its own run takes the two steps
    const fused = Object.hasOwn(this, "run") ? null : this.fusedRun(xTime, initial, runOptions);
    const result = fused ?? this.run(this.projectInputs(xTime), initial, runOptions); // xProj (T, B, G*H)
    if (this.stateful) this.states = result.finals.map((s) => new Tensor(s.data.slice(), s.shape));
    let output: Tensor;
    if (needSequence) {
      // (T, B, H) by input time -> (B, T, H) in processing order (Keras reverses with goBackwards)
      let sequence = transpose(result.sequence!, [1, 0, 2]);
      if (this.goBackwards) sequence = flip(sequence, 1);
      if (this.zeroOutputForMask && mask !== null) {
        const stepMask = this.goBackwards ? flip(mask, 1) : mask;
        sequence = mul(sequence, expandDims(cast(stepMask, sequence.dtype), -1));
      }
      output = this.returnSequences ? sequence : reshape(slice(sequence, [null, T - 1]), [B, this.units]);
    } else {
      output = result.finals[0]!;
    }
    if (this.activityRegularizer !== null) this.addLoss(this.activityRegularizer.penalty(output));
    return this.returnState ? [output, ...result.finals] : output;
  }

  /** The given initial states, the stateful ones, or zeros. */
  private initialStates(given: Tensor[], batch: number): Tensor[] {
    if (given.length > 0) {
      if (given.length !== this.stateCount) {
        throw new ValueError(
          `${this.name}: expected ${this.stateCount} initial state tensor(s) after the sequence (got ${given.length})`,
        );
      }
      return given.map((s) => {
        if (s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== this.units) {
          throw new ShapeError(
            `${this.name}: initial states must be (${batch}, ${this.units}) (got [${s.shape}])`,
          );
        }
        return s.dtype === this.dtype ? s : cast(s, this.dtype);
      });
    }
    if (this.stateful && this.states !== null) {
      if (this.states[0]!.shape[0] !== batch) {
        throw new ShapeError(
          `${this.name}: a stateful layer keeps its batch size ${this.states[0]!.shape[0]} (got a batch of ${batch}); call resetStates() first`,
        );
      }
      return this.states;
    }
    return Array.from({ length: this.stateCount }, () => zeros([batch, this.units], { dtype: this.dtype }));
  }

  /** The (B, T) bool step mask from the input's mask, or null. */
  private stepMask(mask: Tensor | null, batch: number, steps: number): Tensor | null {
    if (mask === null) return null;
    const m = mask.dtype === "bool" ? mask : cast(mask, "bool");
    if (m.rank !== 2 || m.shape[0] !== batch || m.shape[1] !== steps) {
      throw new ShapeError(`${this.name}: a sequence mask must be (${batch}, ${steps}) (got [${m.shape}])`);
    }
    return m;
  }

  /** An inverted-dropout multiplier tensor (kept entries 1 / (1 - rate), dropped 0), fixed over time. */
  private dropoutMask(shape: number[], rate: number): Tensor {
    const g = this.generator ?? getGenerator();
    const keep = 1 - rate;
    const size = shape.reduce((p, d) => p * d, 1);
    const data = this.dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = g.random() < keep ? 1 / keep : 0;
    return new Tensor(data, shape);
  }

  /** Zeroes the kept states of a stateful layer (or drops them so the next call starts from zeros). */
  resetStates(states?: readonly Tensor[]): void {
    if (states === undefined) {
      this.states = this.states === null ? null : this.states.map((s) => zeros(s.shape, { dtype: s.dtype }));
      return;
    }
    if (states.length !== this.stateCount)
      throw new ValueError(
        `${this.name}: resetStates expects ${this.stateCount} state tensor(s) (got ${states.length})`,
      );
    this.states = states.map((s) => new Tensor(s.data.slice(), s.shape));
  }

  /** Runs a step function over the time steps with autograd ops (any activation); states masked per step. */
  protected composedLoop(
    xProj: Tensor,
    initial: Tensor[],
    options: RunOptions,
    step: (z: Tensor, states: Tensor[], recurrentMask: Tensor | null) => Tensor[],
  ): RecurrentRun {
    const { byTime, finals } = unrollSteps(xProj, initial, options, (z, states) =>
      step(z, states, options.recurrentMask),
    );
    const sequence = options.needSequence
      ? stack(
          byTime.map((row) => row[0]!),
          0,
        )
      : null;
    return { sequence, finals };
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const shape = this.sequenceShape(inputShape);
    const output: SymbolicShape = this.returnSequences
      ? [shape[0]!, shape[1]!, this.units]
      : [shape[0]!, this.units];
    if (!this.returnState) return output;
    return [output, ...Array.from({ length: this.stateCount }, (): SymbolicShape => [shape[0]!, this.units])];
  }

  override computeMask(_inputs: LayerInputs, masks: MaskList): Tensor | null | MaskList {
    const outputMask = this.returnSequences ? (masks[0] ?? null) : null;
    if (!this.returnState) return outputMask;
    return [outputMask, ...Array.from({ length: this.stateCount }, () => null)];
  }

  override getConfig(): ConfigObject {
    return {
      ...super.getConfig(),
      units: this.units,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      zeroOutputForMask: this.zeroOutputForMask,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.serialize(),
      recurrentInitializer: this.recurrentInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      kernelRegularizer: serializeOrNull(this.kernelRegularizer),
      recurrentRegularizer: serializeOrNull(this.recurrentRegularizer),
      biasRegularizer: serializeOrNull(this.biasRegularizer),
      activityRegularizer: serializeOrNull(this.activityRegularizer),
      kernelConstraint: serializeOrNull(this.kernelConstraint),
      recurrentConstraint: serializeOrNull(this.recurrentConstraint),
      biasConstraint: serializeOrNull(this.biasConstraint),
    };
  }
}
