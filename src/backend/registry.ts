// backend/registry: which kernel table runs. Fast backends register a partial table; the active
// table is the chosen backend's kernels with the reference filling every gap, kernel by kernel.
// This is the one place that decides: when it starts it loads the native addon (where the host
// can), so every entry path that runs an op, deep imports and worker threads included, gets the
// fastest backend without doing anything.
import { envVariable } from "../core/env.js";
import { BackendError } from "../core/errors.js";
import type { Kernels, PartialKernels } from "./kernels.js";
import { loadNativeBackend, nativeAddon } from "./native/loader.js";
import { referenceKernels } from "./reference/index.js";

export type BackendName = "reference" | "native" | "wasm";

interface Registered {
  kernels: PartialKernels;
  priority: number;
}

const registered = new Map<BackendName, Registered>([
  ["reference", { kernels: referenceKernels, priority: 0 }],
]);
let activeName: BackendName = "reference";
let active: Kernels = referenceKernels;
let chosenByUser = false;

/** TESSERA_BACKEND as the process started: forcing is decided when backends register. */
const forced = envVariable("TESSERA_BACKEND");

/** Throws while TESSERA_BACKEND forces a backend that never registered (and setBackend has not chosen one). */
function requireForcedBackend(): void {
  if (forced !== undefined && forced !== activeName && !chosenByUser) throw forcedMissing(forced);
}

/** The error for a TESSERA_BACKEND naming a backend that never registered. */
function forcedMissing(forced: string): BackendError {
  return new BackendError(
    `TESSERA_BACKEND: backend "${forced}" is not available (registered: ${[...registered.keys()].join(", ")})`,
  );
}

/** Fills the gaps of a partial table with reference kernels. */
export function mergeWithReference(partial: PartialKernels): Kernels {
  const ref = referenceKernels;
  return {
    unary: { ...ref.unary, ...partial.unary },
    binary: { ...ref.binary, ...partial.binary },
    where: partial.where ?? ref.where,
    reduce: { ...ref.reduce, ...partial.reduce },
    cumsum: partial.cumsum ?? ref.cumsum,
    softmax: partial.softmax ?? ref.softmax,
    logSoftmax: partial.logSoftmax ?? ref.logSoftmax,
    layerNorm: partial.layerNorm ?? ref.layerNorm,
    layerNormBackward: partial.layerNormBackward ?? ref.layerNormBackward,
    rmsNorm: partial.rmsNorm ?? ref.rmsNorm,
    rmsNormBackward: partial.rmsNormBackward ?? ref.rmsNormBackward,
    gelu: partial.gelu ?? ref.gelu,
    geluBackward: partial.geluBackward ?? ref.geluBackward,
    lstmCell: partial.lstmCell ?? ref.lstmCell,
    lstmCellBackward: partial.lstmCellBackward ?? ref.lstmCellBackward,
    gruCell: partial.gruCell ?? ref.gruCell,
    gruCellBackward: partial.gruCellBackward ?? ref.gruCellBackward,
    lstmSequence: partial.lstmSequence ?? ref.lstmSequence,
    lstmSequenceBackward: partial.lstmSequenceBackward ?? ref.lstmSequenceBackward,
    gruSequence: partial.gruSequence ?? ref.gruSequence,
    gruSequenceBackward: partial.gruSequenceBackward ?? ref.gruSequenceBackward,
    attention: partial.attention ?? ref.attention,
    attentionBackward: partial.attentionBackward ?? ref.attentionBackward,
    matmul: partial.matmul ?? ref.matmul,
    epilogueBackward: partial.epilogueBackward ?? ref.epilogueBackward,
    stridedCopy: partial.stridedCopy ?? ref.stridedCopy,
    gather: partial.gather ?? ref.gather,
    scatterAdd: partial.scatterAdd ?? ref.scatterAdd,
    cast: partial.cast ?? ref.cast,
    im2col: partial.im2col ?? ref.im2col,
    col2im: partial.col2im ?? ref.col2im,
    maxPool: partial.maxPool ?? ref.maxPool,
    maxPoolBackward: partial.maxPoolBackward ?? ref.maxPoolBackward,
    avgPool: partial.avgPool ?? ref.avgPool,
    avgPoolBackward: partial.avgPoolBackward ?? ref.avgPoolBackward,
    conv2d: partial.conv2d ?? ref.conv2d,
    conv2dBackward: partial.conv2dBackward ?? ref.conv2dBackward,
    depthwiseConv2d: partial.depthwiseConv2d ?? ref.depthwiseConv2d,
    depthwiseConv2dBackward: partial.depthwiseConv2dBackward ?? ref.depthwiseConv2dBackward,
    adamUpdate: partial.adamUpdate ?? ref.adamUpdate,
    sgdUpdate: partial.sgdUpdate ?? ref.sgdUpdate,
    rmspropUpdate: partial.rmspropUpdate ?? ref.rmspropUpdate,
    adagradUpdate: partial.adagradUpdate ?? ref.adagradUpdate,
    adamaxUpdate: partial.adamaxUpdate ?? ref.adamaxUpdate,
    nadamUpdate: partial.nadamUpdate ?? ref.nadamUpdate,
    adadeltaUpdate: partial.adadeltaUpdate ?? ref.adadeltaUpdate,
  };
}

/** Names (`matmul`, `unary.exp`, ...) of the kernels a registered backend lacks. */
export function missingKernels(name: BackendName): string[] {
  const entry = registered.get(name);
  if (!entry) throw new BackendError(`missingKernels: backend "${name}" is not registered`);
  const missing: string[] = [];
  const partial = entry.kernels as Record<string, unknown>;
  for (const [key, value] of Object.entries(referenceKernels)) {
    const own = partial[key];
    if (typeof value === "function") {
      if (typeof own !== "function") missing.push(key);
    } else {
      for (const sub of Object.keys(value as object)) {
        if (!own || typeof (own as Record<string, unknown>)[sub] !== "function")
          missing.push(`${key}.${sub}`);
      }
    }
  }
  return missing;
}

/**
 * Makes a backend available. The highest-priority backend becomes active unless the user chose
 * one with setBackend or TESSERA_BACKEND.
 */
export function registerBackend(name: BackendName, kernels: PartialKernels, priority: number): void {
  registered.set(name, { kernels, priority });
  if (
    forced === name ||
    (!chosenByUser && forced === undefined && priority > (registered.get(activeName)?.priority ?? 0))
  ) {
    activeName = name;
    active = mergeWithReference(kernels);
  }
}

/** Selects a registered backend by name. */
export function setBackend(name: BackendName): void {
  const entry = registered.get(name);
  if (!entry) {
    throw new BackendError(
      `setBackend: backend "${name}" is not available (registered: ${[...registered.keys()].join(", ")})`,
    );
  }
  chosenByUser = true;
  activeName = name;
  active = name === "reference" ? referenceKernels : mergeWithReference(entry.kernels);
}

/** Name of the backend whose kernels run now. */
export function getBackend(): BackendName {
  requireForcedBackend();
  return activeName;
}

/**
 * The running backend in words, for the first line a user reads: "native (avx512, 2 threads)",
 * "reference".
 */
export function describeBackend(): string {
  const name = getBackend();
  const addon = nativeAddon();
  if (name !== "native" || addon === undefined) return name;
  const threads = addon.getNumThreads();
  return `native (${addon.getIsa()}, ${threads} thread${threads === 1 ? "" : "s"})`;
}

/** Names of every registered backend. */
export function listBackends(): BackendName[] {
  return [...registered.keys()];
}

/**
 * The active kernel table (reference-filled). Throws, like getBackend, while TESSERA_BACKEND
 * forces a backend that is not there (until setBackend chooses one), rather than quietly
 * running another.
 */
export function kernels(): Kernels {
  requireForcedBackend();
  return active;
}

// Last, once the tables above exist: the native addon where the host has one.
const nativeTable = loadNativeBackend();
if (nativeTable !== undefined) registerBackend("native", nativeTable, 2);
