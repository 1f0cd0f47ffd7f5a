// test/helpers/layer-harness: Keras's run_layer_test for Tessera layers. One call checks a layer's
// output shape (eager and symbolic), parameter counts, the config round trip (the rebuilt layer
// with the same weights gives the same outputs), a float64 finite-difference gradient check with
// respect to the inputs and every trainable weight, and that one SGD step lowers a simple loss.
import assert from "node:assert/strict";
import {
  backward,
  deserializeLayer,
  Generator,
  input,
  type Layer,
  mean,
  mul,
  noGrad,
  optimizers,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
} from "../../src/index.js";

type FloatDType = "float32" | "float64";

export interface LayerTestSpec {
  /** Concrete input shape(s), batch axis first; a list of shapes for multi-input layers. */
  inputShape: readonly number[] | readonly (readonly number[])[];
  /** Expected concrete output shape. */
  expectedOutputShape: readonly number[];
  /** Expected number of scalars in all weights. */
  expectedParams: number;
  /** Expected number of scalars in trainable weights (default: all of them). */
  expectedTrainableParams?: number;
  /** Training flag for the gradient check and the training step (default false). */
  training?: boolean;
  /** Central-difference tolerances (defaults 1e-6 absolute, 1e-5 relative). */
  atol?: number;
  rtol?: number;
  /** Seed of the random inputs, projection and targets (default 7). */
  seed?: number;
  /** Whether the layer's output is deterministic, so the config round trip can compare outputs (default true). */
  deterministic?: boolean;
  /**
   * Integer inputs (token ids) instead of random floats: input i is int32 with values in
   * [0, intInputs[i]) where intInputs[i] > 0 (0 keeps that input float). Int inputs get no gradient check.
   */
  intInputs?: readonly number[];
}

export interface LayerTestReport {
  /** Scalars whose analytic gradient was compared with central differences. */
  checkedGradients: number;
  /** Loss before and after one SGD step (null for layers without trainable weights). */
  lossBefore: number | null;
  lossAfter: number | null;
}

function isShapeList(shape: LayerTestSpec["inputShape"]): shape is readonly (readonly number[])[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

function randomTensor(shape: readonly number[], dtype: FloatDType, g: Generator): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
  // away from zero so that kinks (relu, abs) are not straddled by the finite differences
  for (let i = 0; i < size; i++) data[i] = (g.random() < 0.5 ? -1 : 1) * g.uniform(0.2, 1.5);
  return tensor(data, { shape: [...shape] });
}

function inputsFor(spec: LayerTestSpec, dtype: FloatDType, g: Generator): Tensor[] {
  const shapes = isShapeList(spec.inputShape) ? spec.inputShape : [spec.inputShape as readonly number[]];
  return shapes.map((s, i) => {
    const range = spec.intInputs?.[i] ?? 0;
    if (range === 0) return randomTensor(s, dtype, g);
    const ids = new Int32Array(s.reduce((p, d) => p * d, 1));
    for (let k = 0; k < ids.length; k++) ids[k] = g.int(0, range);
    return tensor(ids, { shape: [...s] });
  });
}

function run(layer: Layer, spec: LayerTestSpec, xs: readonly Tensor[], training: boolean): Tensor {
  return layer.apply(isShapeList(spec.inputShape) ? xs : xs[0]!, { training });
}

/** The scalar L = sum(y * r) for a fixed projection r. */
function projected(y: Tensor, r: Tensor): Tensor {
  return sum(mul(y, r));
}

/**
 * Runs every harness check on a layer built by `factory(dtype)` (a fresh layer per call).
 * @example
 * runLayerTest((dtype) => new Dense({ units: 3, dtype }), { inputShape: [2, 4], expectedOutputShape: [2, 3], expectedParams: 15 });
 */
export function runLayerTest(factory: (dtype: FloatDType) => Layer, spec: LayerTestSpec): LayerTestReport {
  const seed = spec.seed ?? 7;
  const training = spec.training ?? false;

  // 1. shapes and parameter counts, eager and symbolic
  const layer = factory("float32");
  const g = new Generator(seed);
  const xs = inputsFor(spec, "float32", g);
  const y = run(layer, spec, xs, training);
  assert.deepEqual([...y.shape], [...spec.expectedOutputShape], `${layer.className}: output shape`);
  assert.equal(y.dtype, "float32", `${layer.className}: output dtype`);
  assert.equal(layer.countParams(), spec.expectedParams, `${layer.className}: parameter count`);
  const trainable = layer.trainableWeights.reduce((n, w) => n + w.size, 0);
  assert.equal(
    trainable,
    spec.expectedTrainableParams ?? spec.expectedParams,
    `${layer.className}: trainable parameters`,
  );
  for (const w of layer.trainableWeights)
    assert.equal(w.requiresGrad, true, `${layer.className}: trainable weight requires grad`);
  for (const w of layer.nonTrainableWeights)
    assert.equal(w.requiresGrad, false, `${layer.className}: frozen weight requires no grad`);

  const symbolicLayer = factory("float32");
  const shapes = isShapeList(spec.inputShape) ? spec.inputShape : [spec.inputShape as readonly number[]];
  const placeholders = shapes.map((s, i) =>
    input({ shape: s.slice(1), dtype: (spec.intInputs?.[i] ?? 0) > 0 ? "int32" : "float32" }),
  );
  const symbolic = symbolicLayer.apply(isShapeList(spec.inputShape) ? placeholders : placeholders[0]!);
  assert.deepEqual(
    [...symbolic.shape],
    [null, ...spec.expectedOutputShape.slice(1)],
    `${layer.className}: symbolic output shape`,
  );
  assert.equal(
    symbolicLayer.countParams(),
    spec.expectedParams,
    `${layer.className}: parameters when built symbolically`,
  );

  // 2. config round trip: JSON-safe, rebuilt by the registry, same outputs with the same weights
  const config = layer.getConfig();
  const json = JSON.parse(JSON.stringify({ className: layer.className, config }));
  assert.deepEqual(json.config, config, `${layer.className}: config survives JSON`);
  const clone = deserializeLayer(json);
  assert.equal(clone.className, layer.className);
  assert.deepEqual(clone.getConfig(), config, `${layer.className}: config of the rebuilt layer`);
  run(clone, spec, xs, false);
  assert.equal(
    clone.weights.length,
    layer.weights.length,
    `${layer.className}: rebuilt layer has the same weights`,
  );
  clone.setWeights(layer.getWeights());
  if (spec.deterministic ?? true) {
    const a = noGrad(() => run(layer, spec, xs, false));
    const b = noGrad(() => run(clone, spec, xs, false));
    assert.deepEqual([...b.data], [...a.data], `${layer.className}: rebuilt layer gives the same outputs`);
  }

  // 3. float64 gradient check with respect to the inputs and every trainable weight
  const checkedGradients = gradcheckLayer(factory("float64"), spec, seed, training);

  // 4. one SGD step on L = mean((y - target)^2) lowers L
  let lossBefore: number | null = null;
  let lossAfter: number | null = null;
  const stepLayer = factory("float64");
  const gs = new Generator(seed + 1);
  const sxs = inputsFor(spec, "float64", gs);
  const target = randomTensor(spec.expectedOutputShape, "float64", gs);
  run(stepLayer, spec, sxs, training);
  if (stepLayer.trainableWeights.length > 0) {
    const lossOf = (): Tensor => mean(square(sub(run(stepLayer, spec, sxs, training), target)));
    const opt = optimizers.sgd({ learningRate: 1e-3, params: stepLayer.trainableWeights });
    const before = lossOf();
    backward(before);
    opt.step();
    opt.zeroGrad();
    lossBefore = before.item();
    lossAfter = noGrad(() => lossOf()).item();
    assert.ok(
      lossAfter < lossBefore,
      `${layer.className}: one SGD step lowers the loss (${lossBefore} -> ${lossAfter})`,
    );
  } else {
    assert.equal(
      spec.expectedTrainableParams ?? spec.expectedParams,
      0,
      `${layer.className}: no trainable weights to step`,
    );
  }
  return { checkedGradients, lossBefore, lossAfter };
}

/** Central differences of L = sum(layer(x) * r) against autograd, for inputs and trainable weights. */
function gradcheckLayer(layer: Layer, spec: LayerTestSpec, seed: number, training: boolean): number {
  const atol = spec.atol ?? 1e-6;
  const rtol = spec.rtol ?? 1e-5;
  const eps = 1e-6;
  const g = new Generator(seed + 2);
  const xs = inputsFor(spec, "float64", g);
  for (const x of xs) x.requiresGrad = x.dtype === "float64";
  const y0 = run(layer, spec, xs, training);
  assert.equal(y0.dtype, "float64", `${layer.className}: float64 layer gives float64 outputs`);
  const r = randomTensor(y0.shape, "float64", g);
  // a fresh forward pass for the analytic gradient (the first one built the layer)
  for (const w of layer.weights) w.grad = null;
  const loss = projected(run(layer, spec, xs, training), r);
  backward(loss);
  const floatInputs = xs.filter((x) => x.requiresGrad);
  const targets = [...floatInputs, ...layer.trainableWeights];
  let checked = 0;
  targets.forEach((t, which) => {
    const name =
      which < floatInputs.length
        ? `input ${which}`
        : `weight ${layer.weightEntries().find((w) => w.tensor === t)?.path}`;
    const analytic = t.grad;
    const data = t.data as Float64Array;
    for (let i = 0; i < data.length; i++) {
      const saved = data[i]!;
      data[i] = saved + eps;
      const plus = noGrad(() => projected(run(layer, spec, xs, training), r).item());
      data[i] = saved - eps;
      const minus = noGrad(() => projected(run(layer, spec, xs, training), r).item());
      data[i] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const got = analytic === null ? 0 : (analytic.data[i] as number);
      assert.ok(
        Math.abs(got - numeric) <= atol + rtol * Math.abs(numeric),
        `${layer.className}: gradient of ${name} element ${i}: analytic ${got}, numeric ${numeric}`,
      );
      checked++;
    }
  });
  assert.ok(checked > 0, `${layer.className}: nothing to gradcheck`);
  return checked;
}
