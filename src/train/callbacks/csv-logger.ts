// train/callbacks/csv-logger: streams one CSV row per epoch (`epoch` first, then the logged names in
// sorted order) to a sink. The sink is injectable because train/ may not touch the file system;
// io/csv-file-logger.ts gives the file-backed variant.
import { ConfigError } from "../../core/errors.js";
import { Callback, type CallbackModel, type Logs } from "./callback.js";

/** Where CSV text goes. `hasContent` lets `append` skip the header when rows are already there. */
export interface CsvSink {
  write(text: string): void;
  /** Called at the start of fit; `append` false means the previous content is to be discarded. */
  open?(append: boolean): void;
  /** True when the sink already holds text (only asked when appending). */
  hasContent?(): boolean;
  /** Called at the end of fit. */
  close?(): void;
}

export interface CsvLoggerOptions {
  /** Field separator (default ","). */
  separator?: string;
  /** Keep earlier rows and skip the header when the sink has content (default false). */
  append?: boolean;
}

/** A number as CSV text: NaN and infinities as Python writes them, so pandas reads them back. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return String(value);
}

function quote(field: string, separator: string): string {
  return field.includes(separator) || /["\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/**
 * Writes `epoch,accuracy,loss,val_accuracy,val_loss` rows (epoch from 0, as Keras) to a sink.
 * @example
 * const rows: string[] = [];
 * model.fit(x, y, { callbacks: [csvLogger({ write: (t) => rows.push(t) })] });
 */
export class CsvLogger extends Callback<CallbackModel> {
  readonly separator: string;
  readonly append: boolean;
  private readonly sink: CsvSink;
  private keys: string[] | null = null;

  constructor(sink: CsvSink, options: CsvLoggerOptions = {}) {
    super();
    this.sink = sink;
    this.separator = options.separator ?? ",";
    if (this.separator.length === 0 || /["\r\n]/.test(this.separator)) {
      throw new ConfigError(
        `csvLogger: separator must be non-empty and not a quote or newline (got ${JSON.stringify(this.separator)})`,
      );
    }
    this.append = options.append ?? false;
  }

  override onTrainBegin(_logs: Logs): void {
    this.sink.open?.(this.append);
    this.keys = null;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const sep = this.separator;
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      const skipHeader = this.append && this.sink.hasContent?.() === true;
      if (!skipHeader) this.sink.write(`${["epoch", ...this.keys].map((k) => quote(k, sep)).join(sep)}\n`);
    }
    const row = [String(epoch), ...this.keys.map((k) => (k in logs ? formatValue(logs[k]!) : "NA"))];
    this.sink.write(`${row.join(sep)}\n`);
  }

  override onTrainEnd(_logs: Logs): void {
    this.sink.close?.();
  }
}

/** A CsvLogger writing to `sink`. */
export function csvLogger(sink: CsvSink, options: CsvLoggerOptions = {}): CsvLogger {
  return new CsvLogger(sink, options);
}
