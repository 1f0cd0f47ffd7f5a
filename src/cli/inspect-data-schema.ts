// cli/inspect-data-schema: the JSON Schema (draft 2020-12) of `tessera inspect-data --json`
// (data/pii/scan's PiiColumnReport per column and responsible/privacy-risk's report), listed in
// result-schemas.ts's RESULT_SCHEMAS and written to schema/inspect-data-result.schema.json.

const count = { type: "integer", minimum: 0 } as const;

const column = {
  type: "object",
  additionalProperties: false,
  required: ["column", "kind", "role", "evidence", "matchRate", "sampled", "examples"],
  properties: {
    column: { type: "string" },
    kind: {
      enum: [
        "email",
        "phone",
        "card",
        "iban",
        "ip",
        "date_of_birth",
        "name",
        "address",
        "postcode",
        "national_id",
        "age",
        "special_category",
        null,
      ],
      description: "The kind of personal data the column holds; null when nothing points to any.",
    },
    role: {
      enum: ["direct", "quasi", "sensitive", null],
      description:
        "direct: identifies on its own; quasi: identifies in combination (k-anonymity); sensitive: an attribute to protect (l-diversity).",
    },
    evidence: {
      enum: ["values", "name", "values+name", null],
      description: "What gave the kind away: the sampled values, the column name, or both.",
    },
    matchRate: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "Share of sampled present values recognised as the kind (0 when only the name speaks).",
    },
    sampled: { ...count, description: "Present values sampled (evenly spaced rows)." },
    examples: { type: "array", items: { type: "string" }, description: "Distinct sampled values, masked." },
  },
} as const;

const privacy = {
  anyOf: [
    { type: "null" },
    {
      type: "object",
      additionalProperties: false,
      required: [
        "quasiIdentifiers",
        "rows",
        "classes",
        "smallestClass",
        "k",
        "kAnonymous",
        "violatingClasses",
        "violatingRows",
        "violations",
        "l",
        "lDiversity",
      ],
      properties: {
        quasiIdentifiers: { type: "array", items: { type: "string" } },
        rows: count,
        classes: { ...count, description: "Equivalence classes: rows sharing every quasi-identifier." },
        smallestClass: { ...count, description: "The k the data achieves." },
        k: { type: "integer", minimum: 1 },
        kAnonymous: { type: "boolean" },
        violatingClasses: count,
        violatingRows: count,
        violations: {
          type: "array",
          description: "The smallest classes under k, smallest first (at most 20).",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["values", "size"],
            properties: {
              values: { type: "object", additionalProperties: { type: "string" } },
              size: { type: "integer", minimum: 1 },
            },
          },
        },
        l: { type: "integer", minimum: 1 },
        lDiversity: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["sensitive", "l", "entropyL", "classesBelowL", "rowsBelowL"],
            properties: {
              sensitive: { type: "string" },
              l: { ...count, description: "Fewest distinct sensitive values in a class." },
              entropyL: {
                type: "number",
                minimum: 0,
                description: "exp of the smallest class entropy (nats).",
              },
              classesBelowL: count,
              rowsBelowL: count,
            },
          },
        },
      },
    },
  ],
  description: "k-anonymity and l-diversity over the quasi-identifiers; null when there are none.",
} as const;

export const INSPECT_DATA_RESULT_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://unpkg.com/tessera-ml/schema/inspect-data-result.schema.json",
  title: "tessera inspect-data --json",
  type: "object",
  additionalProperties: false,
  required: ["command", "version", "backend", "backendDetail", "file", "rows", "columns", "privacy"],
  properties: {
    command: { const: "inspect-data" },
    version: { type: "string", description: "Tessera's version." },
    backend: { enum: ["native", "wasm", "reference"] },
    backendDetail: { type: "string" },
    file: { type: "string", description: "The data file as given." },
    rows: count,
    columns: { type: "array", items: column, description: "One entry per column, in file order." },
    privacy,
  },
} as const;
