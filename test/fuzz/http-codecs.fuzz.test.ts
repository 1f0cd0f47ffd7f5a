// test/fuzz: the inference server's request codecs (serve/kserve-codec, serve/tfserving-codec,
// serve/http-util). Properties: on any bytes or any JSON shape only typed errors (HttpError, a
// TesseraError) escape, and what decodes is consistent with the signature (rows, element counts,
// dtypes, column types) and bounded by the body's size; valid requests round-trip exactly through
// JSON (values in, typed arrays out; outputs back to JSON); path segments decode or give a 400.
// The server's socket front door has its own target file (http-socket.fuzz.test.ts).
import assert from "node:assert/strict";
import type { TypedArray } from "../../src/core/dtype.js";
import { decodeSegment, parseJsonBody } from "../../src/serve/http-util.js";
import { decodeKServeRequest, encodeKServeResponse } from "../../src/serve/kserve-codec.js";
import { type BatchItem, rowSize, type ServingSignature, type TensorSpec } from "../../src/serve/servable.js";
import { KSERVE_DATATYPES } from "../../src/serve/tensor-values.js";
import { decodeTfServingRequest, encodeTfServingResponse } from "../../src/serve/tfserving-codec.js";
import { assertBounded, bytesFrom, fc, fuzz } from "./harness.js";

const TENSOR: ServingSignature = {
  name: "t",
  version: "1",
  inputs: [{ name: "x", dtype: "float32", shape: [-1, 3] }],
  outputs: [{ name: "y", dtype: "float32", shape: [-1, 2], labels: ["a", "b"] }],
  columns: null,
};
const MULTI: ServingSignature = {
  name: "m",
  version: "2",
  inputs: [
    { name: "a", dtype: "int32", shape: [-1, 2] },
    { name: "b", dtype: "bool", shape: [-1] },
    { name: "c", dtype: "float64", shape: [-1, 2, 2] },
  ],
  outputs: [
    { name: "p", dtype: "float64", shape: [-1, 1] },
    { name: "q", dtype: "int32", shape: [-1, 3] },
    { name: "r", dtype: "bool", shape: [-1] },
  ],
  columns: null,
};
const COLUMNS: ServingSignature = {
  name: "c",
  version: "1",
  inputs: [{ name: "features", dtype: "float32", shape: [-1, 4] }],
  outputs: [{ name: "y", dtype: "float32", shape: [-1, 1] }],
  columns: [
    { name: "size", type: "number" },
    { name: "color", type: "string" },
    { name: "ok", type: "boolean" },
  ],
};
const SIGNATURES = [TENSOR, MULTI, COLUMNS] as const;
const SIGNATURE = fc.constantFrom(...SIGNATURES);

const ARRAY_OF: Record<TensorSpec["dtype"], new (n: number) => TypedArray> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
};

/** What a decoded item must satisfy whatever the request was. */
function checkItem(item: BatchItem, signature: ServingSignature, bodyBytes: number): void {
  assert.ok(Number.isSafeInteger(item.rows) && item.rows >= 1, `rows ${item.rows}`);
  if (item.kind === "records") {
    assert.ok(signature.columns !== null, "records only for a model with raw columns");
    assert.equal(item.records.length, item.rows);
    for (const record of item.records) {
      for (const column of signature.columns) {
        assert.ok(Object.hasOwn(record, column.name), `column ${column.name} present`);
        const value = record[column.name];
        assert.ok(value === null || typeof value === column.type, `${column.name}: ${typeof value}`);
      }
    }
    assertBounded("record cells", item.rows * signature.columns.length, bodyBytes);
    return;
  }
  assert.equal(item.inputs.length, signature.inputs.length);
  let elements = 0;
  signature.inputs.forEach((spec, k) => {
    const data = item.inputs[k]!;
    assert.ok(data instanceof ARRAY_OF[spec.dtype], `${spec.name} is ${spec.dtype}`);
    assert.equal(data.length, item.rows * rowSize(spec));
    elements += data.length;
  });
  assertBounded("tensor elements", elements, bodyBytes);
}

function decodeAny(body: Buffer, signature: ServingSignature, kserve: boolean): void {
  const json = parseJsonBody(body);
  const item = kserve ? decodeKServeRequest(json, signature).item : decodeTfServingRequest(json, signature);
  checkItem(item, signature, body.length);
}

fuzz(
  "KServe v2 and TF-Serving bodies from arbitrary bytes",
  fc.tuple(
    bytesFrom('{}[]",:0123456789.-eE truefalsnul"inputs""shape""data""instances"', 300),
    SIGNATURE,
    fc.boolean(),
  ),
  ([bytes, signature, kserve]) => decodeAny(Buffer.from(bytes), signature, kserve),
  { runs: 300 },
);

// Nearly valid requests: the right keys with values of every kind, so decoding gets deep.
const LEAF = fc.oneof(
  fc.double(),
  fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 4 }),
  fc.constant({}),
);
const DATA = fc.oneof(
  fc.array(LEAF, { maxLength: 12 }),
  fc.array(fc.array(LEAF, { maxLength: 4 }), { maxLength: 4 }),
  fc.array(fc.array(fc.array(LEAF, { maxLength: 2 }), { maxLength: 2 }), { maxLength: 3 }),
  LEAF,
);
const DIM = fc.oneof(fc.integer({ min: -1, max: 6 }), fc.constantFrom(1e9, 2 ** 53, 0.5, "2", null));
const NAMES = ["x", "a", "b", "c", "size", "color", "ok", "features", "zz", "__proto__", "constructor"];
const KSERVE_INPUT = fc.record(
  {
    name: fc.oneof(fc.constantFrom(...NAMES), fc.integer()),
    shape: fc.oneof(fc.array(DIM, { maxLength: 4 }), LEAF),
    datatype: fc.constantFrom(...KSERVE_DATATYPES, "FP8", 3, null),
    data: DATA,
  },
  { requiredKeys: [] },
);
const KSERVE_LOOSE = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
    inputs: fc.oneof(fc.array(KSERVE_INPUT, { maxLength: 4 }), LEAF),
    outputs: fc.oneof(fc.array(fc.record({ name: fc.constantFrom("y", "p", "q", "r", "nope", 1) })), LEAF),
  },
  { requiredKeys: [] },
);
const INSTANCE = fc.oneof(
  DATA,
  fc.dictionary(fc.constantFrom(...NAMES), fc.oneof(DATA, LEAF), { maxKeys: 5 }),
);
const TF_LOOSE = fc.oneof(
  fc.record({ instances: fc.oneof(fc.array(INSTANCE, { maxLength: 5 }), LEAF) }, { requiredKeys: [] }),
  fc.record({ inputs: DATA }),
);

const DATATYPE = { float32: "FP32", float64: "FP64", int32: "INT32", bool: "BOOL" } as const;

/** Values a tensor of `dtype` holds exactly (float32 values for float32, ...). */
function element(dtype: TensorSpec["dtype"]): fc.Arbitrary<number | boolean> {
  switch (dtype) {
    case "float32":
      return fc.float({ noNaN: true, noDefaultInfinity: true });
    case "float64":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "int32":
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case "bool":
      return fc.boolean();
  }
}

/** Nests a flat row-major list into `shape`. */
function nest(values: readonly unknown[], shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const [first, ...rest] = shape;
  const stride = rest.reduce((p, d) => p * d, 1);
  return Array.from({ length: first! }, (_, i) => nest(values.slice(i * stride, (i + 1) * stride), rest));
}

/** Mostly `valid`, sometimes `invalid`: requests that decode, with a field broken now and then. */
const maybe = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: invalid });

const COLUMN_DATATYPE = { number: "FP64", string: "BYTES", boolean: "BOOL" } as const;
const columnValue = (type: "number" | "string" | "boolean"): fc.Arbitrary<unknown> =>
  maybe<unknown, unknown>(
    type === "number"
      ? fc.double({ noNaN: true, noDefaultInfinity: true })
      : type === "string"
        ? fc.string({ maxLength: 5 })
        : fc.boolean(),
    fc.oneof(fc.constant(null), LEAF),
  );

/** What one row of each input (or column) is made of, for a signature. */
function parts(signature: ServingSignature) {
  return signature.columns === null
    ? signature.inputs.map((spec) => ({
        name: spec.name,
        rowShape: spec.shape.slice(1),
        datatype: DATATYPE[spec.dtype] as string,
        value: maybe(element(spec.dtype), LEAF) as fc.Arbitrary<unknown>,
        perRow: rowSize(spec),
      }))
    : signature.columns.map((column) => ({
        name: column.name,
        rowShape: [] as number[],
        datatype: COLUMN_DATATYPE[column.type] as string,
        value: columnValue(column.type),
        perRow: 1,
      }));
}

/** KServe v2 bodies built valid for the signature, then broken in a field now and then. */
const KSERVE_BODY = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(KSERVE_LOOSE, SIGNATURE) },
  {
    weight: 3,
    arbitrary: fc.tuple(SIGNATURE, fc.integer({ min: 1, max: 4 })).chain(([signature, rows]) =>
      fc.tuple(
        fc.record({
          id: maybe(fc.string({ maxLength: 4 }), LEAF),
          inputs: maybe(
            fc.tuple(
              ...parts(signature).map((part) =>
                maybe(
                  fc.record({
                    name: maybe(fc.constant(part.name), fc.constantFrom(...NAMES)),
                    shape: maybe(fc.constant([rows, ...part.rowShape]), fc.array(DIM, { maxLength: 4 })),
                    datatype: maybe(fc.constant(part.datatype), fc.constantFrom(...KSERVE_DATATYPES)),
                    data: maybe(
                      fc.array(part.value, { minLength: rows * part.perRow, maxLength: rows * part.perRow }),
                      DATA,
                    ),
                  }),
                  KSERVE_INPUT,
                ),
              ),
            ),
            fc.array(KSERVE_INPUT, { maxLength: 3 }),
          ),
          outputs: maybe(
            fc.constant(undefined),
            fc.array(fc.record({ name: fc.constantFrom("y", "p", "q", "r", "nope") }), { maxLength: 3 }),
          ),
        }),
        fc.constant(signature),
      ),
    ),
  },
);

/** TF-Serving bodies built valid for the signature, then broken now and then. */
const TF_BODY = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(TF_LOOSE, SIGNATURE) },
  {
    weight: 3,
    arbitrary: SIGNATURE.chain((signature) => {
      const all = parts(signature);
      const row = fc.tuple(
        ...all.map((part) =>
          fc
            .array(part.value, { minLength: part.perRow, maxLength: part.perRow })
            .map((v) => nest(v, part.rowShape)),
        ),
      );
      const instance = row.map((values) =>
        all.length === 1 && signature.columns === null
          ? values[0]
          : Object.fromEntries(all.map((part, k) => [part.name, values[k]])),
      );
      return fc.tuple(
        fc.record({
          instances: maybe(fc.array(maybe(instance, INSTANCE), { minLength: 1, maxLength: 4 }), LEAF),
        }),
        fc.constant(signature),
      );
    }),
  },
);

fuzz(
  "KServe v2 bodies of nearly valid shape",
  KSERVE_BODY,
  ([body, signature]) => decodeAny(Buffer.from(JSON.stringify(body)), signature, true),
  { runs: 400 },
);

fuzz(
  "TF-Serving bodies of nearly valid shape",
  TF_BODY,
  ([body, signature]) => decodeAny(Buffer.from(JSON.stringify(body)), signature, false),
  { runs: 400 },
);

const asNumber = (v: number | boolean) => (typeof v === "boolean" ? (v ? 1 : 0) : v);

/** Exact equality of a typed array and the values sent (-0 arrives as 0: JSON has no -0). */
function assertSame(data: TypedArray, sent: readonly (number | boolean)[], what: string): void {
  assert.equal(data.length, sent.length, `${what}: length`);
  for (let i = 0; i < sent.length; i++)
    assert.ok(data[i] === asNumber(sent[i]!), `${what}[${i}]: ${data[i]} vs ${sent[i]}`);
}

/** A tensor signature, a row count and per input (and per output) the flat values. */
const TENSOR_CASE = fc
  .tuple(fc.constantFrom(TENSOR, MULTI), fc.integer({ min: 1, max: 5 }))
  .chain(([signature, rows]) =>
    fc.record({
      signature: fc.constant(signature),
      rows: fc.constant(rows),
      inputs: fc.tuple(
        ...signature.inputs.map((spec) =>
          fc.array(element(spec.dtype), { minLength: rows * rowSize(spec), maxLength: rows * rowSize(spec) }),
        ),
      ),
      outputs: fc.tuple(
        ...signature.outputs.map((spec) =>
          fc.array(element(spec.dtype), { minLength: rows * rowSize(spec), maxLength: rows * rowSize(spec) }),
        ),
      ),
      nested: fc.boolean(),
    }),
  );

function typed(spec: TensorSpec, values: readonly (number | boolean)[]): TypedArray {
  const out = new ARRAY_OF[spec.dtype](values.length);
  values.forEach((v, i) => {
    out[i] = asNumber(v);
  });
  return out;
}

fuzz(
  "KServe v2 round trip: request values in, typed arrays out; outputs back to JSON",
  TENSOR_CASE,
  ({ signature, rows, inputs, outputs, nested }) => {
    const body = {
      id: "r1",
      inputs: signature.inputs.map((spec, k) => {
        const shape = [rows, ...spec.shape.slice(1)];
        return {
          name: spec.name,
          shape,
          datatype: DATATYPE[spec.dtype],
          data: nested ? nest(inputs[k]!, shape) : inputs[k],
        };
      }),
    };
    const request = decodeKServeRequest(parseJsonBody(Buffer.from(JSON.stringify(body))), signature);
    assert.equal(request.item.kind, "tensors");
    assert.equal(request.item.rows, rows);
    signature.inputs.forEach((spec, k) => {
      assertSame((request.item as { inputs: TypedArray[] }).inputs[k]!, inputs[k]!, spec.name);
    });
    const response = JSON.parse(
      JSON.stringify(
        encodeKServeResponse(
          signature,
          request,
          signature.outputs.map((spec, k) => typed(spec, outputs[k]!)),
        ),
      ),
    );
    assert.equal(response.id, "r1");
    signature.outputs.forEach((spec, k) => {
      const out = response.outputs[k];
      assert.deepEqual(out.shape, [rows, ...spec.shape.slice(1)]);
      assert.equal(out.datatype, DATATYPE[spec.dtype]);
      assertSame(typed(spec, out.data), outputs[k]!, `output ${spec.name}`);
      if (spec.dtype === "bool") assert.ok(out.data.every((v: unknown) => typeof v === "boolean"));
    });
  },
  { runs: 200, typedErrorsPass: false },
);

fuzz(
  "TF-Serving round trip: instances in, typed arrays out; predictions back to JSON",
  TENSOR_CASE,
  ({ signature, rows, inputs, outputs }) => {
    const rowOf = (spec: TensorSpec, values: readonly unknown[], r: number) =>
      nest(values.slice(r * rowSize(spec), (r + 1) * rowSize(spec)), spec.shape.slice(1));
    const instances = Array.from({ length: rows }, (_, r) =>
      signature.inputs.length === 1
        ? rowOf(signature.inputs[0]!, inputs[0]!, r)
        : Object.fromEntries(signature.inputs.map((spec, k) => [spec.name, rowOf(spec, inputs[k]!, r)])),
    );
    const item = decodeTfServingRequest(parseJsonBody(Buffer.from(JSON.stringify({ instances }))), signature);
    assert.equal(item.kind, "tensors");
    assert.equal(item.rows, rows);
    for (const [k, spec] of signature.inputs.entries()) {
      assertSame((item as { inputs: TypedArray[] }).inputs[k]!, inputs[k]!, spec.name);
    }
    const { predictions } = JSON.parse(
      JSON.stringify(
        encodeTfServingResponse(
          signature,
          rows,
          signature.outputs.map((spec, k) => typed(spec, outputs[k]!)),
        ),
      ),
    ) as { predictions: unknown[] };
    assert.equal(predictions.length, rows);
    signature.outputs.forEach((spec, k) => {
      const flat = predictions.flatMap((p) => {
        const row = signature.outputs.length === 1 ? p : (p as Record<string, unknown>)[spec.name];
        return [row].flat(8) as (number | boolean)[];
      });
      assertSame(typed(spec, flat), outputs[k]!, `prediction ${spec.name}`);
    });
  },
  { runs: 200, typedErrorsPass: false },
);

fuzz(
  "TF-Serving raw records round trip for a model with columns",
  fc.array(
    fc.record({
      size: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
      color: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null)),
      ok: fc.oneof(fc.boolean(), fc.constant(null)),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  (records) => {
    const item = decodeTfServingRequest(
      parseJsonBody(Buffer.from(JSON.stringify({ instances: records }))),
      COLUMNS,
    );
    assert.equal(item.kind, "records");
    const expected = records.map((r) => ({ ...r, size: Object.is(r.size, -0) ? 0 : r.size }));
    assert.deepEqual((item as { records: unknown[] }).records, expected);
  },
  { runs: 200, typedErrorsPass: false },
);

fuzz(
  "path segments: percent-decoding gives the text or a 400, never another error",
  fc.tuple(fc.string({ unit: "grapheme", maxLength: 12 }), bytesFrom("%0123456789ABCDEFabcdef/:", 24)),
  ([text, junk]) => {
    assert.equal(decodeSegment(encodeURIComponent(text), "name"), text);
    const segment = Buffer.from(junk).toString("latin1");
    try {
      decodeSegment(segment, "name");
    } catch (error) {
      assert.equal((error as { status?: number }).status, 400);
      throw error;
    }
  },
  { runs: 300 },
);
