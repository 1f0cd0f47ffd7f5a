// ml/tabular-features: how zero-config training prepares a table's feature columns: numeric ones
// are median-imputed and scaled, categorical ones (few distinct values) most-frequent-imputed and
// one-hot encoded, free-text ones (many distinct values of several words) TF-IDF vectorised;
// identifier-like strings (many distinct single words) are dropped. Layer: ml.
import { OneHotEncoder } from "../data/preprocess/encoders.js";
import { SimpleImputer } from "../data/preprocess/imputer.js";
import { type ColumnGroup, ColumnTransformer, Pipeline } from "../data/preprocess/pipeline.js";
import { StandardScaler } from "../data/preprocess/scalers.js";
import type { Table } from "../data/table/table.js";
import { TextColumnVectorizer } from "../data/text/text-column.js";

const MAX_CATEGORIES = 50;
/** The feature columns of a table by how they are prepared. */
export interface FeatureColumns {
  numeric: string[];
  categorical: string[];
  /** Free text (many distinct values, several words on average): TF-IDF. */
  text: string[];
  /** Many distinct single-word strings (identifiers): not used. */
  dropped: string[];
}

/** Tokens kept per text column (the most frequent ones). */
const TEXT_TOKENS = 200;
/** A string column with at least this many words per value on average is text, not an identifier. */
const TEXT_MIN_WORDS = 2;

/**
 * Median-impute + scale the numeric columns, most-frequent-impute + one-hot the categorical ones,
 * TF-IDF (lower-cased words, the TEXT_TOKENS most frequent) for each text column.
 */
export function preprocessFor(
  numeric: readonly string[],
  categorical: readonly string[],
  text: readonly string[] = [],
): ColumnTransformer {
  const groups: ColumnGroup[] = [];
  if (numeric.length > 0)
    groups.push([
      "num",
      new Pipeline([
        ["impute", new SimpleImputer({ strategy: "median" })],
        ["scale", new StandardScaler()],
      ]),
      [...numeric],
    ]);
  if (categorical.length > 0)
    groups.push([
      "cat",
      new Pipeline([
        ["impute", new SimpleImputer({ strategy: "mostFrequent" })],
        ["onehot", new OneHotEncoder({ handleUnknown: "ignore" })],
      ]),
      [...categorical],
    ]);
  for (const name of text)
    groups.push([
      `text_${name}`,
      new TextColumnVectorizer({ column: name, outputMode: "tf_idf", maxTokens: TEXT_TOKENS }),
      [name],
    ]);
  return new ColumnTransformer(groups, { dtype: "float64" });
}

/** The feature columns of a table by how they are prepared: numeric, categorical, text or dropped. */
export function featureColumns(table: Table, target: string): FeatureColumns {
  const out: FeatureColumns = { numeric: [], categorical: [], text: [], dropped: [] };
  for (const name of table.columnNames) {
    if (name === target) continue;
    const column = table.column(name);
    if (column.isNumeric) out.numeric.push(name);
    else if (column.uniqueCount() <= MAX_CATEGORIES) out.categorical.push(name);
    else if (column.kind === "string" && meanWords(table, name) >= TEXT_MIN_WORDS) out.text.push(name);
    else out.dropped.push(name);
  }
  return out;
}

/** Mean count of whitespace-separated words per non-missing value of a string column. */
function meanWords(table: Table, name: string): number {
  const column = table.column(name);
  let words = 0;
  let values = 0;
  for (let r = 0; r < table.numRows; r++) {
    const v = column.stringAt(r);
    if (v === null || v === undefined) continue;
    words += v.split(/\s+/).filter((w) => w.length > 0).length;
    values++;
  }
  return values === 0 ? 0 : words / values;
}
