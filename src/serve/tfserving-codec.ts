// serve/tfserving-codec: TF-Serving-style REST bodies. {"instances": [...]} where each instance is
// a row of the single input (a number or nested array), an object of raw column values (models
// with a preprocessing pipeline) or an object of named inputs (multi-input models);
// answered with {"predictions": [...]}, one entry per instance.
import type { TypedArray } from "../core/dtype.js";
import { badRequest, isRecord } from "./http-util.js";
import {
  type BatchItem,
  type RawRecord,
  rowSize,
  type ServingSignature,
  type TensorSpec,
} from "./servable.js";
import { describe, flattenNested, nestRow, toTypedArray, validateRecord } from "./tensor-values.js";

/** Validates a TF-Serving predict body against the model signature. */
export function decodeTfServingRequest(body: unknown, signature: ServingSignature): BatchItem {
  if (!isRecord(body)) throw badRequest("body", "expected a JSON object");
  const { instances } = body;
  if (instances === undefined) {
    throw badRequest(
      "instances",
      `missing (expected {"instances": [...]}${"inputs" in body ? '; the columnar "inputs" format is not supported' : ""})`,
    );
  }
  if (!Array.isArray(instances) || instances.length === 0)
    throw badRequest("instances", "expected a non-empty array");
  const rows = instances.length;
  const objects = instances.filter(isRecord).length;
  if (objects !== 0 && objects !== rows) throw badRequest("instances", "mixes objects and arrays");

  if (objects === rows && signature.columns !== null) {
    const columns = signature.columns;
    const records: RawRecord[] = instances.map((r, i) => validateRecord(r, columns, `instances[${i}]`));
    return { kind: "records", records, rows };
  }
  // Rows of tensors: one value per input per instance (an object keyed by input name when there
  // are several inputs or the instance is an object).
  const perInput = signature.inputs.map((spec) => ({ spec, values: [] as unknown[] }));
  instances.forEach((instance, i) => {
    for (const { spec, values } of perInput) {
      let value: unknown = instance;
      let field = `instances[${i}]`;
      if (objects === rows) {
        const record = instance as Record<string, unknown>;
        if (!Object.hasOwn(record, spec.name)) throw badRequest(`${field}.${spec.name}`, "missing input");
        value = record[spec.name];
        field = `${field}.${spec.name}`;
      } else if (signature.inputs.length !== 1) {
        throw badRequest(
          field,
          `the model has ${signature.inputs.length} inputs: send objects keyed by input name`,
        );
      }
      appendRow(value, spec, field, values);
    }
  });
  const inputs: TypedArray[] = perInput.map(({ spec, values }) =>
    toTypedArray(values, spec, null, "instances"),
  );
  return { kind: "tensors", inputs, rows };
}

function appendRow(value: unknown, spec: TensorSpec, field: string, into: unknown[]): void {
  const rowShape = spec.shape.slice(1);
  const { values, shape } = flattenNested(value, field);
  const matches =
    shape.length === rowShape.length && shape.every((d, i) => rowShape[i] === -1 || rowShape[i] === d);
  // A single-feature row may be sent as a bare number.
  const bare = shape.length === 0 && rowSize(spec) === 1;
  if (!matches && !bare) {
    throw badRequest(
      field,
      `expected a row of shape [${rowShape.join(", ")}] for input "${spec.name}" (got ${shape.length === 0 ? describe(value) : `[${shape.join(", ")}]`})`,
    );
  }
  for (const [j, v] of values.entries()) {
    if (spec.dtype === "bool" ? typeof v !== "boolean" : typeof v !== "number") {
      throw badRequest(
        values.length === 1 ? field : `${field}[${j}]`,
        `expected a ${spec.dtype === "bool" ? "boolean" : "number"} (got ${describe(v)})`,
      );
    }
    into.push(v);
  }
}

/** {"predictions": [...]}: per instance, the output row (or an object of outputs when several). */
export function encodeTfServingResponse(
  signature: ServingSignature,
  rows: number,
  outputs: readonly TypedArray[],
): Record<string, unknown> {
  const predictions: unknown[] = [];
  for (let r = 0; r < rows; r++) {
    const perOutput = signature.outputs.map((spec, k) => {
      const size = rowSize(spec);
      return nestRow(outputs[k]!, r * size, spec.shape.slice(1), spec.dtype);
    });
    predictions.push(
      signature.outputs.length === 1
        ? perOutput[0]
        : Object.fromEntries(signature.outputs.map((s, k) => [s.name, perOutput[k]])),
    );
  }
  return { predictions };
}
