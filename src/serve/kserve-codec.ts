// serve/kserve-codec: the Open Inference Protocol (KServe v2) request and response bodies.
// A request's inputs are either the model's tensors by name, or (for a model with a preprocessing
// pipeline) one [B] or [B, 1] input per raw column, which become records.

import type { TypedArray } from "../core/dtype.js";
import { badRequest, isRecord } from "./http-util.js";
import type { BatchItem, RawRecord, ServingSignature, TensorSpec } from "./servable.js";
import {
  DATATYPE_OF_DTYPE,
  describe,
  flattenNested,
  isKServeDatatype,
  jsonElement,
  type KServeDatatype,
  toTypedArray,
} from "./tensor-values.js";

export interface KServeRequest {
  readonly item: BatchItem;
  readonly id: string | undefined;
  /** Output names to return, in order (all outputs when the request names none). */
  readonly outputs: readonly TensorSpec[];
}

interface RawInput {
  readonly name: string;
  readonly shape: number[];
  readonly datatype: KServeDatatype;
  readonly values: unknown[];
  readonly field: string;
}

function parseInput(input: unknown, index: number): RawInput {
  const field = `inputs[${index}]`;
  if (!isRecord(input)) throw badRequest(field, `expected an object (got ${describe(input)})`);
  const { name, shape, datatype, data } = input;
  if (typeof name !== "string") throw badRequest(`${field}.name`, "expected a string");
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw badRequest(`${field}.shape`, "expected an array of non-negative integers");
  }
  if (!isKServeDatatype(datatype))
    throw badRequest(`${field}.datatype`, `unknown datatype ${describe(datatype)}`);
  if (!Array.isArray(data)) throw badRequest(`${field}.data`, "expected an array");
  const { values } = flattenNested(data, `${field}.data`);
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (values.length !== count) {
    throw badRequest(
      `${field}.data`,
      `shape [${shape.join(", ")}] needs ${count} values (got ${values.length})`,
    );
  }
  return { name, shape: shape as number[], datatype, values, field: `${field}.data` };
}

/** Validates a KServe v2 inference request body against the model signature. */
export function decodeKServeRequest(body: unknown, signature: ServingSignature): KServeRequest {
  if (!isRecord(body)) throw badRequest("body", "expected a JSON object");
  const { id, inputs, outputs } = body;
  if (id !== undefined && typeof id !== "string") throw badRequest("id", "expected a string");
  if (!Array.isArray(inputs) || inputs.length === 0) throw badRequest("inputs", "expected a non-empty array");
  const parsed = inputs.map(parseInput);
  const names = new Set<string>();
  for (const [i, input] of parsed.entries()) {
    if (names.has(input.name)) throw badRequest(`inputs[${i}].name`, `duplicate input "${input.name}"`);
    names.add(input.name);
  }
  const columns = signature.columns;
  const isColumns = columns !== null && parsed.every((p) => columns.some((c) => c.name === p.name));
  const item = isColumns ? decodeColumns(parsed, signature) : decodeTensors(parsed, signature);
  return { item, id, outputs: selectOutputs(outputs, signature) };
}

function decodeTensors(parsed: readonly RawInput[], signature: ServingSignature): BatchItem {
  let rows = -1;
  const arrays: TypedArray[] = [];
  for (const spec of signature.inputs) {
    const input = parsed.find((p) => p.name === spec.name);
    if (input === undefined) {
      const expected = signature.inputs.map((s) => `"${s.name}"`).join(", ");
      const hint = signature.columns === null ? "" : ` or one input per raw column`;
      throw badRequest("inputs", `missing input "${spec.name}" (the model takes ${expected}${hint})`);
    }
    const field = input.field.replace(/\.data$/, ".shape");
    if (input.shape.length !== spec.shape.length) {
      throw badRequest(
        field,
        `expected rank ${spec.shape.length} [${spec.shape.join(", ")}] (got [${input.shape.join(", ")}])`,
      );
    }
    for (let d = 1; d < spec.shape.length; d++) {
      if (spec.shape[d] !== -1 && spec.shape[d] !== input.shape[d]) {
        throw badRequest(
          field,
          `expected shape [${spec.shape.join(", ")}] (got [${input.shape.join(", ")}])`,
        );
      }
    }
    const batch = input.shape[0]!;
    if (batch === 0) throw badRequest(field, "the batch dimension must be at least 1");
    if (rows !== -1 && batch !== rows)
      throw badRequest(field, `batch size ${batch} differs from the other inputs' ${rows}`);
    rows = batch;
    arrays.push(toTypedArray(input.values, spec, input.datatype, input.field));
  }
  for (const [i, input] of parsed.entries()) {
    if (!signature.inputs.some((s) => s.name === input.name)) {
      throw badRequest(`inputs[${i}].name`, `unknown input "${input.name}"`);
    }
  }
  return { kind: "tensors", inputs: arrays, rows };
}

function decodeColumns(parsed: readonly RawInput[], signature: ServingSignature): BatchItem {
  const columns = signature.columns!;
  let rows = -1;
  for (const input of parsed) {
    const field = input.field.replace(/\.data$/, ".shape");
    const [batch, ...rest] = input.shape;
    if (batch === undefined || rest.length > 1 || (rest.length === 1 && rest[0] !== 1)) {
      throw badRequest(field, `a column input has shape [B] or [B, 1] (got [${input.shape.join(", ")}])`);
    }
    if (batch === 0) throw badRequest(field, "the batch dimension must be at least 1");
    if (rows !== -1 && batch !== rows)
      throw badRequest(field, `batch size ${batch} differs from the other inputs' ${rows}`);
    rows = batch;
  }
  for (const column of columns) {
    if (!parsed.some((p) => p.name === column.name))
      throw badRequest("inputs", `missing column "${column.name}"`);
  }
  const records: Record<string, string | number | boolean | null>[] = Array.from(
    { length: rows },
    () => ({}),
  );
  for (const input of parsed) {
    const column = columns.find((c) => c.name === input.name)!;
    const wanted = column.type === "string" ? "BYTES" : column.type === "boolean" ? "BOOL" : "numeric";
    const numeric = input.datatype !== "BYTES" && input.datatype !== "BOOL";
    if (wanted === "numeric" ? !numeric : input.datatype !== wanted) {
      throw badRequest(
        input.field.replace(/\.data$/, ".datatype"),
        `column "${column.name}" takes ${wanted} values (got ${input.datatype})`,
      );
    }
    input.values.forEach((value, row) => {
      if (value !== null && typeof value !== column.type) {
        throw badRequest(
          `${input.field}[${row}]`,
          `expected a ${column.type} or null (got ${describe(value)})`,
        );
      }
      records[row]![column.name] = value as string | number | boolean | null;
    });
  }
  return { kind: "records", records: records as RawRecord[], rows };
}

function selectOutputs(requested: unknown, signature: ServingSignature): readonly TensorSpec[] {
  if (requested === undefined) return signature.outputs;
  if (!Array.isArray(requested)) throw badRequest("outputs", "expected an array of {name}");
  return requested.map((entry, i) => {
    const name = isRecord(entry) ? entry.name : undefined;
    if (typeof name !== "string") throw badRequest(`outputs[${i}].name`, "expected a string");
    const spec = signature.outputs.find((o) => o.name === name);
    if (spec === undefined) throw badRequest(`outputs[${i}].name`, `unknown output "${name}"`);
    return spec;
  });
}

/** The KServe v2 response body for one request's rows of the selected outputs. */
export function encodeKServeResponse(
  signature: ServingSignature,
  request: KServeRequest,
  outputs: readonly TypedArray[],
): Record<string, unknown> {
  const rows = request.item.rows;
  return {
    model_name: signature.name,
    model_version: signature.version,
    ...(request.id === undefined ? {} : { id: request.id }),
    outputs: request.outputs.map((spec) => {
      const data = outputs[signature.outputs.indexOf(spec)]!;
      const values = Array.from({ length: data.length }, (_, i) => jsonElement(data, i, spec.dtype));
      return {
        name: spec.name,
        datatype: DATATYPE_OF_DTYPE[spec.dtype],
        shape: [rows, ...spec.shape.slice(1)],
        data: values,
      };
    }),
  };
}

/** The KServe v2 model metadata body. */
export function kserveMetadata(signature: ServingSignature): Record<string, unknown> {
  // Raw columns (for per-column inputs) and class names travel as model parameters.
  const parameters: [string, unknown][] = [];
  if (signature.columns !== null) {
    parameters.push([
      "columns",
      signature.columns.map((c) => ({
        name: c.name,
        datatype: c.type === "string" ? "BYTES" : c.type === "boolean" ? "BOOL" : "FP64",
      })),
    ]);
  }
  const labels = signature.outputs[0]?.labels;
  if (labels !== undefined) parameters.push(["labels", [...labels]]);
  const tensor = (spec: TensorSpec) => ({
    name: spec.name,
    datatype: DATATYPE_OF_DTYPE[spec.dtype],
    shape: [...spec.shape],
  });
  return {
    name: signature.name,
    versions: [signature.version],
    platform: "tessera",
    inputs: signature.inputs.map(tensor),
    outputs: signature.outputs.map(tensor),
    ...(parameters.length === 0 ? {} : { parameters: Object.fromEntries(parameters) }),
  };
}
