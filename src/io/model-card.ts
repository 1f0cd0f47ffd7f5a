// io/model-card: the model card (Mitchell et al. 2019, "Model Cards for Model Reporting") kept in
// model.json's top-level "card" field. Authors give what only they know (description, intended and
// out-of-scope uses, the data in words, limitations, ethical considerations, fairness figures);
// save fills the rest from what the file already records, so it cannot drift from the model:
// metrics from "metrics", the privacy guarantee from metadata.privacy (DP-SGD's epsilon and delta),
// and the data's columns, target and classes from the signature.
//
// Why a field of its own rather than metadata.card: metadata is free-form (the caller's keys are
// merged in unchecked), while a card is validated field by field on save and on load like the rest
// of model.json, so a card that loads is one `tessera inspect` can print. Files without a card
// load as before (card: null); readers that predate it ignore the field.
import { FormatError, ValueError } from "../core/errors.js";
import type { ModelFile } from "./model-format.js";
import { isJsonObject, type JsonObject, type JsonValue } from "./strict-json.js";

/** What an author writes in a card (every field optional). */
export interface ModelCardInput {
  /** What the model does, in a sentence or two. */
  readonly description?: string;
  /** Who should use it, for what. */
  readonly intendedUse?: string;
  /** Uses it was not built or checked for. */
  readonly outOfScope?: string;
  readonly owners?: readonly string[];
  readonly license?: string;
  /** The training and evaluation data in words (source, period, population, rows). */
  readonly data?: { readonly training?: string; readonly evaluation?: string };
  readonly limitations?: readonly string[];
  readonly ethicalConsiderations?: string;
  /**
   * Per-group figures: responsible/fairness-report's FairnessReport objects (as `tessera evaluate
   * --sensitive --json` prints them), one per set of sensitive columns.
   */
  readonly fairness?: readonly JsonObject[];
  readonly references?: readonly string[];
}

/** The card as model.json stores it: the author's fields plus what save fills in. */
export interface ModelCard extends ModelCardInput {
  /** The model's recorded metrics (from model.json "metrics"), null when none were recorded. */
  readonly metrics: Readonly<Record<string, number | null>> | null;
  /** metadata.privacy of a differentially private run (epsilon, delta, ...), else null. */
  readonly privacy: JsonObject | null;
  /** From the signature: raw input columns, target(s), classes. */
  readonly schema: {
    readonly columns: readonly string[] | null;
    readonly target: readonly string[] | null;
    readonly labels: readonly string[] | null;
  };
}

const TEXT_FIELDS = ["description", "intendedUse", "outOfScope", "license", "ethicalConsiderations"] as const;
const LIST_FIELDS = ["owners", "limitations", "references"] as const;
const FILLED_FROM = {
  metrics: 'its "metrics": pass save({ metrics })',
  privacy: "metadata.privacy, which private training writes",
  schema: "the signature",
} as const;
const FILLED = new Set(Object.keys(FILLED_FROM));
const KNOWN = new Set<string>([
  ...TEXT_FIELDS,
  ...LIST_FIELDS,
  "data",
  "fairness",
  "metrics",
  "privacy",
  "schema",
]);

/** Checks an author's card fields; `fail(path, problem)` throws the caller's error type. */
function checkInput(
  value: unknown,
  fail: (path: string, problem: string) => never,
  stored = false,
): ModelCardInput {
  if (!isJsonObject(value as JsonValue)) fail("card", "must be an object");
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!stored && FILLED.has(key))
      fail(
        `card.${key}`,
        `is filled in by save from the model file (${FILLED_FROM[key as keyof typeof FILLED_FROM]}); leave it out`,
      );
    if (!KNOWN.has(key))
      fail(
        `card.${key}`,
        `is not a card field (known: ${[...KNOWN].filter((k) => !["metrics", "privacy", "schema"].includes(k)).join(", ")})`,
      );
  }
  const out: Record<string, unknown> = {};
  for (const key of TEXT_FIELDS) {
    if (o[key] === undefined) continue;
    if (typeof o[key] !== "string") fail(`card.${key}`, "must be a string");
    out[key] = o[key];
  }
  for (const key of LIST_FIELDS) {
    if (o[key] === undefined) continue;
    const list = o[key];
    if (!Array.isArray(list) || list.some((v) => typeof v !== "string"))
      fail(`card.${key}`, "must be a list of strings");
    out[key] = [...(list as string[])];
  }
  if (o.data !== undefined) {
    const d = o.data as Record<string, unknown>;
    if (!isJsonObject(o.data as JsonValue)) fail("card.data", "must be an object {training, evaluation}");
    for (const key of Object.keys(d)) {
      if (key !== "training" && key !== "evaluation")
        fail(`card.data.${key}`, "is not a data field (training, evaluation)");
      if (typeof d[key] !== "string") fail(`card.data.${key}`, "must be a string");
    }
    out.data = { ...d };
  }
  if (o.fairness !== undefined) {
    if (!Array.isArray(o.fairness)) fail("card.fairness", "must be a list of fairness reports");
    out.fairness = (o.fairness as unknown[]).map((report, i) => {
      const at = `card.fairness[${i}]`;
      if (!isJsonObject(report as JsonValue)) fail(at, "must be an object (a fairness report)");
      const r = report as JsonObject;
      if (!Array.isArray(r.sensitive) || r.sensitive.some((s) => typeof s !== "string"))
        fail(`${at}.sensitive`, "must be a list of column names");
      if (
        !Array.isArray(r.groups) ||
        !r.groups.every(
          (g) => isJsonObject(g) && typeof g.group === "string" && isJsonObject(g.metrics ?? null),
        )
      )
        fail(`${at}.groups`, "must be a list of {group, rows, metrics}");
      return JSON.parse(JSON.stringify(r)) as JsonObject;
    });
  }
  return out as ModelCardInput;
}

/**
 * A validated card from an author's fields (for `model.save(dir, { card })`); bad fields are a
 * ValueError naming them.
 * @example
 * const card = modelCard({ intendedUse: "Ranking support tickets by urgency", limitations: ["English only"] });
 * await model.save("runs/tickets", { card });
 */
export function modelCard(fields: ModelCardInput): ModelCardInput {
  return checkInput(fields, (path, problem) => {
    throw new ValueError(`modelCard: ${path} ${problem}`);
  });
}

/** The file with its card: none without `input`, else cardForFile (save calls this). */
export function withCard(input: ModelCardInput | null | undefined, file: Omit<ModelFile, "card">): ModelFile {
  return { ...file, card: input === null || input === undefined ? null : cardForFile(input, file) };
}

/** The card save writes: the author's fields, then metrics, privacy and schema from the file. */
export function cardForFile(input: ModelCardInput, file: Omit<ModelFile, "card">): ModelCard {
  // A card carried from a loaded model holds the filled fields too: they are filled afresh.
  const { metrics: _metrics, privacy: _privacy, schema: _schema, ...fields } = input as Partial<ModelCard>;
  const author = modelCard(fields);
  const privacy = file.metadata.privacy;
  return {
    ...author,
    metrics: file.metrics === null ? null : { ...file.metrics },
    privacy: isJsonObject(privacy ?? null) ? (privacy as JsonObject) : null,
    schema: {
      columns: file.signature.columns?.map((c) => c.name) ?? null,
      target: file.signature.target,
      labels: file.signature.labels,
    },
  };
}

/** Validates model.json's "card" (FormatError `<where>: "card.x" ...`). */
export function validateCard(value: JsonValue | undefined, where: string): ModelCard | null {
  if (value === undefined || value === null) return null;
  const fail = (path: string, problem: string): never => {
    throw new FormatError(`${where}: "${path}" ${problem}`);
  };
  const author = checkInput(value, fail, true);
  const o = value as JsonObject;
  let metrics: Record<string, number | null> | null = null;
  if (o.metrics !== null && o.metrics !== undefined) {
    if (!isJsonObject(o.metrics)) fail("card.metrics", "must be an object or null");
    const entries = Object.entries(o.metrics as JsonObject);
    for (const [k, v] of entries)
      if (v !== null && typeof v !== "number") fail(`card.metrics.${k}`, "must be a number or null");
    metrics = Object.fromEntries(entries) as Record<string, number | null>;
  }
  const privacy = o.privacy ?? null;
  if (privacy !== null && !isJsonObject(privacy)) fail("card.privacy", "must be an object or null");
  const schema = (o.schema ?? {}) as JsonObject;
  if (!isJsonObject(schema)) fail("card.schema", "must be an object");
  const names = (key: "columns" | "target" | "labels"): string[] | null => {
    const v = schema[key];
    if (v === null || v === undefined) return null;
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string"))
      fail(`card.schema.${key}`, "must be a list of strings or null");
    return v as string[];
  };
  return {
    ...author,
    metrics,
    privacy: privacy as JsonObject | null,
    schema: { columns: names("columns"), target: names("target"), labels: names("labels") },
  };
}
