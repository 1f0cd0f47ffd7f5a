// ml/search-halving: searches that spend little on bad candidates by giving every candidate a small
// resource first and only the best ones more. HalvingSearch is successive halving (scikit-learn's
// HalvingRandomSearchCV, resource = rows); Hyperband (Li et al. 2018, JMLR 18(185)) runs several
// brackets of successive halving, from many candidates on a small resource to few on the whole
// resource, hedging against a resource too small to tell candidates apart. The resource is the
// number of rows (a seeded subsample) or an integer parameter such as epochs (maxIter).
// Layer: ml.
import { ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { intOption } from "./params.js";
import {
  RandomSearch,
  type SearchableEstimator,
  type SearchOptions,
  type SearchPlan,
  type SearchResult,
} from "./search.js";
import type { ParamValue } from "./search-space.js";
import type { SearchTargets } from "./search-trials.js";

/** One round of successive halving: the resource each candidate got (rows or epochs) and the results. */
export interface HalvingRound {
  resource: number;
  results: SearchResult[];
}

/** The smallest row subsample that leaves 2 rows per fold (and per class, for labels), as scikit-learn. */
function minimumRows(y: SearchTargets, cv: number): number {
  const classes = y instanceof Float64Array ? 1 : new Set(Array.from(y as ArrayLike<unknown>)).size;
  return 2 * cv * classes;
}

/** The best `keep` candidates of a round's results. */
function best(results: SearchResult[], keep: number): Record<string, ParamValue>[] {
  return [...results]
    .sort((a, b) => b.meanScore - a.meanScore)
    .slice(0, Math.max(1, keep))
    .map((r) => r.params);
}

/** The first `n` rows of a seeded order, sorted (a subsample), or null for all rows. */
function subsample(order: readonly number[], n: number): readonly number[] | null {
  return n >= order.length ? null : order.slice(0, n).sort((a, b) => a - b);
}

/**
 * Successive halving over nIter sampled candidates (scikit-learn's HalvingRandomSearchCV with the
 * sample count as the resource): each round cross-validates the survivors on a seeded subsample,
 * keeps the best 1/factor of them and multiplies the rows by factor, up to every row.
 * @example
 * new HalvingSearch({ estimator: (p) => new HistGradientBoostingClassifier(p), space, nIter: 27, factor: 3 }).fit(x, y);
 */
export class HalvingSearch<E extends SearchableEstimator> extends RandomSearch<E> {
  /** Every round, the last on all rows. */
  rounds: HalvingRound[] = [];
  readonly factor: number;

  constructor(options: SearchOptions<E> & { factor?: number }) {
    super(options);
    this.factor = intOption("HalvingSearch", "factor", options.factor, 3, 2);
  }

  protected override *plan(nRows: number, y: SearchTargets): SearchPlan {
    let survivors = this.candidates();
    // Rounds until one candidate is left: 1 + floor(log_factor(candidates)), in integers.
    let rounds = 1;
    for (let left = survivors.length; left >= this.factor; left = Math.floor(left / this.factor)) rounds++;
    const minimum = minimumRows(y, this.options.cv ?? 5);
    const order = Array.from(new Generator((this.options.seed ?? 0) + 1).permutation(nRows));
    this.rounds = [];
    for (let round = 0; ; round++) {
      const last = round === rounds - 1;
      const resource = last
        ? nRows
        : Math.max(minimum, Math.floor(nRows / this.factor ** (rounds - 1 - round)));
      const results = yield { candidates: survivors, rows: last ? null : subsample(order, resource) };
      this.rounds.push({ resource, results });
      if (last) return results;
      survivors = best(results, Math.ceil(survivors.length / this.factor));
    }
  }
}

/** Hyperband's resource: rows (a subsample) or an integer parameter from `min` to `max` (epochs). */
export type HyperbandResource = "rows" | { param: string; max: number; min?: number };

export interface HyperbandOptions<E extends SearchableEstimator> extends SearchOptions<E> {
  /** eta: each round keeps 1/factor of the candidates and gives them factor times the resource (default 3). */
  factor?: number;
  /** What grows round by round (default "rows"). */
  resource?: HyperbandResource;
  /** The smallest row subsample for resource "rows" (default 2 rows per fold and class). */
  minResource?: number;
}

/** One bracket of Hyperband: s (its number of halvings) and its rounds. */
export interface HyperbandBracket {
  s: number;
  rounds: HalvingRound[];
}

/**
 * Hyperband (Li et al. 2018): for s = sMax..0, a bracket samples n = ceil((sMax+1)/(s+1) * eta^s)
 * candidates, gives each R * eta^-s of the resource, and halves them s times by factor eta; the
 * last round of every bracket uses the whole resource R, and those rounds are ranked together.
 * @example
 * new Hyperband({ estimator: (p) => new MLPClassifier(p), space, resource: { param: "maxIter", max: 81 } }).fit(x, y);
 */
export class Hyperband<E extends SearchableEstimator> extends RandomSearch<E> {
  brackets: HyperbandBracket[] = [];
  readonly factor: number;
  readonly resource: HyperbandResource;

  constructor(options: HyperbandOptions<E>) {
    super(options);
    this.factor = intOption("Hyperband", "factor", options.factor, 3, 2);
    const resource = options.resource ?? "rows";
    if (resource !== "rows") {
      const { param, max, min = 1 } = resource;
      if (typeof param !== "string" || param === "")
        throw new ValueError(
          `Hyperband: resource.param must name an integer parameter (got ${JSON.stringify(param)})`,
        );
      if (!Number.isInteger(max) || !Number.isInteger(min) || min < 1 || max <= min)
        throw new ValueError(
          `Hyperband: resource needs integers 1 <= min < max (got min ${min}, max ${max}); the range is empty`,
        );
      if (param in options.space)
        throw new ValueError(`Hyperband: "${param}" is the resource; remove it from the search space`);
    }
    this.resource = resource;
  }

  protected override *plan(nRows: number, y: SearchTargets): SearchPlan {
    const eta = this.factor;
    const byRows = this.resource === "rows";
    const maxR = this.resource === "rows" ? nRows : this.resource.max;
    const minR =
      this.resource === "rows"
        ? Math.max(
            intOption("Hyperband", "minResource", (this.options as HyperbandOptions<E>).minResource, 1, 1),
            minimumRows(y, this.options.cv ?? 5),
          )
        : (this.resource.min ?? 1);
    if (minR > maxR)
      throw new ValueError(`Hyperband: ${maxR} rows are fewer than the smallest subsample (${minR})`);
    // sMax: the most halvings that keep minR <= R * eta^-s (integer arithmetic, no log rounding).
    let sMax = 0;
    while (minR * eta ** (sMax + 1) <= maxR) sMax++;
    const rng = new Generator(this.options.seed ?? 0);
    const order = byRows ? Array.from(new Generator((this.options.seed ?? 0) + 1).permutation(nRows)) : [];
    const param = this.resource === "rows" ? "" : this.resource.param;
    this.brackets = [];
    const finals: SearchResult[] = [];
    for (let s = sMax; s >= 0; s--) {
      let survivors = this.sample(rng, Math.ceil(((sMax + 1) / (s + 1)) * eta ** s));
      const bracket: HyperbandBracket = { s, rounds: [] };
      this.brackets.push(bracket);
      for (let i = 0; i <= s; i++) {
        const resource = i === s ? maxR : Math.max(minR, Math.floor(maxR * eta ** (i - s)));
        const round = byRows
          ? { candidates: survivors, rows: subsample(order, resource) }
          : { candidates: survivors.map((p) => ({ ...p, [param]: resource })), rows: null };
        const results = yield round;
        bracket.rounds.push({ resource, results });
        if (i === s) finals.push(...results);
        else survivors = best(results, Math.floor(survivors.length / eta)).map((p) => withoutParam(p, param));
      }
    }
    return finals;
  }
}

function withoutParam(params: Record<string, ParamValue>, name: string): Record<string, ParamValue> {
  if (name === "") return params;
  const { [name]: _, ...rest } = params;
  return rest;
}
