// io/datasets: the small real datasets that ship inside the package (datasets/*.csv, licences in
// datasets/DATA-LICENSES.md), loaded by name, so a quick start in a user's project needs no file
// of its own. The files sit two folders above this module in src/ and dist/ alike.
import { fileURLToPath } from "node:url";
import { ConfigError } from "../core/errors.js";
import type { Table } from "../data/table/table.js";
import { readCsv } from "./read-csv.js";

/** The datasets shipped with the package, with what each holds. */
export const DATASETS = {
  "boston-housing": "506 tracts, 13 features, target `medv` (median value in $1000s)",
  "breast-cancer": "569 tumours, 30 features, target `diagnosis` (malignant / benign)",
  digits: "1797 8x8 handwritten digits, pixels p0..p63 (0-16), target `digit`",
  iris: "150 flowers, 4 measurements, target `species`",
  penguins: "344 Palmer penguins, species, island, measurements, sex (with missing values)",
  "seattle-weather": "1461 days of Seattle weather 2012-2015, label `weather`",
  sunspots: "309 years of sunspot activity, 1700-2008",
} as const;

export type DatasetName = keyof typeof DATASETS;

/** Where a shipped dataset's CSV file is. */
export function datasetPath(name: DatasetName): string {
  if (typeof name !== "string" || !Object.hasOwn(DATASETS, name)) {
    throw new ConfigError(
      `loadDataset: unknown dataset ${JSON.stringify(name)} (expected one of ${Object.keys(DATASETS).join(", ")})`,
    );
  }
  return fileURLToPath(new URL(`../../datasets/${name}.csv`, import.meta.url));
}

/**
 * Reads a dataset that ships with the package into a Table.
 * @example
 * const table = await loadDataset("breast-cancer");
 */
export async function loadDataset(name: DatasetName): Promise<Table> {
  return readCsv(datasetPath(name));
}
