// models/model: the Model base class, a Layer that owns other layers. Sequential and Functional
// extend it, and it can be subclassed directly (create layers in the constructor with track(),
// compute in call(), and optionally replace the per-batch step of fit with trainStep()).
// compile/fit/evaluate/predict/save are methods of this class, as in Keras 3; their work is done by
// train/ and io/ (above models/ in the layering) through the interfaces of model-api.ts.
import { ValueError } from "../core/errors.js";
import type { LayerArgs } from "../nn/layer.js";
import { Layer } from "../nn/layer.js";
import type { SymbolicShape } from "../nn/symbolic-tensor.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Tensor } from "../tensor/tensor.js";
import {
  type CompileOptions,
  type EvaluateOptions,
  type ExportOnnxOptions,
  type FitOptions,
  type History,
  loadedTrainer,
  type ModelFile,
  type OnBatchOptions,
  type PredictOptions,
  type SaveOptions,
  saverFor,
  trainerFor,
} from "./model-api.js";
import type { Batch, BatchIterable, ModelData, PredictBatch, StepBatch, StepLogs } from "./model-data.js";
import { printSummary, type SummaryOptions } from "./summary.js";

/** Options of every model. */
export interface ModelArgs {
  name?: string;
  trainable?: boolean;
}

/**
 * A layer made of layers. Use sequential() or model() to build one, or subclass it.
 * @example
 * class TwoLayer extends Model {
 *   hidden = this.track(new Dense({ units: 8, activation: "relu" }));
 *   out = this.track(new Dense({ units: 1 }));
 *   override call(x: LayerInputs, ctx: CallContext) { return this.out.apply(this.hidden.apply(this.single(x), ctx), ctx); }
 * }
 */
export abstract class Model extends Layer {
  static override readonly className: string = "Model";

  constructor(args: ModelArgs & LayerArgs = {}) {
    super(args);
    // each inner layer casts to its own dtype; the model passes inputs through untouched
    this.autocast = false;
  }

  /** The model's layers in order (tracked sub-layers for subclassed models). */
  get layers(): Layer[] {
    return [...this.childLayers()];
  }

  /** A layer by its name, or by its position in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === "number") {
      const layer = Number.isInteger(nameOrIndex) ? layers[nameOrIndex] : undefined;
      if (layer === undefined) {
        throw new ValueError(
          `getLayer: index ${nameOrIndex} is out of range for a model with ${layers.length} layers`,
        );
      }
      return layer;
    }
    const layer = layers.find((l) => l.name === nameOrIndex);
    if (layer === undefined) {
      throw new ValueError(
        `getLayer: no layer named "${nameOrIndex}" (layers: ${layers.map((l) => l.name).join(", ")})`,
      );
    }
    return layer;
  }

  /** Names of the model's inputs (its input layers). */
  get inputNames(): string[] {
    return [];
  }

  /** Names of the model's outputs (the layers that produce them). */
  get outputNames(): string[] {
    return [];
  }

  /** Shapes of the inputs, batch axis first (null where unknown); empty while unbuilt. */
  get inputShapes(): SymbolicShape[] {
    return [];
  }

  /** Shapes of the outputs, batch axis first; empty while unbuilt. */
  get outputShapes(): SymbolicShape[] {
    return [];
  }

  /**
   * Size of the optimizer's state once it has been built by a first training step (count of
   * scalars and bytes), or null. summary() adds an "Optimizer params" line and counts it in the
   * total, as Keras 3 does after training.
   */
  optimizerParams(): { count: number; bytes: number } | null {
    return loadedTrainer()?.optimizerParams(this) ?? null;
  }

  /**
   * Prints Keras 3's summary table (layer, output shape, parameter count, and "Connected to" for
   * graphs that are not a simple chain), then the parameter totals with their sizes in bytes.
   * `printFn` receives one line at a time (console.log by default).
   */
  summary(printFn?: (line: string) => void, options: SummaryOptions = {}): void {
    printSummary(this, printFn ?? ((line: string) => console.log(line)), options);
  }

  // ---- training (train/ does the work; see model-api.ts) ----

  /** Set by a callback (or a custom trainStep) to stop fit after the current batch. */
  stopTraining = false;

  /**
   * Sets the optimizer, loss(es), metrics and loss weights used by fit/evaluate.
   * @example
   * model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: "mse", metrics: ["mae"] });
   */
  compile(options: CompileOptions): void {
    trainerFor("compile").compile(this, options);
  }

  /**
   * Trains for `epochs` over arrays (x, y) or an iterable of `{ x, y }` / `[x, y]` batches. Each
   * batch goes through trainStep() (or the `trainStep` option), whose logs reach the progress
   * line, the callbacks and the History.
   * @example
   * const history = await model.fit(x, y, { epochs: 10, batchSize: 32, validationSplit: 0.2 });
   * history.history.val_loss;
   */
  fit(batches: BatchIterable<Batch>, options?: FitOptions): Promise<History>;
  fit(x: ModelData, y: ModelData, options?: FitOptions): Promise<History>;
  async fit(x: unknown, y?: unknown, options?: FitOptions): Promise<History> {
    return trainerFor("fit").fit(this, x, y, options);
  }

  /**
   * Loss and metrics over data. Values come in `metricsNames` order (loss first), or as a
   * record with `returnDict: true`. Each batch goes through testStep().
   */
  evaluate(
    batches: BatchIterable<Batch>,
    options: EvaluateOptions & { returnDict: true },
  ): Promise<Record<string, number>>;
  evaluate(
    batches: BatchIterable<Batch>,
    options?: EvaluateOptions & { returnDict?: false },
  ): Promise<number[]>;
  evaluate(
    x: ModelData,
    y: ModelData,
    options: EvaluateOptions & { returnDict: true },
  ): Promise<Record<string, number>>;
  evaluate(x: ModelData, y: ModelData, options?: EvaluateOptions & { returnDict?: false }): Promise<number[]>;
  async evaluate(
    x: unknown,
    y?: unknown,
    options?: EvaluateOptions & { returnDict?: boolean },
  ): Promise<Record<string, number> | number[]> {
    return trainerFor("evaluate").evaluate(this, x, y, options);
  }

  /**
   * The output of a single-output model for many samples, in batches, without a gradient graph.
   * Multi-output models use predictOutputs().
   */
  // NOTE: ModelData first: a list of tensors is one batch of inputs (as at run time), not an iterable.
  predict(x: ModelData, options?: PredictOptions): Tensor;
  predict(batches: BatchIterable<PredictBatch>, options?: PredictOptions): Promise<Tensor>;
  predict(x: unknown, options?: PredictOptions): Tensor | Promise<Tensor> {
    const outputs = trainerFor("predict").predict(this, x, options);
    return outputs instanceof Promise
      ? outputs.then((o) => singleOutput("predict", o))
      : singleOutput("predict", outputs);
  }

  /** Every output of the model, in outputNames order, for many samples. */
  predictOutputs(x: ModelData, options?: PredictOptions): Tensor[];
  predictOutputs(batches: BatchIterable<PredictBatch>, options?: PredictOptions): Promise<Tensor[]>;
  predictOutputs(x: unknown, options?: PredictOptions): Tensor[] | Promise<Tensor[]> {
    return trainerFor("predictOutputs").predict(this, x, options);
  }

  /** One training step on one batch; returns this batch's loss and metrics (metricsNames order). */
  trainOnBatch(
    x: ModelData,
    y: ModelData,
    options: OnBatchOptions & { returnDict: true },
  ): Record<string, number>;
  trainOnBatch(x: ModelData, y: ModelData, options?: OnBatchOptions & { returnDict?: false }): number[];
  trainOnBatch(
    x: ModelData,
    y: ModelData,
    options: OnBatchOptions & { returnDict?: boolean } = {},
  ): Record<string, number> | number[] {
    return trainerFor("trainOnBatch").trainOnBatch(this, x, y, options);
  }

  /** Loss and metrics of one batch in inference mode (metricsNames order). */
  testOnBatch(
    x: ModelData,
    y: ModelData,
    options: OnBatchOptions & { returnDict: true },
  ): Record<string, number>;
  testOnBatch(x: ModelData, y: ModelData, options?: OnBatchOptions & { returnDict?: false }): number[];
  testOnBatch(
    x: ModelData,
    y: ModelData,
    options: OnBatchOptions & { returnDict?: boolean } = {},
  ): Record<string, number> | number[] {
    return trainerFor("testOnBatch").testOnBatch(this, x, y, options);
  }

  /** The output of a single-output model for one batch. */
  predictOnBatch(x: ModelData): Tensor {
    return singleOutput("predictOnBatch", trainerFor("predictOnBatch").predictOnBatch(this, x));
  }

  /** Every output of the model for one batch. */
  predictOnBatchOutputs(x: ModelData): Tensor[] {
    return trainerFor("predictOnBatchOutputs").predictOnBatch(this, x);
  }

  /**
   * One training step on one batch, as fit and trainOnBatch run it (Keras's train_step). The
   * default runs the forward pass in training mode, computeLoss(), backward, an optimizer step and
   * the weight constraints, then computeMetrics(). Override it for a custom step (a GAN's two
   * optimizers, a contrastive loss); the logs it returns are shown in the progress line and kept
   * by History. Reset trackers of your own by overriding resetMetrics().
   * @example
   * override trainStep(batch: StepBatch): StepLogs {
   *   // ... forward, loss.backward(), this.optimizer!.step(), ...
   *   return { loss: loss.item() };
   * }
   */
  trainStep(batch: StepBatch): StepLogs {
    return trainerFor("trainStep").trainStep(this, batch);
  }

  /** One evaluation step (Keras's test_step): forward in inference mode, then computeMetrics(). */
  testStep(batch: StepBatch): StepLogs {
    return trainerFor("testStep").testStep(this, batch);
  }

  /**
   * The compiled loss of a batch: each output's loss (with sample weights and loss weights) plus
   * the model's regularization losses, a scalar with its gradient graph.
   */
  computeLoss(batch: StepBatch, predictions: readonly Tensor[]): Tensor {
    return trainerFor("computeLoss").computeLoss(this, batch, predictions);
  }

  /** Adds a batch to the loss trackers and compiled metrics; returns every current value. */
  computeMetrics(batch: StepBatch, predictions: readonly Tensor[], loss: Tensor): StepLogs {
    return trainerFor("computeMetrics").computeMetrics(this, batch, predictions, loss);
  }

  /** Empties the running loss means and metrics (fit calls it at each epoch's start). */
  resetMetrics(): void {
    loadedTrainer()?.resetMetrics(this);
  }

  /** Whether compile() was called. */
  get compiled(): boolean {
    return loadedTrainer()?.compiled(this) ?? false;
  }

  /** The compiled optimizer, or null before compile. */
  get optimizer(): Optimizer | null {
    return loadedTrainer()?.optimizer(this) ?? null;
  }

  /** Names of the values evaluate/trainOnBatch return: "loss", per-output losses, metrics. */
  get metricsNames(): string[] {
    return loadedTrainer()?.metricsNames(this) ?? [];
  }

  /** The History of the last fit, or null. */
  get history(): History | null {
    return loadedTrainer()?.history(this) ?? null;
  }

  /** "up" when larger is better for a logged metric name (e.g. "accuracy"), "down" for losses. */
  metricDirection(name: string): "up" | "down" | undefined {
    return loadedTrainer()?.metricDirection(this, name);
  }

  // ---- saving (io/ does the work) ----

  /** Saves this model to a directory (a path or file:// URL): model.json + weights.safetensors, atomically. */
  async save(dir: string | URL, options?: SaveOptions): Promise<ModelFile> {
    return saverFor("save").save(this, dir, options);
  }

  /**
   * Writes this model as an ONNX file (opset 17, dynamic batch axis) for onnxruntime and other
   * runtimes; the saved preprocessing is not included. A layer ONNX cannot express is an error
   * naming it.
   * @example
   * await model.exportOnnx("model.onnx");
   */
  async exportOnnx(path: string, options?: ExportOnnxOptions): Promise<void> {
    return saverFor("exportOnnx").exportOnnx(this, path, options);
  }
}

/** The one output of a single-output model, or an error pointing to the *Outputs method. */
function singleOutput(op: string, outputs: readonly Tensor[]): Tensor {
  if (outputs.length !== 1) {
    throw new ValueError(
      `${op}: the model has ${outputs.length} outputs; use ${op}Outputs() to get them all as a list`,
    );
  }
  return outputs[0]!;
}
