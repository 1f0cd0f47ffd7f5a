// io/onnx/load-onnx: ts.loadOnnx(path): reads an .onnx file and returns an OnnxModel that predicts
// with Tessera's ops (see import/onnx-model for what is checked on load). Layer: io.
import { readFile } from "node:fs/promises";
import { type OnnxModel, parseOnnx } from "./import/onnx-model.js";

/**
 * Loads an ONNX model for inference.
 * @example
 * const m = await loadOnnx("model.onnx");
 * m.predict(randn([2, 4]));
 */
export async function loadOnnx(path: string): Promise<OnnxModel> {
  return parseOnnx(new Uint8Array(await readFile(path)), path);
}

export type { OnnxValueInfo } from "./import/onnx-model.js";
export { OnnxModel, parseOnnx, supportedOnnxOperators } from "./import/onnx-model.js";
