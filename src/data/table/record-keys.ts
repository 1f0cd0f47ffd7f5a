// data/table/record-keys: reading and writing a record's fields by name when the name may be any
// string, including "__proto__", "constructor" or "toString". A plain `record[name]` reads
// Object.prototype's members for such names (a record without a "constructor" key would seem to
// hold a function) and `out["__proto__"] = v` sets the prototype instead of adding a field, so the
// column vanishes. Layer: data.

/** The record's own value under `name` (undefined when the record has no such key). */
export function ownValue(record: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Sets `name` as an own, enumerable field of `out`, whatever the name. */
export function setOwnValue<T>(out: Record<string, T>, name: string, value: T): void {
  if (name === "__proto__") {
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[name] = value;
  }
}
