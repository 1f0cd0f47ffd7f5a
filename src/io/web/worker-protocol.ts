// io/web/worker-protocol: the messages between a page and a Tessera training worker (a module Web
// Worker running worker-host.ts; the page side is worker-trainer.ts). Browser-safe, no node:*.
//
// Every request carries an `id`; the worker answers it with exactly one `result` or `error`, and
// while a fit runs it posts `epoch` (and, when asked, `batch`) events with that fit's id.
// Requests run one after another in the order they came, except `cancel`, handled at once.
//
//   page -> worker                                     worker -> page
//   {type:"init", id, wasm: url|null}                  {type:"result", id, value: backend in words}
//   {type:"fit", id, model: WireModel, x, y,           {type:"epoch", id, epoch, logs}
//      options: WireFitOptions, batches: boolean}      {type:"batch", id, epoch, batch, logs}
//                                                      {type:"result", id, value: WireFitResult}
//   {type:"predict", id, x, batchSize?}                {type:"result", id, value: WireTensor}
//   {type:"load", id, url}  (loadModelFromUrl)         {type:"result", id, value: WireModel}
//   {type:"weights", id}                               {type:"result", id, value: WireModel}
//   {type:"cancel", id: <the fit's id>}                (the fit stops after its current batch and
//                                                       answers its result with cancelled: true)
//   any failure                                        {type:"error", id, error: {name, message}}
//
// Tensors travel as {shape, dtype, data} (a typed array, structured-cloned; the worker transfers
// the buffers it sends). A model travels as its architecture ({className, config}, as in
// model.json), its compile() options as model.json's "training" JSON, and its weights by path.
import type { DType, TypedArray } from "../../core/dtype.js";
import * as errors from "../../core/errors.js";
import { ConfigError, ShapeError, TesseraError, ValueError } from "../../core/errors.js";
import "../../models/functional.js";
import { Model } from "../../models/model.js";
import "../../models/sequential.js";
import "../../nn/layers/index.js";
import type { Serialized } from "../../nn/config.js";
import { deserializeLayer, serializeLayer } from "../../nn/registry.js";
import { Tensor } from "../../tensor/tensor.js";
import type { Logs } from "../../train/callbacks/callback.js";
import type { JsonObject } from "../strict-json.js";
import { compileConfigOf, compileFromConfig } from "../training-config.js";

/** A tensor on the wire. */
export interface WireTensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: TypedArray;
}

/** A weight on the wire: its stable path ("conv2d_1/kernel") and value. */
export interface WireWeight extends WireTensor {
  readonly path: string;
}

/** A model on the wire: what rebuilds it (architecture, compile options) and its weights. */
export interface WireModel {
  readonly architecture: Serialized;
  /** compile() options as model.json's "training" field; null when not compiled. */
  readonly training: JsonObject | null;
  /** Weights by path; null lets the worker keep the fresh initialisation. */
  readonly weights: readonly WireWeight[] | null;
}

/** The fit options that cross the boundary (data stays arrays; callbacks are events). */
export interface WireFitOptions {
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly shuffle?: boolean;
  /** Keras's: the last fraction of the rows (before shuffling) validates. */
  readonly validationSplit?: number;
  readonly validationData?: readonly [WireTensor, WireTensor];
  /** seed(n) in the worker before the fit, for shuffling and dropout. */
  readonly seed?: number;
}

/** What a fit answers. */
export interface WireFitResult {
  /** Per metric, one value per finished epoch (as History.history). */
  readonly history: Record<string, number[]>;
  /** Epochs finished. */
  readonly epochs: number;
  readonly cancelled: boolean;
  readonly model: WireModel;
}

export type WorkerRequest =
  | { readonly type: "init"; readonly id: number; readonly wasm: string | null }
  | {
      readonly type: "fit";
      readonly id: number;
      readonly model: WireModel;
      readonly x: WireTensor;
      readonly y: WireTensor;
      readonly options: WireFitOptions;
      readonly batches: boolean;
    }
  | { readonly type: "predict"; readonly id: number; readonly x: WireTensor; readonly batchSize?: number }
  | { readonly type: "load"; readonly id: number; readonly url: string }
  | { readonly type: "weights"; readonly id: number }
  | { readonly type: "cancel"; readonly id: number };

export type WorkerReply =
  | { readonly type: "result"; readonly id: number; readonly value: unknown }
  | { readonly type: "error"; readonly id: number; readonly error: WireError }
  | { readonly type: "epoch"; readonly id: number; readonly epoch: number; readonly logs: Logs }
  | {
      readonly type: "batch";
      readonly id: number;
      readonly epoch: number;
      readonly batch: number;
      readonly logs: Logs;
    };

/** An error on the wire: the class's name and the message. */
export interface WireError {
  readonly name: string;
  readonly message: string;
}

/** The end of a message channel both sides use: a Worker, a worker's global scope, a MessagePort. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  /** "message" events carry `data`; a Worker's "error" events carry `message`. */
  addEventListener(type: string, listener: (event: { data?: unknown; message?: string }) => void): void;
}

/** A tensor as a wire tensor (its data shared, not copied: structured clone copies it). */
export function toWire(t: Tensor): WireTensor {
  return { shape: [...t.shape], dtype: t.dtype, data: t.data };
}

/** A wire tensor as a Tensor, checking that shape and data agree. */
export function fromWire(wire: WireTensor, what: string): Tensor {
  if (
    typeof wire !== "object" ||
    wire === null ||
    !ArrayBuffer.isView(wire.data) ||
    !Array.isArray(wire.shape)
  )
    throw new ValueError(`${what}: expected a tensor {shape, dtype, data} (got ${typeof wire})`);
  return new Tensor(wire.data, wire.shape, wire.dtype);
}

/** A model's architecture, compile options and (copied) weights, ready to post. */
export function modelToWire(model: Model): WireModel {
  return {
    architecture: serializeLayer(model),
    training: compileConfigOf(model),
    weights: model.weightEntries().map((entry) => ({
      path: entry.path,
      shape: [...entry.tensor.shape],
      dtype: entry.tensor.dtype,
      data: entry.tensor.data.slice(),
    })),
  };
}

/** The model a wire model describes: rebuilt through the layer registry, compiled, its weights set when sent. */
export function modelFromWire(wire: WireModel, what: string): Model {
  const layer = deserializeLayer(wire.architecture);
  if (!(layer instanceof Model))
    throw new ConfigError(`${what}: the architecture is a ${layer.className}, not a model`);
  if (!layer.built)
    throw new ConfigError(
      `${what}: the architecture does not declare its input shape, so it cannot be built`,
    );
  if (wire.training !== null) compileFromConfig(layer, wire.training);
  if (wire.weights !== null) assignWireWeights(layer, wire.weights, what);
  return layer;
}

/** The buffers of a wire model's weights, for a transfer list. */
export function weightBuffers(model: WireModel): ArrayBufferLike[] {
  return (model.weights ?? []).map((w) => w.data.buffer);
}

/** Copies wire weights into `model`'s weights, by path; every path, dtype and shape must match. */
export function assignWireWeights(model: Model, weights: readonly WireWeight[], what: string): void {
  const entries = new Map(model.weightEntries().map((entry) => [entry.path, entry.tensor]));
  if (entries.size !== weights.length)
    throw new ValueError(`${what}: the model has ${entries.size} weights (got ${weights.length})`);
  for (const weight of weights) {
    const target = entries.get(weight.path);
    if (target === undefined) throw new ValueError(`${what}: the model has no weight "${weight.path}"`);
    const same =
      target.dtype === weight.dtype &&
      target.shape.length === weight.shape.length &&
      target.shape.every((d, i) => d === weight.shape[i]);
    if (!same)
      throw new ShapeError(
        `${what}: weight "${weight.path}" is ${target.dtype} [${target.shape.join(", ")}] (got ${weight.dtype} [${weight.shape.join(", ")}])`,
      );
  }
  for (const weight of weights) entries.get(weight.path)!.data.set(weight.data);
}

/** Every Tessera error class by name (ValueError, ShapeError, ...), to rebuild a worker's error. */
const ERROR_CLASSES = new Map<string, new (message: string) => TesseraError>(
  Object.values(errors)
    .filter((value) => value === TesseraError || value.prototype instanceof TesseraError)
    .map((errorClass) => [errorClass.name, errorClass]),
);

/** An error as it crosses the boundary. */
export function errorToWire(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/** The error the worker threw, rebuilt as its class (a Tessera error class, else a plain Error). */
export function errorFromWire(wire: WireError): Error {
  const ErrorClass = ERROR_CLASSES.get(wire.name);
  if (ErrorClass !== undefined) return new ErrorClass(wire.message);
  const error = new Error(wire.message);
  error.name = wire.name;
  return error;
}
