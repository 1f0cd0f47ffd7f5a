// io/model-card-record: adds the fairness figures of an evaluation (`tessera evaluate --sensitive
// --record`) to a saved model's card, rewriting model.json atomically; the weights are untouched.
// A report over the same sensitive columns replaces the earlier one; a model without a card gets
// one holding just the filled-in fields and the figures.
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import { readModelFile } from "./load-model.js";
import { cardForFile, type ModelCard } from "./model-card.js";
import { MODEL_JSON } from "./model-format.js";
import { modelDirToLoad } from "./model-path.js";
import type { JsonObject } from "./strict-json.js";

const sameColumns = (a: JsonObject, b: JsonObject) =>
  JSON.stringify(a.sensitive) === JSON.stringify(b.sensitive);

/**
 * Records a fairness report (responsible/fairness-report's FairnessReport as JSON) in the card;
 * `data` says what it was computed on (stored as the report's "data").
 */
export async function recordCardFairness(
  location: string | URL,
  report: JsonObject,
  data?: string,
): Promise<ModelCard> {
  const dir = await modelDirToLoad(location);
  const file = await readModelFile(dir);
  const previous = file.card?.fairness ?? [];
  const fairness = [
    ...previous.filter((r) => !sameColumns(r, report)),
    JSON.parse(JSON.stringify(data === undefined ? report : { ...report, data })) as JsonObject,
  ];
  const card = cardForFile({ ...(file.card ?? {}), fairness }, file);
  const updated = { ...file, card };
  await writeFileAtomic(join(dir, MODEL_JSON), `${JSON.stringify(updated, null, 2)}\n`);
  return card;
}
