// ml/dbscan: density-based clustering with scikit-learn's semantics: a core sample has at least
// minSamples rows (itself included) within eps; clusters grow from core samples in row order with
// a depth-first stack, border rows join the first cluster that reaches them, the rest are noise (-1).
import { Tensor } from "../tensor/tensor.js";
import { checkState, type EstimatorState, makeState } from "./estimator.js";
import { type MatrixInput, squaredDistance, toMatrix } from "./matrix.js";
import { intOption, positiveOption } from "./params.js";

export interface DBSCANOptions {
  /** Neighbourhood radius (Euclidean, default 0.5). */
  eps?: number;
  /** Rows within eps, the row itself included, that make a core sample (default 5). */
  minSamples?: number;
}

/**
 * DBSCAN clustering. It has no predict (like scikit-learn): use fitPredict or `labels`.
 * @example
 * const labels = new DBSCAN({ eps: 0.5, minSamples: 5 }).fitPredict(x); // -1 marks noise
 */
export class DBSCAN {
  static readonly kind = "DBSCAN";
  readonly eps: number;
  readonly minSamples: number;
  /** Cluster of each training row, -1 for noise. */
  labels: Int32Array | null = null;
  /** Indices of the core samples, ascending. */
  coreSampleIndices: Int32Array | null = null;

  constructor(options: DBSCANOptions = {}) {
    this.eps = positiveOption(DBSCAN.kind, "eps", options.eps, 0.5);
    this.minSamples = intOption(DBSCAN.kind, "minSamples", options.minSamples, 5);
  }

  getParams(): DBSCANOptions {
    return { eps: this.eps, minSamples: this.minSamples };
  }

  fit(xInput: MatrixInput): this {
    const x = toMatrix("DBSCAN.fit", xInput);
    const n = x.rows;
    const eps2 = this.eps * this.eps;
    const neighbours: Int32Array[] = [];
    const scratch = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let count = 0;
      for (let j = 0; j < n; j++) if (squaredDistance(x, i, x, j) <= eps2) scratch[count++] = j;
      neighbours.push(scratch.slice(0, count));
    }
    const isCore = neighbours.map((nb) => nb.length >= this.minSamples);
    const labels = new Int32Array(n).fill(-1);
    let label = 0;
    const stack: number[] = [];
    for (let start = 0; start < n; start++) {
      if (labels[start] !== -1 || !isCore[start]) continue;
      let i = start;
      for (;;) {
        if (labels[i] === -1) {
          labels[i] = label;
          if (isCore[i]) for (const j of neighbours[i]!) if (labels[j] === -1) stack.push(j);
        }
        const next = stack.pop();
        if (next === undefined) break;
        i = next;
      }
      label++;
    }
    this.labels = labels;
    this.coreSampleIndices = Int32Array.from(isCore.flatMap((core, i) => (core ? [i] : [])));
    return this;
  }

  /** fit(X) then the labels, an int32 tensor [n] (-1 for noise). */
  fitPredict(xInput: MatrixInput): Tensor {
    this.fit(xInput);
    const labels = this.labels as Int32Array;
    return new Tensor(labels.slice(), [labels.length]);
  }

  toJSON(): EstimatorState {
    return makeState(DBSCAN.kind, this.getParams(), null);
  }

  static fromJSON(state: EstimatorState): DBSCAN {
    checkState(DBSCAN.kind, state);
    return new DBSCAN(state.params as DBSCANOptions);
  }
}
