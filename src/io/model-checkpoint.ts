// io/model-checkpoint: the modelCheckpoint callback (Keras ModelCheckpoint). Saves the model
// directory every epoch or every `saveFreq` batches, optionally only when the monitored value
// improves; with `resumable` it also writes the optimizer state, the position in the data and
// the random state, so loadCheckpoint() + fit() continue the run exactly. Writes are atomic and
// synchronous (callback hooks are synchronous), so a crash leaves the previous checkpoint intact.
import { ConfigError } from "../core/errors.js";
import type { Model } from "../models/model.js";
import { Callback, type Logs } from "../train/callbacks/callback.js";
import { checkMode, type MonitorMode, resolveMode } from "../train/callbacks/monitor.js";
import { checkpointFiles, type TrainingPosition } from "./checkpoint.js";
import type { ResumableBatches } from "./resumable-batches.js";
import { type SaveOptions, saveModelSync } from "./save-model.js";

export interface ModelCheckpointOptions {
  /** Directory to save to; may hold {epoch} (1-based), {batch} and log keys: "runs/ckpt-{epoch:02d}-{val_loss:.3f}". */
  filepath: string;
  /** Logged value watched by saveBestOnly (default "val_loss"). */
  monitor?: string;
  /** Save only when `monitor` improves on the best seen so far (default false). */
  saveBestOnly?: boolean;
  /** Whether larger or smaller is better for `monitor` (default "auto": from its name). */
  mode?: MonitorMode;
  /** "epoch" (default) or a number of batches between saves. */
  saveFreq?: "epoch" | number;
  /** Also save what resuming needs: optimizer state, data position and random state (default false). */
  resumable?: boolean;
  /** The batches fit runs on, required to resume in the middle of an epoch (saveFreq in batches). */
  data?: ResumableBatches;
  /** 1 prints a line per save (default 0). */
  verbose?: 0 | 1;
  /** Extra save options (preprocessing, columns, metadata) for every save. */
  save?: SaveOptions;
}

/** Fills {name} and {name:fmt} (fmt: 02d, .4f, .3e) from the epoch, batch and logs. */
export function formatCheckpointPath(template: string, values: Readonly<Record<string, number>>): string {
  return template.replace(
    /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g,
    (whole, name: string, format: string | undefined) => {
      // Own keys only: {constructor} must not print Object.prototype's function.
      const value = Object.hasOwn(values, name) ? values[name] : undefined;
      if (value === undefined)
        throw new ConfigError(`modelCheckpoint: the path uses {${name}} but no such value is logged`);
      if (format === undefined || format === "") return String(value);
      const width = /^0?(\d+)d$/.exec(format);
      if (width !== null)
        return String(Math.trunc(value)).padStart(Number(width[1]), format.startsWith("0") ? "0" : " ");
      const fixed = /^\.(\d+)f$/.exec(format);
      if (fixed !== null) return value.toFixed(Number(fixed[1]));
      const exp = /^\.(\d+)e$/.exec(format);
      if (exp !== null) return value.toExponential(Number(exp[1]));
      throw new ConfigError(`modelCheckpoint: unsupported format "${format}" in ${whole}`);
    },
  );
}

export class ModelCheckpoint extends Callback<Model> {
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly mode: MonitorMode;
  readonly saveFreq: "epoch" | number;
  readonly resumable: boolean;
  readonly data: ResumableBatches | undefined;
  readonly verbose: 0 | 1;
  readonly saveOptions: SaveOptions;
  /** Best monitored value so far (for saveBestOnly). */
  best: number | null = null;
  /** Paths written, in order. */
  readonly saved: string[] = [];
  private direction: "min" | "max" | null = null;
  private epoch = 0;
  private batchesSinceSave = 0;

  constructor(options: ModelCheckpointOptions) {
    super();
    const op = "modelCheckpoint";
    if (typeof options?.filepath !== "string" || options.filepath === "")
      throw new ConfigError(`${op}: filepath must be a non-empty string`);
    this.filepath = options.filepath;
    this.monitor = options.monitor ?? "val_loss";
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.mode = checkMode(op, options.mode ?? "auto");
    const freq = options.saveFreq ?? "epoch";
    if (freq !== "epoch" && (!Number.isInteger(freq) || (freq as number) < 1)) {
      throw new ConfigError(
        `${op}: saveFreq must be "epoch" or a positive integer (got ${JSON.stringify(freq)})`,
      );
    }
    this.saveFreq = freq;
    this.resumable = options.resumable ?? false;
    this.data = options.data;
    if (this.resumable && freq !== "epoch" && this.data === undefined) {
      throw new ConfigError(
        `${op}: resuming in the middle of an epoch needs data: the ResumableBatches given to fit`,
      );
    }
    this.verbose = options.verbose ?? 0;
    this.saveOptions = options.save ?? {};
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    if (this.saveFreq === "epoch") return;
    this.batchesSinceSave++;
    if (this.batchesSinceSave < this.saveFreq) return;
    this.batchesSinceSave = 0;
    const position = this.data?.position() ?? null;
    const steps = this.data?.steps ?? this.params.steps;
    const endOfEpoch =
      position === null ? batch + 1 === steps : position.nextStep >= (steps ?? Number.POSITIVE_INFINITY);
    this.maybeSave(
      logs,
      { epoch: this.epoch + 1, batch: batch + 1 },
      endOfEpoch ? { epoch: this.epoch + 1, batches: null } : { epoch: this.epoch, batches: position },
    );
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.saveFreq !== "epoch") return;
    this.maybeSave(logs, { epoch: epoch + 1 }, { epoch: epoch + 1, batches: null });
  }

  private maybeSave(logs: Logs, counters: Record<string, number>, position: TrainingPosition): void {
    if (this.saveBestOnly) {
      const value = logs[this.monitor];
      if (value === undefined || !Number.isFinite(value)) {
        console.warn(
          `modelCheckpoint: "${this.monitor}" is not in the logs (${Object.keys(logs).join(", ")}); skipping`,
        );
        return;
      }
      this.direction ??= resolveMode("modelCheckpoint", this.monitor, this.mode, this.model);
      const better = this.best === null || (this.direction === "min" ? value < this.best : value > this.best);
      if (!better) return;
      this.best = value;
    }
    const path = formatCheckpointPath(this.filepath, { ...logs, ...counters });
    const extra = this.resumable ? checkpointFiles(this.model, position) : {};
    saveModelSync(this.model, path, this.saveOptions, extra);
    this.saved.push(path);
    if (this.verbose > 0) console.log(`modelCheckpoint: saved ${path}`);
  }
}

/**
 * Saves the model during fit: every epoch or every N batches, optionally only on improvement,
 * optionally resumable.
 * @example
 * const ckpt = modelCheckpoint({ filepath: "runs/best", monitor: "val_loss", saveBestOnly: true });
 * await model.fit(x, y, { epochs: 50, validationSplit: 0.2, callbacks: [ckpt] });
 */
export function modelCheckpoint(options: ModelCheckpointOptions): ModelCheckpoint {
  return new ModelCheckpoint(options);
}
