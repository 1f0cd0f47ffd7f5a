// core/buffer-pool: typed arrays recycled from the autograd backward walk. The garbage collector
// still owns every tensor: the pool only ever receives an array that the walk allocated itself
// and proved unreachable (an intermediate gradient consumed by its rule, whose array no returned
// gradient, no pending gradient and no `.grad` shares). `allocate` / `allocateUninit` hand such an
// array out again instead of asking the host for fresh memory, so a training step's gradient
// buffers come back the next step instead of piling up as external memory that forces major GCs.
// A tensor the user can reach is never put here. TESSERA_BUFFER_POOL=0 turns it off.

import type { TypedArray } from "./dtype.js";
import { envVariable } from "./env.js";

/** Arrays below this many bytes are not pooled: a fresh small array costs less than the bookkeeping. */
export const POOL_MIN_BYTES = 4096;
/** The most bytes the pool holds at once; releases beyond it are left to the garbage collector. */
export const POOL_MAX_BYTES = 256 * 1024 * 1024;

interface Shelf {
  arrays: TypedArray[];
  /** The walk that last released an array here (shelves idle for two walks are dropped). */
  walk: number;
}

const shelves = new Map<string, Shelf>();
let pooledBytes = 0;
// TESSERA_BUFFER_POOL=0 turns recycling off (to compare, or to rule it out)
let enabled = envVariable("TESSERA_BUFFER_POOL") !== "0";
let walk = 0;
/**
 * The buffers allocated in the current tracking scope (a backward walk), or null outside one.
 * Weak, so a temporary a gradient rule drops is still the collector's to free during the walk.
 */
let born: WeakSet<ArrayBufferLike> | null = null;

function keyOf(constructorName: string, length: number): string {
  return `${constructorName}:${length}`;
}

/** A pooled array of this kind and length (contents unspecified), or undefined. */
export function takePooled(constructorName: string, length: number): TypedArray | undefined {
  if (pooledBytes === 0) return undefined;
  const shelf = shelves.get(keyOf(constructorName, length));
  const array = shelf?.arrays.pop();
  if (array !== undefined) pooledBytes -= array.byteLength;
  return array;
}

/** Notes an array just allocated, so the current walk may later recycle it. */
export function noteAllocated(array: TypedArray): void {
  if (born !== null && array.byteLength >= POOL_MIN_BYTES) born.add(array.buffer);
}

/**
 * Starts tracking the arrays allocated from now on (a backward walk begins); shelves no walk has
 * released into since the one before last are dropped, so the pool follows the current shapes.
 */
export function beginPoolScope(): void {
  walk++;
  born = enabled ? new WeakSet() : null;
  for (const [key, shelf] of shelves) {
    if (shelf.walk >= walk - 2) continue;
    for (const a of shelf.arrays) pooledBytes -= a.byteLength;
    shelves.delete(key);
  }
}

/** Stops tracking (the walk ended); pooled arrays stay for the next allocations. */
export function endPoolScope(): void {
  born = null;
}

/** True when `array` owns its whole buffer and that buffer was allocated in the current scope. */
export function bornInScope(array: TypedArray): boolean {
  return (
    born !== null &&
    array.byteOffset === 0 &&
    array.byteLength === array.buffer.byteLength &&
    born.has(array.buffer)
  );
}

/**
 * Gives a dead array to the pool. The caller guarantees nothing can reach it any more (see the
 * file header); only arrays `bornInScope` accepts are taken, each at most once.
 */
export function releaseToPool(array: TypedArray): void {
  if (!bornInScope(array) || pooledBytes + array.byteLength > POOL_MAX_BYTES) return;
  born!.delete(array.buffer);
  const key = keyOf(array.constructor.name, array.length);
  let shelf = shelves.get(key);
  if (shelf === undefined) {
    shelf = { arrays: [], walk };
    shelves.set(key, shelf);
  }
  shelf.walk = walk;
  shelf.arrays.push(array);
  pooledBytes += array.byteLength;
}

/** Turns recycling on or off (on by default); off also empties the pool. Returns the previous setting. */
export function setBufferPooling(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  if (!on) clearBufferPool();
  return previous;
}

/** Whether recycling is on. */
export function isBufferPoolingEnabled(): boolean {
  return enabled;
}

/** Drops every pooled array (the garbage collector reclaims them). */
export function clearBufferPool(): void {
  shelves.clear();
  pooledBytes = 0;
}

/** Bytes and arrays the pool holds now. */
export function bufferPoolStats(): { bytes: number; arrays: number } {
  let arrays = 0;
  for (const shelf of shelves.values()) arrays += shelf.arrays.length;
  return { bytes: pooledBytes, arrays };
}
