// ml/tabular-trial-data: a raw Table as a search's TrialData: the zero-config preprocessing
// (ml/auto-train's preprocessFor) is fitted on each split's training rows only, so no statistic of
// a held-out fold (a mean, a category, a word's document frequency) leaks into what it is scored
// with. Fitted splits are cached, so candidates sharing a fold share its features. Layer: ml.
import type { Table } from "../data/table/table.js";
import { cachedSplits, type TrialData } from "./search-trials.js";
import { type FeatureColumns, preprocessFor } from "./tabular-features.js";
import { featuresOf } from "./tabular-model.js";

/** The columns a TabularTrialData prepares (FeatureColumns without the dropped ones). */
export type PreparedColumns = Pick<FeatureColumns, "numeric" | "categorical" | "text">;

/**
 * TrialData over raw rows, with the preprocessing fitted per split.
 * @example
 * await new RandomSearch({ estimator, space }).fitAsync(tabularTrialData(table, featureColumns(table, "y")), y);
 */
export function tabularTrialData(table: Table, columns: PreparedColumns): TrialData {
  return cachedSplits({
    rows: table.numRows,
    split(train, test) {
      const trainTable = table.take(train);
      const preprocess = preprocessFor(columns.numeric, columns.categorical, columns.text).fit(trainTable);
      return { xTrain: featuresOf(preprocess, trainTable), xTest: featuresOf(preprocess, table.take(test)) };
    },
  });
}
