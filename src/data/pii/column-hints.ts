// data/pii/column-hints: what a column's name says about its content ("email", "date_of_birth",
// "zip", "gender"), for columns whose values alone do not give them away (names, postcodes, ages).
// Names are split into lowercase words at separators and camelCase humps. Layer: data.

/** Every kind of personal data the scan reports. */
export type PiiKind =
  | "email"
  | "phone"
  | "card"
  | "iban"
  | "ip"
  | "date_of_birth"
  | "name"
  | "address"
  | "postcode"
  | "national_id"
  | "age"
  | "special_category";

/**
 * How a kind identifies: "direct" on its own (remove, mask or pseudonymise it), "quasi" in
 * combination with others (generalise it and check k-anonymity), "sensitive" an attribute to
 * protect (GDPR special categories: check l-diversity, and fairness).
 */
export type PiiRole = "direct" | "quasi" | "sensitive";

export const PII_ROLE = {
  email: "direct",
  phone: "direct",
  card: "direct",
  iban: "direct",
  ip: "direct",
  name: "direct",
  address: "direct",
  national_id: "direct",
  date_of_birth: "quasi",
  postcode: "quasi",
  age: "quasi",
  special_category: "sensitive",
} as const satisfies Record<PiiKind, PiiRole>;

/** The lowercase words of a column name: "dateOfBirth" -> date, of, birth; "E-Mail" -> e, mail. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const PERSON_WORDS = new Set([
  "first",
  "last",
  "full",
  "given",
  "family",
  "middle",
  "maiden",
  "customer",
  "patient",
  "person",
  "contact",
  "client",
  "employee",
  "holder",
]);

/** Rules over the words of a name, tried in order; the first that matches gives the kind. */
const RULES: readonly (readonly [PiiKind, (words: string[], joined: string) => boolean])[] = [
  ["email", (w, j) => w.includes("email") || j.includes("email") || (w.includes("e") && w.includes("mail"))],
  [
    "phone",
    (w) => w.some((x) => ["phone", "telephone", "tel", "mobile", "cell", "fax", "msisdn"].includes(x)),
  ],
  [
    "card",
    (w, j) => j.includes("creditcard") || j.includes("cardnumber") || w.includes("pan") || w.includes("cc"),
  ],
  ["iban", (w) => w.includes("iban") || w.includes("bic")],
  ["ip", (w) => w.includes("ip") || w.includes("ipv4") || w.includes("ipv6")],
  [
    "date_of_birth",
    (w, j) => w.includes("dob") || w.includes("birth") || w.includes("born") || j.includes("birthday"),
  ],
  [
    "national_id",
    (w, j) =>
      ["ssn", "passport", "nino", "nhs", "sin", "tin", "aadhaar"].some((x) => w.includes(x)) ||
      j.includes("nationalid") ||
      j.includes("socialsecurity") ||
      j.includes("taxid"),
  ],
  ["postcode", (w) => w.some((x) => ["zip", "zipcode", "postcode", "postal", "plz"].includes(x))],
  ["address", (w) => w.some((x) => ["address", "street", "addr"].includes(x))],
  [
    "name",
    (w, j) =>
      ["surname", "forename", "firstname", "lastname", "fullname"].some((x) => j === x) ||
      (w.includes("name") && (w.length === 1 || w.some((x) => PERSON_WORDS.has(x)))),
  ],
  ["age", (w) => w.length === 1 && w[0] === "age"],
  [
    "special_category",
    (w) =>
      w.some((x) =>
        [
          "sex",
          "gender",
          "race",
          "ethnicity",
          "ethnic",
          "religion",
          "disability",
          "health",
          "diagnosis",
          "sexuality",
          "orientation",
          "union",
        ].includes(x),
      ),
  ],
];

/** The kind a column's name suggests, or null. */
export function kindFromName(name: string): PiiKind | null {
  const words = nameWords(name);
  const joined = words.join("");
  for (const [kind, rule] of RULES) if (rule(words, joined)) return kind;
  return null;
}
