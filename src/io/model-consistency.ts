// io/model-consistency: the checks of model.json against the model it describes, shared by load
// (a file that passes validateModelFile field by field can still contradict its architecture) and
// save (which must never write a file that load would refuse). Checked: the signature's inputs and
// outputs against the built model (count, name, dtype, shape), raw columns and targets (non-empty,
// distinct names), labels against the output width and the target encoder's classes, and the
// preprocessing's input columns and feature count against the signature and the input width.
import { FormatError, TesseraError } from "../core/errors.js";
import { ColumnTransformer } from "../data/preprocess/pipeline.js";
import { Functional } from "../models/functional.js";
import type { Model } from "../models/model.js";
import type { ModelFile, TensorSignature } from "./model-format.js";
import type { ModelPreprocessing } from "./preprocessing.js";

function fail(where: string, path: string, problem: string): never {
  throw new FormatError(`${where}: "${path}" ${problem}`);
}

const dims = (shape: readonly (number | null)[]) => `[${shape.map((d) => d ?? "?").join(", ")}]`;

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function checkTensors(
  where: string,
  path: string,
  declared: readonly TensorSignature[],
  names: readonly string[],
  shapes: readonly (readonly (number | null)[])[],
  dtypes: readonly string[],
): void {
  if (declared.length !== shapes.length) {
    fail(where, path, `lists ${declared.length} tensors but the architecture has ${shapes.length}`);
  }
  declared.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (names[i] !== undefined && entry.name !== names[i])
      fail(where, `${at}.name`, `is "${entry.name}" but the architecture calls it "${names[i]}"`);
    if (dtypes[i] !== undefined && entry.dtype !== dtypes[i])
      fail(where, `${at}.dtype`, `is ${entry.dtype} but the architecture makes ${dtypes[i]}`);
    const shape = shapes[i]!;
    if (!sameList(entry.shape, shape)) {
      fail(
        where,
        `${at}.shape`,
        `is ${dims(entry.shape)} but the architecture has ${dims(shape)} (?: any size)`,
      );
    }
  });
}

function checkDistinct(where: string, path: string, names: readonly string[]): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === "") fail(where, `${path}[${i}]`, "must not be empty");
    if (seen.has(name)) fail(where, `${path}[${i}]`, `repeats the name "${name}"`);
    seen.add(name);
  });
}

/** The raw columns the preprocessing reads, and the number of features it makes, when it says. */
function preprocessingShape(
  pre: ModelPreprocessing,
  where: string,
): { columns: string[] | null; features: number } {
  try {
    const { features } = pre;
    if (features instanceof ColumnTransformer) {
      const used = features.groups.flatMap(([, , columns]) => columns);
      return {
        columns: [...used, ...(features.remainderColumns ?? [])],
        features: features.getFeatureNames().length,
      };
    }
    return { columns: features.featureNamesIn ?? null, features: features.featureNamesOut().length };
  } catch (error) {
    if (!(error instanceof TesseraError)) throw error;
    throw new FormatError(`${where}: "preprocessing.features" is not usable: ${error.message}`);
  }
}

/**
 * Checks model.json's signature and preprocessing against the built model; throws a FormatError
 * naming the field. `preprocessing` is the rebuilt (or live) preprocessing, null when there is none.
 */
export function checkModelConsistency(
  file: ModelFile,
  model: Model,
  preprocessing: ModelPreprocessing | null,
  where: string,
): void {
  const { signature } = file;
  // A Sequential's input layer is named afresh on each build, so only a Functional's names are checked.
  const functional = model instanceof Functional;
  checkTensors(
    where,
    "signature.inputs",
    signature.inputs,
    functional ? model.inputNames : [],
    model.inputShapes,
    functional ? model.inputs.map((t) => t.dtype) : [],
  );
  checkTensors(where, "signature.outputs", signature.outputs, model.outputNames, model.outputShapes, []);
  const columns = signature.columns?.map((c) => c.name) ?? null;
  if (columns !== null) checkDistinct(where, "signature.columns", columns);
  if (signature.target !== null) checkDistinct(where, "signature.target", signature.target);

  // Labels name the outputs of a single-output classifier: one per unit, or two for one sigmoid unit.
  const labels = signature.labels;
  const outputs = model.outputShapes;
  if (labels !== null) {
    checkDistinct(where, "signature.labels", labels);
    const width = outputs.length === 1 ? outputs[0]![outputs[0]!.length - 1] : undefined;
    if (typeof width === "number" && labels.length !== (width === 1 ? 2 : width)) {
      fail(
        where,
        "signature.labels",
        `has ${labels.length} names but the output has ${width} unit${width === 1 ? " (a binary classifier needs 2)" : "s"}`,
      );
    }
  }
  const inputs = model.inputShapes;
  const inputWidth =
    inputs.length === 1 && inputs[0]!.length === 2 && typeof inputs[0]![1] === "number"
      ? inputs[0]![1]
      : null;
  if (preprocessing === null) {
    // The predictor then feeds the columns (less the targets) straight in as features.
    if (columns !== null && inputWidth !== null) {
      const targets = new Set(signature.target ?? []);
      const features = columns.filter((c) => !targets.has(c)).length;
      if (features !== inputWidth) {
        fail(
          where,
          "signature.columns",
          `lists ${features} feature columns but the model takes ${inputWidth} features and there is no preprocessing`,
        );
      }
    }
    return;
  }
  const shape = preprocessingShape(preprocessing, where);
  if (inputWidth !== null && shape.features !== inputWidth) {
    fail(
      where,
      "preprocessing.features",
      `makes ${shape.features} features but the model takes ${inputWidth}`,
    );
  }
  if (columns !== null && shape.columns !== null) {
    const known = new Set(columns);
    const missing = shape.columns.filter((c) => !known.has(c));
    if (missing.length > 0) {
      fail(
        where,
        "signature.columns",
        `lacks ${missing.map((c) => JSON.stringify(c)).join(", ")}, which the preprocessing reads`,
      );
    }
  }
  const classes = preprocessing.target?.classes;
  if (classes !== undefined && labels !== null) {
    const names = classes.map((c) => String(c));
    if (!sameList(names, labels)) {
      fail(where, "signature.labels", `differ from the target encoder's classes (${names.join(", ")})`);
    }
  }
}
