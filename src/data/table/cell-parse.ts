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
  // Number() also reads hex/octal/binary literals ("0x1f", also after spaces: " 0x1f"); a CSV
  // number never means those.
  const literal = text.charCodeAt(0) <= 32 ? text.trimStart() : text;
  if (literal.length > 2) {
    const second = literal.charCodeAt(1) | 32;
    if (literal.charCodeAt(0) === 48 && (second === 120 || second === 111 || second === 98))
      return Number.NaN;
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

function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** Epoch milliseconds from an ISO 8601 date or date-time (no zone = UTC), or NaN. */
export function parseDateCell(text: string): number {
  if (text.length === 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
    // Fast path for the common YYYY-MM-DD.
    const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
    const month = digit(text, 5) * 10 + digit(text, 6);
    const day = digit(text, 8) * 10 + digit(text, 9);
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return Number.NaN;
    return daysFromCivil(year, month, day) * 86_400_000;
  }
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
