// core/config: the small helpers every configurable thing shares: one description of a value for
// error messages, one name normaliser (how "glorot_uniform", "glorotUniform" and "GlorotUniform"
// become one key), Keras's snake_case, and the "did you mean" for an unknown name. Layer: core.

/**
 * A short description of a value for error messages, as it appears after "got":
 * `"adma"`, `-1`, `null`, `[2,3]`, `an array of 40`, `Float32Array(6)`, `Tensor of shape [2,3]`,
 * `an object`, `function relu`.
 * @example
 * `getLoss: expected a loss name (got ${describe(spec)})`;
 */
export function describe(value: unknown): string {
  return describeAt(value, 0);
}

/** describe() inside a list: nesting deeper than two shows as "an array of n". */
function describeAt(value: unknown, depth: number): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return value.name === "" ? "a function" : `function ${value.name}`;
  }
  if (Array.isArray(value)) {
    // short lists (a shape, an axis list) are worth showing whole
    if (value.length <= 8 && depth < 2) return `[${value.map((v) => describeAt(v, depth + 1)).join(",")}]`;
    return `an array of ${value.length}`;
  }
  const className = constructorName(value);
  if (ArrayBuffer.isView(value)) {
    const length = (value as { length?: unknown }).length;
    return typeof length === "number" ? `${className}(${length})` : className;
  }
  const shape = (value as { shape?: unknown }).shape;
  if (className !== "" && Array.isArray(shape)) return `${className} of shape [${shape.join(",")}]`;
  return className === "" ? "an object" : className;
}

/** A plain record: an object that is not an array or a typed array (a config, an options bag). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** The class name of an instance, or "" for a plain object (or one without a prototype). */
function constructorName(value: object): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return "";
  const ctor = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === "function" && ctor.name !== "" && ctor.name !== "Object" ? ctor.name : "";
}

/**
 * The key a name is looked up by: underscores dropped, lowercase, so that snake_case, camelCase and
 * PascalCase spellings compare equal: "glorot_uniform", "glorotUniform" -> "glorotuniform".
 */
export function normalizeName(name: string): string {
  return name.replaceAll("_", "").toLowerCase();
}

/** Keras to_snake_case: "BatchNormalization" -> "batch_normalization", "Conv2D" -> "conv2d". */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/**
 * The known name closest to `name` (compared normalised), when it is close enough to be a typo:
 * at most one edit for short names, a third of the length for long ones.
 * @example
 * closestName("adma", ["sgd", "adam"]); // "adam"
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const target = normalizeName(name);
  const limit = Math.max(1, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(target, normalizeName(candidate), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edit distance counting a swap of neighbours as one edit, or `cap` once it must reach it. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2]! + 1);
      }
      row.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= cap) return cap;
    before = previous;
    previous = row;
  }
  return Math.min(previous[b.length]!, cap);
}

/**
 * The tail of an "unknown name" error: `(expected one of a, b, c; did you mean "b"?)`.
 * @example
 * `getOptimizer: unknown optimizer "adma" ${expectedOneOf("adma", ["sgd", "adam"])}`;
 */
export function expectedOneOf(name: string, known: readonly string[]): string {
  const guess = closestName(name, known);
  const hint = guess === undefined ? "" : `; did you mean "${guess}"?`;
  return `(expected one of ${known.join(", ")}${hint})`;
}
