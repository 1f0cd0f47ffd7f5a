// train/callbacks/monitor: which way a monitored quantity should move ("min" or "max"), shared by
// earlyStopping and reduceLROnPlateau. "auto" asks the model's compiled metrics, then the name.
import { ConfigError } from "../../core/errors.js";
import type { CallbackModel } from "./callback.js";

export type MonitorMode = "auto" | "min" | "max";

const HIGHER_IS_BETTER = /(^|_)(acc|accuracy|auc|precision|recall|f1|f1_score|r2|r2_score|fmeasure)$/;
const LOWER_IS_BETTER = /(^|_)(loss|mae|mse|rmse|mape|error|crossentropy|hinge|poisson|divergence)$/;

/** Checks a mode option. */
export function checkMode(op: string, mode: unknown): MonitorMode {
  if (mode === "auto" || mode === "min" || mode === "max") return mode;
  throw new ConfigError(`${op}: mode must be "auto", "min" or "max" (got ${JSON.stringify(mode)})`);
}

/** "min" or "max" for `monitor` (e.g. "val_accuracy") under `mode`. */
export function resolveMode(
  op: string,
  monitor: string,
  mode: MonitorMode,
  model: CallbackModel,
): "min" | "max" {
  if (mode !== "auto") return mode;
  const name = monitor.startsWith("val_") ? monitor.slice(4) : monitor;
  const direction = model.metricDirection?.(name);
  if (direction !== undefined) return direction === "up" ? "max" : "min";
  if (LOWER_IS_BETTER.test(name)) return "min";
  if (HIGHER_IS_BETTER.test(name)) return "max";
  throw new ConfigError(
    `${op}: cannot tell whether "${monitor}" should be minimized or maximized; pass mode: "min" or "max"`,
  );
}
