// cli/json-schema-check: validates JSON against the subset of JSON Schema (draft 2020-12) that the
// CLI's schemas use, fills in their "default"s, and words each violation for a person:
// "fit.epochs: must be an integer >= 1 (got 0)". Keywords: type, enum, const, minimum,
// exclusiveMinimum, maximum, exclusiveMaximum, minLength, pattern, properties, required,
// additionalProperties (a boolean), items, anyOf, default; annotations (title, description, $id,
// $schema) are ignored. A schema using any other keyword is refused, so the subset cannot be
// outgrown silently.
import { ConfigError } from "../core/errors.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../io/strict-json.js";

type SchemaType = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";
type Scalar = string | number | boolean | null;
type ReadonlyJson = Scalar | readonly ReadonlyJson[] | { readonly [key: string]: ReadonlyJson };

export interface Schema {
  readonly type?: SchemaType | readonly SchemaType[];
  readonly enum?: readonly Scalar[];
  readonly const?: Scalar;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly properties?: { readonly [key: string]: Schema };
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly default?: ReadonlyJson;
  readonly title?: string;
  readonly description?: string;
  readonly $id?: string;
  readonly $schema?: string;
}

const KEYWORDS = new Set([
  ..."type enum const minimum exclusiveMinimum maximum exclusiveMaximum minLength pattern".split(" "),
  ..."properties required additionalProperties items anyOf default title description $id $schema".split(" "),
]);

class Violation extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

const shown = (value: JsonValue): string => {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

function typesOf(schema: Schema): readonly SchemaType[] {
  if (schema.type === undefined) return [];
  return typeof schema.type === "string" ? [schema.type] : schema.type;
}

function hasType(value: JsonValue, type: SchemaType): boolean {
  switch (type) {
    case "object":
      return isJsonObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

/** " >= 1", " in (0, 1)", or "" without bounds. */
function bounds(schema: Schema): string {
  const low =
    schema.exclusiveMinimum !== undefined
      ? { open: true, at: schema.exclusiveMinimum }
      : schema.minimum !== undefined
        ? { open: false, at: schema.minimum }
        : null;
  const high =
    schema.exclusiveMaximum !== undefined
      ? { open: true, at: schema.exclusiveMaximum }
      : schema.maximum !== undefined
        ? { open: false, at: schema.maximum }
        : null;
  if (low !== null && high !== null)
    return ` in ${low.open ? "(" : "["}${low.at}, ${high.at}${high.open ? ")" : "]"}`;
  if (low !== null) return ` ${low.open ? ">" : ">="} ${low.at}`;
  if (high !== null) return ` ${high.open ? "<" : "<="} ${high.at}`;
  return "";
}

/** What the schema accepts, in words: "an integer >= 1", "a non-empty string or null". */
export function describeSchema(schema: Schema): string {
  if (schema.anyOf !== undefined) return schema.anyOf.map(describeSchema).join(" or ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum !== undefined) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  const words = typesOf(schema).map((type) => {
    switch (type) {
      case "string":
        if ((schema.minLength ?? 0) > 1) return `a string of ${schema.minLength}+ characters`;
        return schema.minLength === 1 ? "a non-empty string" : "a string";
      case "integer":
        return `an integer${bounds(schema)}`;
      case "number":
        return `a number${bounds(schema)}`;
      case "boolean":
        return "true or false";
      case "null":
        return "null";
      case "object":
        return schema.required?.length
          ? `an object with ${schema.required.map((k) => `"${k}"`).join(", ")}`
          : "an object";
      case "array":
        return schema.items === undefined
          ? "an array"
          : `an array of ${plural(describeSchema(schema.items))}`;
      default:
        return type satisfies never;
    }
  });
  return words.length === 0 ? "any JSON value" : words.join(" or ");
}

/** "a non-empty string" -> "non-empty strings", "an integer >= 1" -> "integers >= 1". */
const plural = (words: string): string => words.replace(/^an? ((?:non-empty )?)(\w+)/, "$1$2s");

const child = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);
const mutable = (value: ReadonlyJson): JsonValue => structuredClone(value) as JsonValue;

function check(value: JsonValue, schema: Schema, path: string): JsonValue {
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key))
      throw new Error(`json-schema-check: unsupported keyword "${key}" at ${path || "(root)"}`);
  }
  const where = path === "" ? "(root)" : path;
  if (schema.anyOf !== undefined) return checkAnyOf(value, schema, schema.anyOf, path);
  const mismatch = () => new Violation(where, `must be ${describeSchema(schema)} (got ${shown(value)})`);
  if (schema.const !== undefined && value !== schema.const) throw mismatch();
  if (schema.enum !== undefined && !schema.enum.includes(value as Scalar)) throw mismatch();
  const types = typesOf(schema);
  if (types.length > 0 && !types.some((t) => hasType(value, t))) throw mismatch();
  if (typeof value === "number") {
    const { minimum: min, exclusiveMinimum: xmin, maximum: max, exclusiveMaximum: xmax } = schema;
    if (
      (min !== undefined && value < min) ||
      (xmin !== undefined && value <= xmin) ||
      (max !== undefined && value > max) ||
      (xmax !== undefined && value >= xmax)
    )
      throw mismatch();
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) throw mismatch();
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
      throw new Violation(where, `must match /${schema.pattern}/ (got ${shown(value)})`);
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    return value.map((v, i) => check(v, items, `${path}[${i}]`));
  }
  if (isJsonObject(value)) return checkObject(value, schema, path);
  return value;
}

function checkObject(value: JsonObject, schema: Schema, path: string): JsonObject {
  const properties = schema.properties ?? {};
  const known = Object.keys(properties);
  if (schema.additionalProperties === false) {
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(properties, key))
        throw new Violation(child(path, key), `unknown field (expected one of ${known.join(", ")})`);
    }
  }
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key)) throw new Violation(child(path, key), "is required");
  }
  // Entries, then Object.fromEntries: a key "__proto__" stays an own field instead of setting the
  // result's prototype (an assignment would drop it).
  const entries: [string, JsonValue][] = Object.entries(value).map(([key, item]) => {
    const sub = Object.hasOwn(properties, key) ? properties[key] : undefined;
    return [key, sub === undefined ? item : check(item, sub, child(path, key))];
  });
  for (const key of known) {
    const sub = properties[key]!;
    if (!Object.hasOwn(value, key) && sub.default !== undefined)
      entries.push([key, check(mutable(sub.default), sub, child(path, key))]);
  }
  return Object.fromEntries(entries) as JsonObject;
}

function checkAnyOf(value: JsonValue, schema: Schema, branches: readonly Schema[], path: string): JsonValue {
  const failures: Violation[] = [];
  for (const branch of branches) {
    try {
      return check(value, branch, path);
    } catch (error) {
      if (!(error instanceof Violation)) throw error;
      failures.push(error);
    }
  }
  // One branch for this kind of value that holds fields (an object with "type"): its own, more
  // precise error ("compile.optimizer.type: is required").
  const sameType = branches
    .map((b, i) => ({ b, error: failures[i]! }))
    .filter(({ b }) => typesOf(b).some((t) => hasType(value, t)));
  if (sameType.length === 1 && (isJsonObject(value) || Array.isArray(value))) throw sameType[0]!.error;
  throw new Violation(
    path === "" ? "(root)" : path,
    `must be ${describeSchema(schema)} (got ${shown(value)})`,
  );
}

/**
 * Checks `value` against `schema` and returns a copy with the schema's defaults filled in.
 * Violations are ConfigErrors "<where>: <json path>: <problem>".
 * @example
 * checkJson({ fit: { epochs: 0 } }, SPEC_SCHEMA, "spec.json"); // ConfigError "spec.json: data: is required"
 */
export function checkJson(value: JsonValue, schema: Schema, where: string): JsonValue {
  try {
    return check(value, schema, "");
  } catch (error) {
    if (error instanceof Violation) throw new ConfigError(`${where}: ${error.path}: ${error.problem}`);
    throw error;
  }
}
