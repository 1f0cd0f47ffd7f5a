// data/pii/detectors: recognisers for single values that identify a person, each a cheap pattern
// plus the checksum the format carries where it has one, and the masks used to show examples.
// - email: local@domain with a dotted domain and an alphabetic top-level label;
// - phone: E.164 (+ and 7-15 digits) or a national number with separators or a trunk 0
//   ("(555) 123-4567", "020 7946 0958", "06 12 34 56 78"); dates are not phones;
// - card: 13-19 digits (spaces or dashes allowed), a known issuer prefix and the Luhn checksum;
// - iban: country letters, check digits, 11-30 alphanumerics, ISO 13616 mod-97 == 1;
// - ip: dotted IPv4 (no leading zeros), IPv6 with at most one "::" and an optional IPv4 tail.
// Layer: data.

/** What a value can be recognised as. */
export type ValueKind = "email" | "phone" | "card" | "iban" | "ip";

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value) && !value.startsWith(".") && !value.includes("..");
}

/** The digits of a value made of digits and the separators in `allowed`, or null. */
function digitsOnly(value: string, allowed: RegExp): string | null {
  if (!allowed.test(value)) return null;
  return value.replace(/\D/g, "");
}

/** Luhn checksum (ISO/IEC 7812): doubling every second digit from the right, sum % 10 == 0. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

// Issuer prefixes: Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, Discover 6011/65/644-649,
// JCB 3528-3589, Diners 36/38/300-305, UnionPay 62, Maestro 50/56-58/6304/67.
const CARD_PREFIX = /^(?:4|5[0-8]|2[2-7]|3[0-8]|6[0-7])/;

export function isCardNumber(value: string): boolean {
  const digits = digitsOnly(value.trim(), /^\d(?:[ -]?\d){12,18}$/);
  return digits !== null && CARD_PREFIX.test(digits) && luhnValid(digits);
}

/** ISO 13616 check: move the first four characters to the end, letters to 10..35, mod 97 == 1. */
export function ibanValid(compact: string): boolean {
  const moved = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return remainder === 1;
}

export function isIban(value: string): boolean {
  const compact = value.replace(/ /g, "").toUpperCase();
  return /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact) && ibanValid(compact);
}

const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;

export function isPhone(value: string): boolean {
  const v = value.trim();
  if (DATE_LIKE.test(v)) return false;
  const digits = digitsOnly(v, /^\+?(?:\(\d{1,5}\)|\d)(?:[ .-]?(?:\(\d{1,5}\)|\d))*$/);
  if (digits === null || digits.length < 7 || digits.length > 15) return false;
  if (v.startsWith("+")) return digits[0] !== "0";
  // A bare run of digits is a number, not a phone, unless it starts with a trunk 0.
  const separated = /[ .()-]/.test(v);
  return separated ? /\d[ .-]?\d{2,}[ .-]\d{2,}/.test(v) || v.includes("(") : v.startsWith("0");
}

export function isIpv4(value: string): boolean {
  const parts = value.split(".");
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIpv6(value: string): boolean {
  if (!value.includes(":") || value.length > 45) return false;
  const halves = value.split("::");
  if (halves.length > 2) return false;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const all = halves.flatMap(groups);
  let count = all.length;
  const last = all.at(-1);
  if (last?.includes(".")) {
    if (!isIpv4(last)) return false;
    all.pop();
    count += 1; // an IPv4 tail fills two groups
  }
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

export function isIp(value: string): boolean {
  const v = value.trim();
  return isIpv4(v) || isIpv6(v);
}

/** Recognisers in the order a value is tried (checksums before looser patterns). */
export const VALUE_DETECTORS: readonly (readonly [ValueKind, (value: string) => boolean])[] = [
  ["email", isEmail],
  ["iban", isIban],
  ["card", isCardNumber],
  ["ip", isIp],
  ["phone", isPhone],
];

/** The kind a single value is recognised as, or null. */
export function detectValue(value: string): ValueKind | null {
  const v = value.trim();
  if (v.length < 3) return null;
  for (const [kind, test] of VALUE_DETECTORS) if (test(v)) return kind;
  return null;
}

const stars = (n: number) => "*".repeat(Math.max(n, 1));

/** Keeps the last `keep` digits of a value and stars every other digit (separators stay). */
export function maskDigits(value: string, keep: number): string {
  let seen = 0;
  const total = value.replace(/\D/g, "").length;
  return value.replace(/\d/g, (d) => (++seen > total - keep ? d : "*"));
}

/** A value with enough hidden to show its shape but not the person. */
export function maskValue(kind: string, value: string): string {
  const v = value.trim();
  switch (kind) {
    case "email": {
      const at = v.lastIndexOf("@");
      const domain = v.slice(at + 1);
      const dot = domain.lastIndexOf(".");
      return `${v[0]}${stars(at - 1)}@${domain[0]}${stars(dot - 1)}${domain.slice(dot)}`;
    }
    case "card":
      return maskDigits(v, 4);
    case "phone":
      return maskDigits(v, 2);
    case "iban":
      return `${v.slice(0, 4)}${v.slice(4, -4).replace(/[A-Za-z0-9]/g, "*")}${v.slice(-4)}`;
    case "ip":
      return isIpv4(v) ? `${v.split(".")[0]}.*.*.*` : `${v.split(":")[0]}:****`;
    case "date_of_birth":
      return v.length >= 4 ? `${v.slice(0, 4)}${v.slice(4).replace(/\d/g, "*")}` : stars(v.length);
    default:
      return v.length <= 1 ? "*" : `${v[0]}${stars(v.length - 1)}`;
  }
}
