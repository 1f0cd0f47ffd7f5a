// io/predictor: ModelPredictor (model-predictor.ts) with load(dir), which reads a saved model
// directory from disk. Shared by `tessera predict`/`evaluate` and the inference server's model
// loader.
import { type LoadOptions, loadModelBundle } from "./load-model.js";
import { ModelPredictor as PortablePredictor } from "./model-predictor.js";

export class ModelPredictor extends PortablePredictor {
  static async load(dir: string, options: LoadOptions = {}): Promise<ModelPredictor> {
    return new ModelPredictor(await loadModelBundle(dir, options));
  }
}
