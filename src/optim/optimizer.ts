// optim/optimizer: the Optimizer base class. It owns what every optimizer shares (the attached
// parameters, per-parameter slot arrays, the step counter, the learning rate or its schedule,
// gradient clipping and decoupled weight decay) and hands each parameter's typed arrays to the
// subclass's pure update rule. Updates mutate `param.data` in place and allocate no tensors.
//
// One step, in Keras 3's order: drop params without a gradient, clip the gradients, apply weight
// decay (p -= p * weightDecay * lr) and the update rule to each parameter (one fused update kernel
// for the optimizers that have one, see fusesWeightDecay), then iterations += 1. The learning rate
// of a step is the schedule evaluated at `iterations` before the increment.

import type { FloatArray, TypedArray } from "../core/dtype.js";
import { allocate, isFloatDType } from "../core/dtype.js";
import { ConfigError, DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { formatShape } from "../core/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { clipGradients } from "./clip.js";
import {
  evaluateLearningRate,
  type LearningRate,
  type SerializedConfig,
  serializeLearningRate,
  validateLearningRate,
} from "./learning-rate.js";
import { describe, nullableNumberOption, type OptionAliases, stringOption } from "./options.js";
import { deserializeSchedule } from "./schedules.js";
import { checkStateHeader, type OptimizerState, restoreSlots, type SlotSpec } from "./state-dict.js";

export type { LearningRate, LearningRateSchedule } from "./learning-rate.js";
export type { OptimizerState, SlotSpec } from "./state-dict.js";

/** Options every optimizer accepts (Keras snake_case aliases in comments). */
export interface OptimizerOptions {
  /** Step size, or a schedule of the step. Alias `learning_rate`. */
  learningRate?: LearningRate;
  learning_rate?: LearningRate;
  /** Decoupled weight decay: p -= p * weightDecay * lr before each update. Alias `weight_decay`. */
  weightDecay?: number | null;
  weight_decay?: number | null;
  /** Clip each parameter's gradient to this L2 norm. Alias `clipnorm`. */
  clipNorm?: number | null;
  clipnorm?: number | null;
  /** Clip each gradient element to [-clipValue, clipValue]. Alias `clipvalue`. */
  clipValue?: number | null;
  clipvalue?: number | null;
  /** Clip all gradients together so their joint L2 norm is at most this. Alias `global_clipnorm`. */
  globalClipNorm?: number | null;
  global_clipnorm?: number | null;
  /** Name shown in configs (defaults to the optimizer's snake_case name). */
  name?: string;
  /** The parameters to update (compile() attaches them otherwise). */
  params?: readonly Tensor[];
}

/** The option names of OptimizerOptions and their Keras aliases. */
export const BASE_OPTION_ALIASES: OptionAliases = {
  learningRate: ["learning_rate"],
  weightDecay: ["weight_decay"],
  clipNorm: ["clipnorm", "clip_norm"],
  clipValue: ["clipvalue", "clip_value"],
  globalClipNorm: ["global_clipnorm", "global_clip_norm"],
  name: [],
  params: [],
};

interface Defaults {
  learningRate: number;
  weightDecay?: number | null;
}

function checkNonNegative(owner: string, label: string, value: number | null): number | null {
  if (value !== null && (!Number.isFinite(value) || value < 0)) {
    throw new ValueError(`${owner}: Invalid ${label} value: ${value} (expected a finite number >= 0)`);
  }
  return value;
}

/**
 * Base class of the optimizers. Subclasses declare their slots and implement `updateParam`, a
 * loop over one parameter's typed arrays.
 * @example
 * const opt = adam({ learningRate: 1e-2, params: [w] });
 * const loss = sum(square(sub(w, 3)));
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export abstract class Optimizer {
  /** Class name used by getConfig() and getOptimizer({ className }). */
  abstract readonly className: string;
  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly globalClipNorm: number | null;

  private lr: LearningRate;
  private step0 = 0;
  private attached: Tensor[] = [];
  private slotArrays: FloatArray[][] = [];
  private scratch: (FloatArray | null)[] = [];
  /** Reused per step: indices of the params with a gradient, and those gradients. */
  private activeScratch: number[] = [];
  private gradScratch: TypedArray[] = [];
  private excluded = new Set<Tensor>();
  private pending: OptimizerState | null = null;
  /** Params given in the options; attached once the subclass is constructed (see attachPending). */
  private pendingParams: unknown;
  /** Scalars kept across steps by a subclass; saved in stateDict().globals. */
  protected globals: Record<string, number> = {};

  /** `owner` names the optimizer in error messages; `options` come from readOptions(). */
  protected constructor(
    protected readonly owner: string,
    options: Map<string, unknown>,
    defaults: Defaults,
  ) {
    this.name = stringOption(owner, options, "name", owner);
    this.lr = validateLearningRate(owner, options.get("learningRate") ?? defaults.learningRate);
    this.weightDecay = checkNonNegative(
      owner,
      "weight decay",
      nullableNumberOption(owner, options, "weightDecay", defaults.weightDecay ?? null),
    );
    this.clipNorm = checkNonNegative(
      owner,
      "clipNorm",
      nullableNumberOption(owner, options, "clipNorm", null),
    );
    this.clipValue = checkNonNegative(
      owner,
      "clipValue",
      nullableNumberOption(owner, options, "clipValue", null),
    );
    this.globalClipNorm = checkNonNegative(
      owner,
      "globalClipNorm",
      nullableNumberOption(owner, options, "globalClipNorm", null),
    );
    const clips = [
      ["clipNorm", this.clipNorm],
      ["clipValue", this.clipValue],
      ["globalClipNorm", this.globalClipNorm],
    ].filter(([, v]) => v !== null);
    if (clips.length > 1) {
      throw new ValueError(
        `${owner}: Only one of clipNorm, clipValue and globalClipNorm can be set (got ${clips.map(([k, v]) => `${k}=${v}`).join(", ")})`,
      );
    }
    this.pendingParams = options.get("params");
  }

  /** The slots each parameter gets (called when parameters are attached). */
  protected abstract slotSpecs(): readonly SlotSpec[];

  /**
   * Updates one parameter in place. `grad` is already clipped; `slots` follow slotSpecs() order;
   * `lr` is this step's learning rate; this.iterations is the number of steps done before this one.
   * `decay` (lr x weightDecay, 0 for none or an excluded parameter) is passed only to subclasses
   * whose fusesWeightDecay() is true: they apply p -= p * decay first; for the others the base
   * class has already applied it.
   */
  protected abstract updateParam(
    param: FloatArray,
    grad: TypedArray,
    slots: FloatArray[],
    lr: number,
    decay: number,
  ): void;

  /** True when updateParam applies the decoupled weight decay itself (a fused update kernel). */
  protected fusesWeightDecay(): boolean {
    return false;
  }

  /** Hook run once per step before the parameter updates (Nadam updates its cache product here). */
  protected beginStep(_lr: number): void {}

  /** The optimizer's own hyperparameters for getConfig() (camelCase keys). */
  protected abstract hyperConfig(): Record<string, unknown>;

  /** Number of steps applied so far. */
  get iterations(): number {
    return this.step0;
  }

  /** The attached parameters. */
  get params(): readonly Tensor[] {
    return this.attached;
  }

  /** The learning rate the next step uses (a schedule is evaluated at `iterations`). */
  get learningRate(): number {
    return evaluateLearningRate(this.lr, this.step0);
  }

  /** The learning rate as given: a number or the schedule itself. */
  get learningRateSchedule(): LearningRate {
    return this.lr;
  }

  /** Replaces the learning rate (a schedule becomes this constant). Used by callbacks. */
  setLearningRate(value: LearningRate): void {
    this.lr = validateLearningRate(this.owner, value);
  }

  /** Must be called by each subclass constructor last, so that slotSpecs() sees its fields. */
  protected attachPending(): void {
    const params = this.pendingParams;
    this.pendingParams = undefined;
    if (params === undefined) return;
    if (!Array.isArray(params)) {
      throw new ConfigError(`${this.owner}: params must be an array of tensors (got ${describe(params)})`);
    }
    this.attach(params as Tensor[]);
  }

  /**
   * Sets the parameters this optimizer updates and creates their slots. Parameters that were
   * attached before keep their slots; new ones start fresh.
   */
  attach(params: readonly Tensor[]): void {
    // training calls this every step with the same list: nothing to check or create then
    if (this.isAttached(params)) return;
    const seen = new Set<Tensor>();
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) {
        throw new ConfigError(`${this.owner}: params[${i}] is not a Tensor (got ${describe(p)})`);
      }
      if (!isFloatDType(p.dtype)) {
        throw new DTypeError(`${this.owner}: params[${i}] must be float32 or float64 (got ${p.dtype})`);
      }
      if (seen.has(p)) throw new ValueError(`${this.owner}: params[${i}] appears more than once`);
      seen.add(p);
    });
    // a parameter attached before keeps its slots (e.g. when a frozen layer is unfrozen)
    const previous = new Map<Tensor, FloatArray[]>();
    this.attached.forEach((p, i) => {
      const slots = this.slotArrays[i];
      if (slots !== undefined) previous.set(p, slots);
    });
    this.attached = [...params];
    const specs = this.slotSpecs();
    this.slotArrays = this.attached.map(
      (p) =>
        previous.get(p) ??
        specs.map((s) => {
          const a = allocate(p.dtype as "float32" | "float64", p.size);
          if (s.initialValue !== 0) a.fill(s.initialValue);
          return a;
        }),
    );
    this.scratch = this.attached.map(() => null);
    if (this.pending !== null) {
      const state = this.pending;
      this.pending = null;
      this.loadStateDict(state);
    }
  }

  /** True when exactly these parameters, in this order, are attached and have their slots. */
  private isAttached(params: readonly Tensor[]): boolean {
    const attached = this.attached;
    if (params.length !== attached.length || this.slotArrays.length !== params.length) return false;
    for (let i = 0; i < params.length; i++) if (params[i] !== attached[i]) return false;
    return true;
  }

  /** Leaves these parameters out of weight decay (e.g. biases and normalization scales). */
  excludeFromWeightDecay(params: readonly Tensor[]): void {
    for (const p of params) this.excluded.add(p);
  }

  /** Applies each attached parameter's `.grad` in place (params without a gradient are skipped). */
  step(): void {
    const lr = this.learningRate;
    const attached = this.attached;
    const active = this.activeScratch;
    const grads = this.gradScratch;
    active.length = 0;
    grads.length = 0;
    for (let i = 0; i < attached.length; i++) {
      const p = attached[i]!;
      const g = p.grad;
      if (g === null) continue;
      if (g.size !== p.size) {
        throw new ShapeError(
          `${this.owner}: gradient of params[${i}] has shape ${formatShape(g.shape)} but the parameter has shape ${formatShape(p.shape)}`,
        );
      }
      active.push(i);
      grads.push(g.data);
    }
    this.clipGradients(active, grads);
    const decay = this.weightDecay !== null && this.weightDecay > 0 ? this.weightDecay * lr : 0;
    const fused = this.fusesWeightDecay();
    this.beginStep(lr);
    for (let k = 0; k < active.length; k++) {
      const i = active[k]!;
      const p = attached[i]!;
      const data = p.data as FloatArray;
      const own = decay !== 0 && (this.excluded.size === 0 || !this.excluded.has(p)) ? decay : 0;
      if (own !== 0 && !fused) {
        for (let j = 0; j < data.length; j++) data[j] = data[j]! - data[j]! * own;
      }
      this.updateParam(data, grads[k]!, this.slotArrays[i]!, lr, fused ? own : 0);
    }
    grads.length = 0; // drop the references to this step's gradients
    this.step0 += 1;
  }

  /** Clears every attached parameter's `.grad`. */
  zeroGrad(): void {
    for (const p of this.attached) p.grad = null;
  }

  // Clipped gradients go to per-parameter scratch buffers: a .grad may be shared between tensors
  // (autograd hands the same dy to both inputs of an add), so it is never modified in place.
  private clipGradients(active: number[], grads: TypedArray[]): void {
    clipGradients(this, active, grads, (i) => this.scratchFor(i));
  }

  private scratchFor(index: number): FloatArray {
    let buffer = this.scratch[index] ?? null;
    if (buffer === null) {
      const p = this.attached[index]!;
      buffer = allocate(p.dtype as "float32" | "float64", p.size);
      this.scratch[index] = buffer;
    }
    return buffer;
  }

  /** A snapshot (copies) of everything needed to resume: slots, iterations, config, globals. */
  stateDict(): OptimizerState {
    const specs = this.slotSpecs();
    const state: Record<string, Record<string, FloatArray>> = {};
    this.slotArrays.forEach((slots, i) => {
      const entry: Record<string, FloatArray> = {};
      specs.forEach((s, k) => {
        entry[s.name] = slots[k]!.slice();
      });
      state[String(i)] = entry;
    });
    return {
      className: this.className,
      iterations: this.step0,
      config: this.getConfig().config,
      state,
      globals: { ...this.globals },
    };
  }

  /**
   * Restores a stateDict(). Before attach() it is kept and applied when parameters arrive. The
   * learning rate in the saved config replaces the current one (it may have been changed by a
   * callback); other hyperparameters stay as constructed.
   */
  loadStateDict(state: OptimizerState): void {
    const where = `${this.owner}.loadStateDict`;
    checkStateHeader(where, state, this.className);
    if (this.slotArrays.length === 0 && this.attached.length === 0) {
      this.pending = state;
      this.step0 = state.iterations;
      this.restoreScalars(state);
      return;
    }
    this.slotArrays = restoreSlots(where, state, this.attached, this.slotSpecs());
    this.step0 = state.iterations;
    this.restoreScalars(state);
  }

  private restoreScalars(state: OptimizerState): void {
    for (const [key, value] of Object.entries(state.globals ?? {})) {
      if (typeof value !== "number") {
        throw new ConfigError(`${this.owner}.loadStateDict: global "${key}" must be a number`);
      }
    }
    this.globals = { ...this.globals, ...(state.globals ?? {}) };
    const lr = state.config?.learningRate;
    if (typeof lr === "number") this.setLearningRate(lr);
    else if (typeof lr === "object" && lr !== null) {
      this.setLearningRate(deserializeSchedule(lr as SerializedConfig));
    }
  }

  /** `{ className, config }` with camelCase keys; the inverse of getOptimizer({ className, config }). */
  getConfig(): SerializedConfig {
    return {
      className: this.className,
      config: {
        name: this.name,
        learningRate: serializeLearningRate(this.owner, this.lr),
        weightDecay: this.weightDecay,
        clipNorm: this.clipNorm,
        globalClipNorm: this.globalClipNorm,
        clipValue: this.clipValue,
        ...this.hyperConfig(),
      },
    };
  }
}
