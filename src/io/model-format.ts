// io/model-format: the model directory format (ARCHITECTURE section 5) and the validation of
// model.json. A model directory holds
//   model.json           {"format": "tessera-model", "version": 1, architecture, weights manifest,
//                         training (compile) config, preprocessing state, signature, metrics, metadata}
//   weights.safetensors  every weight by its stable path ("dense_1/kernel")
//   optimizer.safetensors and checkpoint.json (checkpoints only) to resume training exactly.
// Everything read from model.json is validated here field by field; errors name the file and the
// JSON path of the offending field.
import { type DType, isDType } from "../core/dtype.js";
import { FormatError } from "../core/errors.js";
import { type ColumnKind, isColumnKind } from "../data/table/column.js";
import { type ModelCard, validateCard } from "./model-card.js";
import { isJsonObject, type JsonObject, type JsonValue } from "./strict-json.js";

export const MODEL_FORMAT = "tessera-model";
/** The newest model.json version this code reads and the one it writes. */
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_JSON = "model.json";
export const WEIGHTS_FILE = "weights.safetensors";
export const OPTIMIZER_FILE = "optimizer.safetensors";
export const CHECKPOINT_JSON = "checkpoint.json";
/** Files a model directory may hold; saving over a directory with anything else is refused. */
export const MODEL_DIR_FILES = [MODEL_JSON, WEIGHTS_FILE, OPTIMIZER_FILE, CHECKPOINT_JSON] as const;

/** One tensor of the signature; null in a shape is a size known only at run time (the batch). */
export interface TensorSignature {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly (number | null)[];
}

/** A raw input column, before preprocessing. */
export interface ColumnSignature {
  readonly name: string;
  /** The JSON type a value takes (null is always accepted as missing). */
  readonly type: "number" | "string" | "boolean";
  /** The data toolkit column kind it had in training (so records rebuild the same Table). */
  readonly kind?: ColumnKind;
}

export interface ModelSignature {
  readonly inputs: readonly TensorSignature[];
  readonly outputs: readonly TensorSignature[];
  /** Raw columns the preprocessing takes (null when the model takes tensors only). */
  readonly columns: readonly ColumnSignature[] | null;
  /** Target column name(s) the model was trained to predict, when known. */
  readonly target: readonly string[] | null;
  /** Class names in output order, for classifiers trained on labels. */
  readonly labels: readonly string[] | null;
}

export interface WeightsManifest {
  readonly file: string;
  /** Hex SHA-256 of the whole weights file: a corrupted or mismatched file is caught on load. */
  readonly sha256: string;
  readonly bytes: number;
  readonly tensors: readonly {
    readonly name: string;
    readonly dtype: DType;
    readonly shape: readonly number[];
  }[];
}

export interface ModelFile {
  readonly format: typeof MODEL_FORMAT;
  readonly version: number;
  readonly architecture: { readonly className: string; readonly config: JsonObject };
  readonly weights: WeightsManifest;
  /** compile() options in JSON form (optimizer config, loss, metrics), or null if never compiled. */
  readonly training: JsonObject | null;
  /** The fitted preprocessing pipeline's state (data toolkit toJSON), or null. */
  readonly preprocessing: JsonValue | null;
  readonly signature: ModelSignature;
  /** Final training/evaluation metrics (name -> value; null where not finite). */
  readonly metrics: Readonly<Record<string, number | null>> | null;
  /** Creation metadata: createdAt, tessera version, node version, backend, and the caller's own keys. */
  readonly metadata: JsonObject;
  /** The model card (model-card.ts), or null when none was written. */
  readonly card: ModelCard | null;
}

/** Validation helpers that throw FormatError `<file>: "<path>" <problem>`. */
class Checker {
  constructor(readonly where: string) {}
  fail(path: string, problem: string): never {
    throw new FormatError(`${this.where}: "${path}" ${problem}`);
  }
  object(value: JsonValue | undefined, path: string): JsonObject {
    if (!isJsonObject(value)) this.fail(path, `must be an object`);
    return value as JsonObject;
  }
  array(value: JsonValue | undefined, path: string): JsonValue[] {
    if (!Array.isArray(value)) this.fail(path, "must be an array");
    return value as JsonValue[];
  }
  string(value: JsonValue | undefined, path: string): string {
    if (typeof value !== "string") this.fail(path, "must be a string");
    return value as string;
  }
  dtype(value: JsonValue | undefined, path: string): DType {
    if (typeof value !== "string" || !isDType(value))
      this.fail(path, `must be one of float32, float64, int32, bool`);
    return value as DType;
  }
  dims(value: JsonValue | undefined, path: string, allowNull: boolean): (number | null)[] {
    const list = this.array(value, path);
    return list.map((d, i) => {
      if (d === null && allowNull) return null;
      if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
        this.fail(`${path}[${i}]`, `must be a non-negative integer${allowNull ? " or null" : ""}`);
      }
      return d as number;
    });
  }
  stringList(value: JsonValue | undefined, path: string): string[] {
    return this.array(value, path).map((v, i) => this.string(v, `${path}[${i}]`));
  }
}

function tensorSignatures(c: Checker, value: JsonValue | undefined, path: string): TensorSignature[] {
  return c.array(value, path).map((entry, i) => {
    const at = `${path}[${i}]`;
    const o = c.object(entry, at);
    return {
      name: c.string(o.name, `${at}.name`),
      dtype: c.dtype(o.dtype, `${at}.dtype`),
      shape: c.dims(o.shape, `${at}.shape`, true),
    };
  });
}

/** Validates parsed model.json content; `where` is the file path for messages. */
export function validateModelFile(value: JsonValue, where: string): ModelFile {
  const c = new Checker(where);
  const root = c.object(value, "(root)");
  if (root.format !== MODEL_FORMAT) {
    c.fail(
      "format",
      `must be "${MODEL_FORMAT}" (got ${JSON.stringify(root.format ?? null)}); this is not a Tessera model file`,
    );
  }
  const version = root.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
    c.fail("version", "must be a positive integer");
  if ((version as number) > MODEL_FORMAT_VERSION) {
    c.fail(
      "version",
      `is ${version}, newer than the format version ${MODEL_FORMAT_VERSION} this Tessera reads; upgrade Tessera to load this model`,
    );
  }
  const architecture = c.object(root.architecture, "architecture");
  const className = c.string(architecture.className, "architecture.className");
  const config = c.object(architecture.config, "architecture.config");

  const weights = c.object(root.weights, "weights");
  const file = c.string(weights.file, "weights.file");
  if (file !== WEIGHTS_FILE) c.fail("weights.file", `must be "${WEIGHTS_FILE}"`);
  const sha256 = c.string(weights.sha256, "weights.sha256");
  if (!/^[0-9a-f]{64}$/.test(sha256)) c.fail("weights.sha256", "must be 64 lowercase hex digits");
  const bytes = weights.bytes;
  if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < 8)
    c.fail("weights.bytes", "must be an integer >= 8");
  const tensors = c.array(weights.tensors, "weights.tensors").map((entry, i) => {
    const at = `weights.tensors[${i}]`;
    const o = c.object(entry, at);
    return {
      name: c.string(o.name, `${at}.name`),
      dtype: c.dtype(o.dtype, `${at}.dtype`),
      shape: c.dims(o.shape, `${at}.shape`, false) as number[],
    };
  });

  const training =
    root.training === null || root.training === undefined ? null : c.object(root.training, "training");
  const signatureObject = c.object(root.signature, "signature");
  const columns =
    signatureObject.columns === null || signatureObject.columns === undefined
      ? null
      : c.array(signatureObject.columns, "signature.columns").map((entry, i) => {
          const at = `signature.columns[${i}]`;
          const o = c.object(entry, at);
          const type = o.type;
          if (type !== "number" && type !== "string" && type !== "boolean")
            c.fail(`${at}.type`, `must be "number", "string" or "boolean"`);
          const kind = o.kind;
          if (kind !== undefined && !isColumnKind(kind))
            c.fail(`${at}.kind`, "must be a column kind (float, int, bool, string, date)");
          const name = c.string(o.name, `${at}.name`);
          return kind === undefined
            ? { name, type: type as ColumnSignature["type"] }
            : { name, type: type as ColumnSignature["type"], kind: kind as ColumnKind };
        });
  const optionalList = (v: JsonValue | undefined, path: string) =>
    v === null || v === undefined ? null : c.stringList(v, path);
  const signature: ModelSignature = {
    inputs: tensorSignatures(c, signatureObject.inputs, "signature.inputs"),
    outputs: tensorSignatures(c, signatureObject.outputs, "signature.outputs"),
    columns,
    target: optionalList(signatureObject.target, "signature.target"),
    labels: optionalList(signatureObject.labels, "signature.labels"),
  };
  let metrics: Record<string, number | null> | null = null;
  if (root.metrics !== null && root.metrics !== undefined) {
    const entries = Object.entries(c.object(root.metrics, "metrics"));
    for (const [key, v] of entries) {
      if (v !== null && typeof v !== "number") c.fail(`metrics.${key}`, "must be a number or null");
    }
    // Object.fromEntries makes own properties: a metric named "__proto__" is kept, not swallowed.
    metrics = Object.fromEntries(entries) as Record<string, number | null>;
  }
  const metadata = root.metadata === undefined ? ({} as JsonObject) : c.object(root.metadata, "metadata");
  return {
    format: MODEL_FORMAT,
    version: version as number,
    architecture: { className, config },
    weights: { file, sha256, bytes: bytes as number, tensors },
    training,
    preprocessing: root.preprocessing ?? null,
    signature,
    metrics,
    metadata,
    card: validateCard(root.card, where),
  };
}
