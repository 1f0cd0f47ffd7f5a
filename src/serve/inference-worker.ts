// serve/inference-worker: the worker-thread entry that loads one model directory and runs batches
// on it, so inference never blocks the server's event loop. Before the model it imports the
// preload modules (`tessera serve --import`), which is where custom layers get registered.
// Messages:
//   in:  {type: "batch", id, items: BatchItem[]} (an item with "explain" runs on its own)
//   out: {type: "ready", signature, loadMs, backend} | {type: "load-error", message}
//        {type: "result", id, results: ItemResult[], inferenceMs, planReplays}
// planReplays: the model calls of the batch answered by replaying an inference plan (0 or 1 for
// a predict batch; models/inference-plans), counted in the server's /metrics.
import { parentPort, workerData } from "node:worker_threads";
import { type BackendName, getBackend } from "../backend/registry.js";
import type { TypedArray } from "../core/dtype.js";
import { TesseraError } from "../core/errors.js";
import { inferencePlanStats } from "../models/inference-plans.js";
import { type BatchItem, type ItemResult, rowSize, type Servable, type ServableLoader } from "./servable.js";

export interface WorkerData {
  readonly dir: string;
  readonly loaderUrl: string;
  /** Module URLs imported, in order, before the model loads. */
  readonly preload: readonly string[];
}

export type WorkerRequest = { readonly type: "batch"; readonly id: number; readonly items: BatchItem[] };
export type WorkerReply =
  | {
      readonly type: "ready";
      readonly signature: Servable["signature"];
      readonly loadMs: number;
      /** The backend this worker's kernels run on. */
      readonly backend: BackendName;
    }
  | { readonly type: "load-error"; readonly message: string }
  | {
      readonly type: "result";
      readonly id: number;
      readonly results: ItemResult[];
      readonly inferenceMs: number;
      readonly planReplays: number;
    };

function concat(parts: readonly TypedArray[]): TypedArray {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const first = parts[0]!;
  const out = new (first.constructor as new (length: number) => TypedArray)(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** An /explain item, on its own: encoded like any item, then the servable's explain(). */
async function runExplain(
  servable: Servable,
  inputs: TypedArray[],
  rows: number,
  request: NonNullable<BatchItem["explain"]>,
): Promise<ItemResult> {
  if (servable.explain === undefined)
    return { ok: false, status: 501, message: "this model does not support explanations" };
  try {
    return { ok: true, outputs: servable.explain(inputs, rows, request) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      status: error instanceof TesseraError ? 400 : 500,
      message: `explain failed: ${message}`,
    };
  }
}

/** Runs a batch: encode each item (a bad record fails only its item), predict once, split by rows. */
export async function runBatch(servable: Servable, items: readonly BatchItem[]): Promise<ItemResult[]> {
  const { inputs: inputSpecs, outputs: outputSpecs } = servable.signature;
  const results: (ItemResult | undefined)[] = new Array(items.length);
  const encoded: { index: number; inputs: TypedArray[]; rows: number }[] = [];
  const explained: { index: number; inputs: TypedArray[]; rows: number }[] = [];
  for (const [index, item] of items.entries()) {
    try {
      let inputs: TypedArray[];
      if (item.kind === "tensors") inputs = item.inputs;
      else if (servable.encodeRecords === undefined)
        throw new Error("this model has no preprocessing for raw records");
      else inputs = await servable.encodeRecords(item.records);
      inputSpecs.forEach((spec, k) => {
        const expected = item.rows * rowSize(spec);
        if (inputs[k]?.length !== expected) {
          throw new Error(
            `preprocessing produced ${inputs[k]?.length} values for input "${spec.name}" (expected ${expected})`,
          );
        }
      });
      (item.explain === undefined ? encoded : explained).push({ index, inputs, rows: item.rows });
    } catch (error) {
      results[index] = {
        ok: false,
        status: 400,
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }
  if (encoded.length > 0) {
    const rows = encoded.reduce((n, e) => n + e.rows, 0);
    try {
      const merged = inputSpecs.map((_, k) => concat(encoded.map((e) => e.inputs[k]!)));
      const outputs = await servable.predict(merged, rows);
      let row = 0;
      for (const e of encoded) {
        results[e.index] = {
          ok: true,
          outputs: outputSpecs.map((spec, k) => {
            const size = rowSize(spec);
            const data = outputs[k];
            if (data === undefined || data.length !== rows * size) {
              throw new Error(
                `model output "${spec.name}" has ${data?.length} values (expected ${rows * size})`,
              );
            }
            return data.slice(row * size, (row + e.rows) * size);
          }),
        };
        row += e.rows;
      }
    } catch (error) {
      const message = `inference failed: ${error instanceof Error ? error.message : String(error)}`;
      for (const e of encoded) results[e.index] = { ok: false, status: 500, message };
    }
  }
  for (const e of explained)
    results[e.index] = await runExplain(servable, e.inputs, e.rows, items[e.index]!.explain!);
  return results.map((r) => r ?? { ok: false, status: 500, message: "no result" });
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const data = workerData as WorkerData;
  const started = performance.now();
  let servable: Servable;
  try {
    for (const url of data.preload) {
      try {
        await import(url);
      } catch (error) {
        throw new Error(`preload module ${url}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const loader = (await import(data.loaderUrl)) as { loadServable?: ServableLoader };
    if (typeof loader.loadServable !== "function")
      throw new Error(`${data.loaderUrl} does not export loadServable`);
    servable = await loader.loadServable(data.dir);
  } catch (error) {
    port.postMessage({
      type: "load-error",
      message: error instanceof Error ? error.message : String(error),
    } satisfies WorkerReply);
    return;
  }
  port.postMessage({
    type: "ready",
    signature: servable.signature,
    loadMs: performance.now() - started,
    backend: getBackend(),
  } satisfies WorkerReply);
  port.on("message", (message: WorkerRequest) => {
    const begin = performance.now();
    const replaysBefore = inferencePlanStats().replays;
    void runBatch(servable, message.items).then((results) => {
      const transfer = results.flatMap((r) => (r.ok ? r.outputs.map((o) => o.buffer as ArrayBuffer) : []));
      const reply: WorkerReply = {
        type: "result",
        id: message.id,
        results,
        inferenceMs: performance.now() - begin,
        planReplays: inferencePlanStats().replays - replaysBefore,
      };
      port.postMessage(reply, transfer);
    });
  });
}

await serve();
