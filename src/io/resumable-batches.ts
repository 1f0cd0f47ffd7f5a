// io/resumable-batches: training batches over in-memory arrays whose position can be saved and
// restored, so a run stopped in the middle of an epoch resumes on exactly the batches it had left.
// Each pass (one epoch) shuffles with the global generator when it starts, as fit() does with
// arrays; a restored pass replays the saved order from the saved step instead.
// Use with fit: model.fit(batches, { epochs, stepsPerEpoch: batches.steps }).
import { ValueError } from "../core/errors.js";
import { getGenerator } from "../core/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkBatchSize, takeRows } from "../train/array-data.js";

/** Where a pass stands: the row order of the current epoch and the next batch to give. */
export interface BatchPosition {
  readonly order: Int32Array;
  readonly nextStep: number;
}

export interface ResumableBatchesOptions {
  /** Rows per batch (default 32). */
  batchSize?: number;
  /** Shuffle each epoch with the global generator (default true). */
  shuffle?: boolean;
}

function rowsOf(tensors: readonly Tensor[]): number {
  const n = tensors[0]?.shape[0];
  if (n === undefined)
    throw new ValueError("ResumableBatches: expected at least one tensor with a batch axis");
  for (const t of tensors) {
    if (t.shape[0] !== n)
      throw new ValueError(`ResumableBatches: every tensor needs ${n} rows (got ${t.shape[0]})`);
  }
  return n;
}

/**
 * An iterable of {x, y} batches with a savable position.
 * @example
 * const batches = new ResumableBatches(x, y, { batchSize: 32 });
 * await model.fit(batches, { epochs: 10, stepsPerEpoch: batches.steps });
 */
export class ResumableBatches implements Iterable<{ x: Tensor | Tensor[]; y: Tensor | Tensor[] }> {
  readonly rows: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  private current: BatchPosition | null = null;
  private restored: BatchPosition | null = null;
  private readonly xs: Tensor[];
  private readonly ys: Tensor[];

  constructor(
    readonly x: Tensor | Tensor[],
    readonly y: Tensor | Tensor[],
    options: ResumableBatchesOptions = {},
  ) {
    this.xs = Array.isArray(x) ? x : [x];
    this.ys = Array.isArray(y) ? y : [y];
    this.rows = rowsOf([...this.xs, ...this.ys]);
    this.batchSize = checkBatchSize("ResumableBatches", options.batchSize);
    this.shuffle = options.shuffle ?? true;
  }

  /** Batches per epoch. */
  get steps(): number {
    return Math.ceil(this.rows / this.batchSize);
  }

  /** The position after the last batch given (null before the first pass starts). */
  position(): BatchPosition | null {
    return this.current === null
      ? null
      : { order: this.current.order.slice(), nextStep: this.current.nextStep };
  }

  /** Makes the next pass continue from `position` (its order, from its next step). */
  restore(position: BatchPosition): void {
    if (position.order.length !== this.rows) {
      throw new ValueError(
        `ResumableBatches.restore: the saved order has ${position.order.length} rows, the data has ${this.rows}`,
      );
    }
    if (!Number.isInteger(position.nextStep) || position.nextStep < 0 || position.nextStep > this.steps) {
      throw new ValueError(`ResumableBatches.restore: step ${position.nextStep} is outside 0..${this.steps}`);
    }
    this.restored = { order: position.order.slice(), nextStep: position.nextStep };
  }

  *[Symbol.iterator](): Iterator<{ x: Tensor | Tensor[]; y: Tensor | Tensor[] }> {
    // The order is drawn when the pass starts (the first next()), like fit() does per epoch.
    let position = this.restored;
    this.restored = null;
    if (position === null) {
      const order = this.shuffle
        ? Int32Array.from(getGenerator().permutation(this.rows))
        : Int32Array.from({ length: this.rows }, (_, i) => i);
      position = { order, nextStep: 0 };
    }
    this.current = { order: position.order, nextStep: position.nextStep };
    for (let step = position.nextStep; step < this.steps; step++) {
      const indices = position.order.subarray(
        step * this.batchSize,
        Math.min(this.rows, (step + 1) * this.batchSize),
      );
      const x = this.xs.map((t) => takeRows(t, indices));
      const y = this.ys.map((t) => takeRows(t, indices));
      this.current = { order: position.order, nextStep: step + 1 };
      yield { x: Array.isArray(this.x) ? x : x[0]!, y: Array.isArray(this.y) ? y : y[0]! };
    }
  }
}
