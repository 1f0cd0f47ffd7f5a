// io/csv-file-logger: the file-backed csvLogger (Keras CSVLogger(filename)): one row per epoch,
// appended and flushed as each epoch ends, so a crash keeps every finished epoch. The callback
// itself lives in train/callbacks/csv-logger.ts; this file only supplies the file sink.
import { appendFileSync, existsSync, statSync, writeFileSync } from "node:fs";
import { CsvLogger, type CsvLoggerOptions, type CsvSink } from "../train/callbacks/csv-logger.js";

/** A CsvSink writing to `filename` (truncated at the start of fit unless appending). */
export function csvFileSink(filename: string): CsvSink {
  return {
    open(append: boolean): void {
      if (!append || !existsSync(filename)) writeFileSync(filename, "");
    },
    hasContent(): boolean {
      return existsSync(filename) && statSync(filename).size > 0;
    },
    write(text: string): void {
      appendFileSync(filename, text);
    },
  };
}

/**
 * Streams epoch results to a CSV file.
 * @example
 * await model.fit(x, y, { epochs: 10, callbacks: [csvFileLogger("runs/training.csv")] });
 */
export function csvFileLogger(filename: string, options: CsvLoggerOptions = {}): CsvLogger {
  return new CsvLogger(csvFileSink(filename), options);
}
