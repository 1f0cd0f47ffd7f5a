// nn/kv-cache: the key/value cache of incremental decoding. While a cache is active (withKVCache),
// every causal self-attention layer (MultiHeadAttention with useCausalMask called on x alone)
// appends the keys and values of the new positions to its entry and attends over all of them, and
// PositionEmbedding numbers the new positions from `cache.position`. So after a first call on the
// prompt, a decoder called on one new token costs one position's projections and feed-forward, not
// a re-run over the whole context. Non-causal and cross-attention run on what they are given,
// uncached. Layer: nn. Shapes: B batch, T cached time, N heads, K/V depth.
import { ValueError } from "../core/errors.js";
import type { Tensor } from "../tensor/tensor.js";

/** What one attention layer has cached: keys (B, T, N, K), values (B, T, N, V), key padding mask (B, T). */
export interface KVCacheEntry {
  readonly key: Tensor;
  readonly value: Tensor;
  readonly mask: Tensor | null;
}

/**
 * Keys and values of the positions a decoder has already seen, one entry per attention layer.
 * @example
 * const cache = new KVCache();
 * withKVCache(cache, () => model.apply(prompt)); cache.advance(prompt.shape[1]);
 * withKVCache(cache, () => model.apply(nextToken)); cache.advance(1);
 */
export class KVCache {
  private readonly entries = new Map<object, KVCacheEntry>();
  private positionValue = 0;

  /** How many positions the cache holds (the index the next token gets). */
  get position(): number {
    return this.positionValue;
  }

  /** Records that `count` more positions were run through the model. */
  advance(count: number): void {
    if (!Number.isInteger(count) || count < 0)
      throw new ValueError(`KVCache.advance: expected a non-negative integer (got ${count})`);
    this.positionValue += count;
  }

  /** The entry of one attention layer, or undefined before its first cached call. */
  get(owner: object): KVCacheEntry | undefined {
    return this.entries.get(owner);
  }

  /** Replaces the entry of one attention layer. */
  set(owner: object, entry: KVCacheEntry): void {
    this.entries.set(owner, entry);
  }

  /** How many attention layers have an entry. */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets every entry and restarts at position 0. */
  clear(): void {
    this.entries.clear();
    this.positionValue = 0;
  }
}

let activeCache: KVCache | null = null;

/** Runs `fn` (a forward pass) with `cache` active, restoring the previous one after. */
export function withKVCache<T>(cache: KVCache, fn: () => T): T {
  const previous = activeCache;
  activeCache = cache;
  try {
    return fn();
  } finally {
    activeCache = previous;
  }
}

/** The cache of the forward pass in progress, or null outside withKVCache. */
export function activeKVCache(): KVCache | null {
  return activeCache;
}
