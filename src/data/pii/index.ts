// data/pii: finding personal data in Tables and the preprocessing steps that remove, mask,
// generalise or pseudonymise it. Layer: data. (The SHA-256/HMAC code stays internal.)
export { kindFromName, PII_ROLE, type PiiKind, type PiiRole } from "./column-hints.js";
export { detectValue, ibanValid, luhnValid, maskValue, type ValueKind } from "./detectors.js";
export { type GeneralizeRule, Generalizer } from "./generalize.js";
export { missingKeys, pseudonymizersIn, supplyKeys } from "./keys.js";
export { HmacPseudonymizer, type HmacPseudonymizerOptions, keyVariable } from "./pseudonymize.js";
export { DropColumns, MaskColumns } from "./redact.js";
export { type PiiColumnReport, type PiiScanOptions, scanColumn, scanPii } from "./scan.js";
