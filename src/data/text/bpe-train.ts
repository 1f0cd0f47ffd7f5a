// data/text/bpe-train: learns byte-pair merges from a corpus. Words (pretokenized chunks) are
// counted once, pair counts are kept incrementally, and the most frequent pair (smallest ids
// first among ties, so training is deterministic) is merged until the vocabulary is full.
// Layer: data.
import { type PretokenizerName, pretokenize } from "./pretokenize.js";
import { encodeWtf8 } from "./wtf8.js";

/** Ids 0..255 are the bytes; merge m creates id 256 + m from the pair merges[m]. */
export type Merge = [left: number, right: number];

export interface LearnMergesOptions {
  /** How many merges to learn at most. */
  maxMerges: number;
  /** Stop when the best pair occurs fewer times than this (default 2). */
  minFrequency?: number;
  pretokenizer: PretokenizerName;
  /** Strings never learned from (special tokens are cut out of the corpus first). */
  exclude?: readonly string[];
}

const PAIR_BASE = 1 << 21; // ids stay below 2^21, so a pair key a * 2^21 + b is an exact double

/** Learns BPE merges from an iterable of texts. */
export function learnMerges(corpus: Iterable<string>, options: LearnMergesOptions): Merge[] {
  const wordCounts = new Map<string, number>();
  const exclude = options.exclude ?? [];
  for (const text of corpus) {
    for (const part of splitOn(text, exclude)) {
      for (const chunk of pretokenize(part, options.pretokenizer)) {
        wordCounts.set(chunk, (wordCounts.get(chunk) ?? 0) + 1);
      }
    }
  }
  const words: number[][] = [];
  const counts: number[] = [];
  for (const [word, count] of wordCounts) {
    words.push(Array.from(encodeWtf8(word)));
    counts.push(count);
  }
  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const heap = new PairHeap();
  const bump = (key: number, delta: number, w: number) => {
    const c = (pairCount.get(key) ?? 0) + delta;
    pairCount.set(key, c);
    if (delta > 0) {
      let set = pairWords.get(key);
      if (set === undefined) pairWords.set(key, (set = new Set()));
      set.add(w);
    }
    heap.push(c, key);
  };
  words.forEach((ids, w) => {
    for (let i = 0; i + 1 < ids.length; i++) bump(ids[i]! * PAIR_BASE + ids[i + 1]!, counts[w]!, w);
  });

  const minFrequency = options.minFrequency ?? 2;
  const merges: Merge[] = [];
  while (merges.length < options.maxMerges) {
    const best = heap.popValid(pairCount);
    if (best === null || best.count < minFrequency) break;
    const a = Math.floor(best.key / PAIR_BASE);
    const b = best.key % PAIR_BASE;
    const id = 256 + merges.length;
    merges.push([a, b]);
    for (const w of pairWords.get(best.key) ?? []) {
      const ids = words[w]!;
      const count = counts[w]!;
      const merged: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          merged.push(id);
          i++;
        } else merged.push(ids[i]!);
      }
      if (merged.length === ids.length) continue; // a stale entry: this word no longer has the pair
      for (let i = 0; i + 1 < ids.length; i++) bump(ids[i]! * PAIR_BASE + ids[i + 1]!, -count, w);
      for (let i = 0; i + 1 < merged.length; i++) bump(merged[i]! * PAIR_BASE + merged[i + 1]!, count, w);
      words[w] = merged;
    }
    pairWords.delete(best.key);
  }
  return merges;
}

/** `text` with every occurrence of the given strings removed, as the pieces between them. */
export function splitOn(text: string, separators: readonly string[]): string[] {
  if (separators.length === 0) return [text];
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  outer: while (i < text.length) {
    for (const s of separators) {
      if (s.length > 0 && text.startsWith(s, i)) {
        pieces.push(text.slice(start, i));
        i += s.length;
        start = i;
        continue outer;
      }
    }
    i++;
  }
  pieces.push(text.slice(start));
  return pieces.filter((p) => p.length > 0);
}

/** A max-heap of (count, pair key) with lazy deletion: stale entries are skipped when popped. */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  push(count: number, key: number): void {
    if (count <= 0) return;
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** The entry with the largest current count (smallest key among ties), or null. */
  popValid(current: Map<number, number>): { count: number; key: number } | null {
    while (this.counts.length > 0) {
      const count = this.counts[0]!;
      const key = this.keys[0]!;
      this.removeTop();
      if (current.get(key) === count) return { count, key };
    }
    return null;
  }

  private before(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j]!, this.counts[i]!];
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
  }

  private removeTop(): void {
    const lastCount = this.counts.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.counts.length === 0) return;
    this.counts[0] = lastCount;
    this.keys[0] = lastKey;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < this.counts.length && this.before(l, top)) top = l;
      if (r < this.counts.length && this.before(r, top)) top = r;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }
}
