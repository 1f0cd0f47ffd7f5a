// io/checkpoint: resumable training checkpoints. A checkpoint directory is a model directory plus
//   optimizer.safetensors  the optimizer's slot arrays, named "<parameter index>/<slot>"
//   checkpoint.json        where to resume: epoch, step within it, the epoch's row order, the
//                          global generator's state, and the optimizer's step count and scalars
// loadCheckpoint() rebuilds the compiled model with its optimizer state pending and restores the
// random state last, so fit(batches, { initialEpoch }) continues exactly where the run stopped.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { FormatError } from "../core/errors.js";
import { type GeneratorState, getGenerator } from "../core/random.js";
import type { Model } from "../models/model.js";
import type { OptimizerState } from "../optim/optimizer.js";
import { Tensor } from "../tensor/tensor.js";
import { trainingStateOf } from "../train/compile.js";
import { recoverDirectory } from "./directory-recovery.js";
import { type LoadedModel, loadModelBundle } from "./load-model.js";
import { CHECKPOINT_JSON, OPTIMIZER_FILE } from "./model-format.js";
import type { BatchPosition } from "./resumable-batches.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";
import { isJsonObject, parseStrictJson } from "./strict-json.js";

export const CHECKPOINT_FORMAT = "tessera-checkpoint";
export const CHECKPOINT_VERSION = 1;

/** Where training stands when a checkpoint is written. */
export interface TrainingPosition {
  /** The epoch to run next (0-based). */
  readonly epoch: number;
  /** Within that epoch: the row order and the next batch, or null to start the epoch afresh. */
  readonly batches: BatchPosition | null;
}

function encodeOrder(order: Int32Array): string {
  return Buffer.from(new Uint8Array(Int32Array.from(order).buffer)).toString("base64");
}

function decodeOrder(text: string, where: string): Int32Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 4 !== 0) throw new FormatError(`${where}: "batches.order" is not a list of int32`);
  const order = new Int32Array(bytes.length / 4);
  new Uint8Array(order.buffer).set(bytes);
  return order;
}

/** The global generator's state with its words as unsigned 32-bit integers. */
function randomState(): GeneratorState {
  const { s, spareNormal } = getGenerator().getState();
  return { s: [s[0] >>> 0, s[1] >>> 0, s[2] >>> 0, s[3] >>> 0], spareNormal };
}

/** The extra files of a checkpoint (optimizer slots and position) for a compiled model. */
export function checkpointFiles(
  model: Model,
  position: TrainingPosition,
): Record<string, Uint8Array | string> {
  const state = trainingStateOf(model);
  const files: Record<string, Uint8Array | string> = {};
  let optimizer: Omit<OptimizerState, "state"> | null = null;
  if (state !== null) {
    const dict = state.optimizer.stateDict();
    const tensors: [string, Tensor][] = [];
    for (const [index, slots] of Object.entries(dict.state)) {
      for (const [slot, data] of Object.entries(slots))
        tensors.push([`${index}/${slot}`, new Tensor(data, [data.length])]);
    }
    files[OPTIMIZER_FILE] = encodeSafetensors(tensors, { format: "tessera-optimizer" });
    optimizer = {
      className: dict.className,
      iterations: dict.iterations,
      config: dict.config,
      globals: dict.globals,
    };
  }
  const json = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    epoch: position.epoch,
    batches:
      position.batches === null
        ? null
        : { nextStep: position.batches.nextStep, order: encodeOrder(position.batches.order) },
    random: randomState(),
    optimizer,
  };
  files[CHECKPOINT_JSON] = `${JSON.stringify(json)}\n`;
  return files;
}

/**
 * Whether `dir` holds a resumable checkpoint, after finishing a save that was killed mid-swap (so
 * a kill at any point of a save leaves the old or the new checkpoint, and resume finds it).
 * @example
 * if (hasCheckpoint("runs/x/checkpoint")) await loadCheckpoint("runs/x/checkpoint");
 */
export function hasCheckpoint(dir: string): boolean {
  recoverDirectory(dir);
  return existsSync(join(dir, CHECKPOINT_JSON));
}

/** A checkpoint loaded and ready to resume. */
export interface LoadedCheckpoint extends LoadedModel {
  readonly position: TrainingPosition;
}

function checkRandomState(value: unknown, where: string): GeneratorState {
  const ok =
    isJsonObject(value) &&
    Array.isArray(value.s) &&
    value.s.length === 4 &&
    value.s.every((v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 2 ** 32) &&
    (value.spareNormal === null || typeof value.spareNormal === "number");
  if (!ok)
    throw new FormatError(`${where}: "random" must be a generator state {s: [4 x uint32], spareNormal}`);
  return value as unknown as GeneratorState;
}

/**
 * Loads a resumable checkpoint: the compiled model with its optimizer state (applied at the first
 * step), and its position. The global random state is restored last, so call this after every
 * other random draw of the program (data splits) and right before fit().
 * @example
 * const ckpt = await loadCheckpoint("runs/x/checkpoint");
 * if (ckpt.position.batches) batches.restore(ckpt.position.batches);
 * await ckpt.model.fit(batches, { epochs: 20, initialEpoch: ckpt.position.epoch, stepsPerEpoch: batches.steps });
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const bundle = await loadModelBundle(dir);
  const where = join(dir, CHECKPOINT_JSON);
  let text: string;
  try {
    text = await readFile(where, "utf8");
  } catch {
    throw new FormatError(`${where}: missing; ${dir} is a model directory but not a resumable checkpoint`);
  }
  const json = parseStrictJson(text, where);
  if (!isJsonObject(json) || json.format !== CHECKPOINT_FORMAT)
    throw new FormatError(`${where}: not a Tessera checkpoint`);
  if (json.version !== CHECKPOINT_VERSION)
    throw new FormatError(`${where}: unsupported checkpoint version ${String(json.version)}`);
  const epoch = json.epoch;
  if (typeof epoch !== "number" || !Number.isInteger(epoch) || epoch < 0)
    throw new FormatError(`${where}: "epoch" must be an integer >= 0`);
  let batches: BatchPosition | null = null;
  if (json.batches !== null && json.batches !== undefined) {
    const b = json.batches;
    if (
      !isJsonObject(b) ||
      typeof b.order !== "string" ||
      typeof b.nextStep !== "number" ||
      !Number.isInteger(b.nextStep)
    ) {
      throw new FormatError(`${where}: "batches" must be {nextStep, order}`);
    }
    batches = { order: decodeOrder(b.order, where), nextStep: b.nextStep };
  }
  const random = checkRandomState(json.random, where);

  const state = trainingStateOf(bundle.model);
  if (json.optimizer !== null && json.optimizer !== undefined) {
    if (state === null)
      throw new FormatError(
        `${where}: the checkpoint has optimizer state but the model has no compile config`,
      );
    const saved = json.optimizer;
    if (!isJsonObject(saved)) throw new FormatError(`${where}: "optimizer" must be an object`);
    const slotsPath = join(dir, OPTIMIZER_FILE);
    const { tensors } = decodeSafetensors(new Uint8Array(await readFile(slotsPath)), slotsPath);
    const slots: OptimizerState["state"] = {};
    for (const [name, t] of tensors) {
      const parts = name.split("/");
      const [index, slot] = parts;
      // Slot names are identifiers ("m", "v", "momentum"); one named after an Object.prototype
      // member ("__proto__") would set the prototype of the slots object instead of a slot.
      if (
        parts.length !== 2 ||
        index === undefined ||
        slot === undefined ||
        !/^\d+$/.test(index) ||
        !/^[A-Za-z][A-Za-z0-9_]*$/.test(slot) ||
        slot in Object.prototype ||
        (t.dtype !== "float32" && t.dtype !== "float64")
      ) {
        throw new FormatError(`${slotsPath}: unexpected tensor "${name}"`);
      }
      (slots[index] ??= {})[slot] = t.data as Float32Array | Float64Array;
    }
    try {
      state.optimizer.loadStateDict({ ...(saved as unknown as Omit<OptimizerState, "state">), state: slots });
    } catch (error) {
      throw new FormatError(`${where}: optimizer state does not fit the model: ${(error as Error).message}`);
    }
  }
  getGenerator().setState(random);
  return { ...bundle, position: { epoch, batches } };
}
