// ml/ranking-metrics: top-k quality of recommendations, averaged over users. For each user,
// `recommended` is a ranked list of item ids (best first) and `relevant` the held-out items (a set
// of ids, or a Map of id -> graded gain for NDCG). precision@k = hits / k, recall@k = hits /
// |relevant|, hit rate@k = [hits > 0], AP@k = sum over hit ranks i of precision@i / min(k,
// |relevant|), NDCG@k = DCG / ideal DCG with gain / log2(rank + 1) (linear gains, as scikit-learn's
// ndcg_score). Users without relevant items are skipped (they cannot be scored). Layer: ml.
import { ValueError } from "../core/errors.js";
import { argsort } from "../ops/sort.js";
import { Tensor } from "../tensor/tensor.js";

export type ItemId = number | string;
/** A user's relevant items: ids, or id -> gain (binary relevance when a set or array). */
export type Relevant = Iterable<ItemId> | ReadonlyMap<ItemId, number>;

export interface RankingScores {
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  hitRate: number;
  /** Users scored (those with at least one relevant item). */
  users: number;
}

function gainsOf(relevant: Relevant): Map<ItemId, number> {
  if (relevant instanceof Map) return new Map(relevant);
  const gains = new Map<ItemId, number>();
  for (const id of relevant as Iterable<ItemId>) gains.set(id, 1);
  return gains;
}

/** The five scores of one user; null when the user has no relevant item. */
function userScores(
  recommended: readonly ItemId[],
  relevant: Relevant,
  k: number,
): Omit<RankingScores, "users"> | null {
  const gains = gainsOf(relevant);
  const positives = [...gains.values()].filter((g) => g > 0);
  if (positives.length === 0) return null;
  const top = recommended.slice(0, k);
  if (new Set(top).size !== top.length)
    throw new ValueError("ranking metrics: a recommendation list repeats an item");
  let hits = 0;
  let precisionSum = 0;
  let dcg = 0;
  top.forEach((id, i) => {
    const gain = gains.get(id) ?? 0;
    if (gain <= 0) return;
    hits++;
    precisionSum += hits / (i + 1);
    dcg += gain / Math.log2(i + 2);
  });
  const ideal = positives
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return {
    precision: hits / k,
    recall: hits / positives.length,
    ndcg: dcg / ideal,
    map: precisionSum / Math.min(k, positives.length),
    hitRate: hits > 0 ? 1 : 0,
  };
}

/**
 * precision@k, recall@k, NDCG@k, MAP@k and hit rate@k, each the mean over users with relevant items.
 * @example
 * rankingScores([[3, 1, 2]], [new Set([1])], 2); // precision 0.5, recall 1, hitRate 1, map 0.5, ndcg 1/log2(3)
 */
export function rankingScores(
  recommended: readonly (readonly ItemId[])[],
  relevant: readonly Relevant[],
  k: number,
): RankingScores {
  if (!Number.isInteger(k) || k < 1)
    throw new ValueError(`ranking metrics: k must be a positive integer (got ${k})`);
  if (recommended.length !== relevant.length)
    throw new ValueError(
      `ranking metrics: ${recommended.length} recommendation lists for ${relevant.length} users' relevant items`,
    );
  const total = { precision: 0, recall: 0, ndcg: 0, map: 0, hitRate: 0 };
  let users = 0;
  recommended.forEach((list, u) => {
    const s = userScores(list, relevant[u]!, k);
    if (s === null) return;
    users++;
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += s[key];
  });
  if (users === 0) throw new ValueError("ranking metrics: no user has a relevant item");
  return {
    precision: total.precision / users,
    recall: total.recall / users,
    ndcg: total.ndcg / users,
    map: total.map / users,
    hitRate: total.hitRate / users,
    users,
  };
}

type RankingMetric = (
  recommended: readonly (readonly ItemId[])[],
  relevant: readonly Relevant[],
  k: number,
) => number;

/** Mean precision@k: relevant items among the top k, over k. */
export const precisionAtK: RankingMetric = (rec, rel, k) => rankingScores(rec, rel, k).precision;
/** Mean recall@k: relevant items among the top k, over the user's relevant items. */
export const recallAtK: RankingMetric = (rec, rel, k) => rankingScores(rec, rel, k).recall;
/** Mean NDCG@k (linear gains, log2 discount). */
export const ndcgAtK: RankingMetric = (rec, rel, k) => rankingScores(rec, rel, k).ndcg;
/** MAP@k: mean over users of the average precision at the hit ranks, over min(k, relevant). */
export const mapAtK: RankingMetric = (rec, rel, k) => rankingScores(rec, rel, k).map;
/** Hit rate@k: the fraction of users with at least one relevant item in their top k. */
export const hitRateAtK: RankingMetric = (rec, rel, k) => rankingScores(rec, rel, k).hitRate;

/**
 * The k ids with the highest scores, best first (ties: lower index first), skipping `exclude`d
 * ones (e.g. items the user already rated) and NaN scores. `ids[j]` names column j (default: j).
 */
export function topKItems(
  scores: ArrayLike<number>,
  k: number,
  options: { exclude?: Iterable<ItemId>; ids?: readonly ItemId[] } = {},
): ItemId[] {
  const exclude = new Set(options.exclude ?? []);
  const ids = options.ids;
  // argsort is stable: equal scores keep the lower index first
  const order = argsort(new Tensor(Float64Array.from(scores), [scores.length]), { descending: true }).data;
  const out: ItemId[] = [];
  for (let r = 0; r < order.length && out.length < k; r++) {
    const j = order[r]!;
    const id = ids?.[j] ?? j;
    if (!exclude.has(id) && !Number.isNaN(scores[j]!)) out.push(id); // argsort puts NaN first descending
  }
  return out;
}
