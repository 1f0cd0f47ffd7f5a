// io/model-predictor: predictions from a loaded model directory on raw data: a Table or records go
// through the saved preprocessing into the network; a classifier's outputs are named by the saved
// labels. No node:* import: the browser entry exports it for models from loadModelBundleFromUrl;
// predictor.ts adds ModelPredictor.load(dir) for Node.
import { ValueError } from "../core/errors.js";
import type { Table } from "../data/table/table.js";
import { inferBatch } from "../models/inference-plans.js";
import { argmax } from "../ops/index.js";
import type { Tensor } from "../tensor/tensor.js";
import type { LoadedModel } from "./model-from-bytes.js";
import { recordsToTable, tableToFeatures } from "./preprocessing.js";

export class ModelPredictor {
  constructor(readonly bundle: LoadedModel) {}

  get model() {
    return this.bundle.model;
  }

  get signature() {
    return this.bundle.file.signature;
  }

  /** The model input matrix for a Table of raw columns (target columns, if present, are ignored). */
  features(table: Table): Tensor {
    const { preprocessing } = this.bundle;
    if (preprocessing !== null) return tableToFeatures(preprocessing, table);
    // No preprocessing: the table's numeric columns, minus the target, are the features in order.
    const target = new Set(this.signature.target ?? []);
    const names = table.columnNames.filter((n) => !target.has(n));
    const width = this.signature.inputs[0]?.shape[1];
    if (this.signature.inputs.length !== 1 || (typeof width === "number" && width !== names.length)) {
      throw new ValueError(
        `predict: the model takes ${this.signature.inputs.map((i) => `[${i.shape.map((d) => d ?? "?").join(", ")}]`).join(" and ")} and has no saved preprocessing; the data has ${names.length} feature columns`,
      );
    }
    return table.toTensor(names, { dtype: this.signature.inputs[0]!.dtype });
  }

  /**
   * Runs the network on model-ready inputs (inference mode, no gradients), replaying an inference
   * plan once the shapes repeat (models/inference-plans), as predictOnBatch does.
   */
  run(inputs: Tensor | Tensor[]): Tensor[] {
    return inferBatch(this.model, Array.isArray(inputs) ? inputs : [inputs]);
  }

  /** Outputs for a Table of raw columns. */
  predictTable(table: Table): Tensor[] {
    return this.run(this.features(table));
  }

  /** Outputs for raw records (objects keyed by column name). */
  predictRecords(records: readonly Record<string, unknown>[]): Tensor[] {
    const columns = this.signature.columns;
    if (columns === null)
      throw new ValueError(
        "predict: this model has no saved preprocessing, so it takes numeric rows, not records",
      );
    return this.predictTable(recordsToTable(records, columns));
  }

  /** For a classifier with saved labels: the predicted label of each row of `output`; else null. */
  labelsOf(output: Tensor): string[] | null {
    const labels = this.signature.labels;
    if (labels === null || output.rank !== 2 || output.shape[1] !== labels.length) return null;
    const index = argmax(output, 1);
    return Array.from(index.data as Int32Array, (i) => labels[i]!);
  }
}
