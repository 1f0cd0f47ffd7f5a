// data/table/cell-parse: reading one text cell as a typed value (shared by Column.cast and the
// CSV reader). Every function returns NaN when the text does not fit. Layer: data.
import type { ColumnKind } from "./column.js";

const SPECIALS = new Map([
  ["inf", Number.POSITIVE_INFINITY],
  ["+inf", Number.POSITIVE_INFINITY],
  ["-inf", Number.NEGATIVE_INFINITY],
  ["infinity", Number.POSITIVE_INFINITY],
  ["+infinity", Number.POSITIVE_INFINITY],
  ["-infinity", Number.NEGATIVE_INFINITY],
]);

/** A float from decimal text (also "inf"), or NaN if the text is not a plain decimal number. */
export function parseFloatCell(text: string): number {
  const v = +text;
  if (v !== v) return SPECIALS.get(text.trim().toLowerCase()) ?? Number.NaN;
  if (v === 0 && text.trim() === "") return Number.NaN;
  // Number() also reads hex/octal/binary literals ("0x1f"); a CSV number never means those.
  if (text.length > 2) {
    const second = text.charCodeAt(1) | 32;
    if (text.charCodeAt(0) === 48 && (second === 120 || second === 111 || second === 98)) return Number.NaN;
  }
  return v;
}

/** An integer from text without a decimal point or exponent, or NaN. */
export function parseIntCell(text: string): number {
  const v = parseFloatCell(text);
  if (!Number.isSafeInteger(v)) return Number.NaN;
  if (text.includes(".") || text.includes("e") || text.includes("E")) return Number.NaN;
  return v;
}

/** 1/0 for true/false in any case, or NaN. */
export function parseBoolCell(text: string): number {
  const t = text.length === 4 || text.length === 5 ? text.toLowerCase() : text.trim().toLowerCase();
  return t === "true" ? 1 : t === "false" ? 0 : Number.NaN;
}

const ISO_DATE =
  /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?\s*$/;

/** Epoch milliseconds from an ISO 8601 date or date-time (no zone = UTC), or NaN. */
export function parseDateCell(text: string): number {
  const m = ISO_DATE.exec(text);
  if (m === null) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const day = Number(d);
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  let t = Date.UTC(Number(y), Number(mo) - 1, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms);
  const back = new Date(t);
  if (back.getUTCDate() !== day || back.getUTCMonth() !== Number(mo) - 1) return Number.NaN; // Feb 30
  if (zone !== undefined && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

/** Parses text as a value of a numeric-storage kind (NaN when it does not fit). */
export function parseAs(kind: Exclude<ColumnKind, "string">, text: string): number {
  switch (kind) {
    case "float":
      return parseFloatCell(text);
    case "int":
      return parseIntCell(text);
    case "bool":
      return parseBoolCell(text);
    case "date":
      return parseDateCell(text);
  }
}
