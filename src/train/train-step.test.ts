// Custom training steps through fit (Keras's train_step / test_step): a Model subclass that
// overrides trainStep, here a tiny seeded GAN with two optimizers, and fit's trainStep option.
// fit must keep its callbacks, progress line, History and validation around the custom step.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { noGrad } from "../autograd/mode.js";
import { seed } from "../core/random.js";
import { optimizers } from "../index.js";
import { Model } from "../models/model.js";
import type { StepBatch, StepLogs } from "../models/model-data.js";
import { sequential } from "../models/sequential.js";
import type { CallContext, LayerInputs } from "../nn/layer.js";
import { Dense } from "../nn/layers/dense.js";
import { ones, randn, zeros } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { lambdaCallback } from "./callbacks/lambda-callback.js";
import { progressLogger } from "./callbacks/progress-logger.js";
import { computeLoss } from "./losses/loss.js";
import { binaryCrossentropy } from "./losses/probabilistic.js";
import { Mean } from "./metrics/mean.js";
import { memoryWriter } from "./progbar.js";
import "./model-methods.js";

const bce = binaryCrossentropy({ fromLogits: true });

/**
 * A generator (noise [B, 2] -> sample [B, 1]) and a discriminator (sample -> logit) in one model.
 * The compiled optimizer trains the discriminator; the generator has its own.
 */
class TinyGan extends Model {
  readonly generator = this.track(
    sequential([new Dense({ units: 8, activation: "tanh", inputShape: [2] }), new Dense({ units: 1 })]),
  );
  readonly discriminator = this.track(
    sequential([new Dense({ units: 8, activation: "tanh", inputShape: [1] }), new Dense({ units: 1 })]),
  );
  readonly generatorOptimizer = optimizers.adam({ learningRate: 0.01 });
  readonly dLoss = new Mean({ name: "d_loss" });
  readonly gLoss = new Mean({ name: "g_loss" });

  override call(inputs: LayerInputs, context: CallContext): Tensor {
    return this.generator.apply(this.single(inputs), context);
  }

  override resetMetrics(): void {
    super.resetMetrics();
    this.dLoss.reset();
    this.gLoss.reset();
  }

  override trainStep(batch: StepBatch): StepLogs {
    const real = batch.x[0]!; // (B, 1) samples of the real distribution
    const size = real.shape[0]!;
    const training = { training: true };
    // Discriminator: real -> 1, generated -> 0; the generator is not updated here.
    const fake = noGrad(() => this.generator.apply(randn([size, 2]), training));
    const dParams = this.discriminator.trainableWeights;
    const dOptimizer = this.optimizer!;
    dOptimizer.attach(dParams);
    const dLoss = computeLoss(bce, ones([size, 1]), this.discriminator.apply(real, training)).add(
      computeLoss(bce, zeros([size, 1]), this.discriminator.apply(fake, training)),
    );
    dLoss.backward();
    dOptimizer.step();
    dOptimizer.zeroGrad();
    // Generator: make the discriminator call its samples real.
    const gParams = this.generator.trainableWeights;
    this.generatorOptimizer.attach(gParams);
    const generated = this.generator.apply(randn([size, 2]), training);
    const gLoss = computeLoss(bce, ones([size, 1]), this.discriminator.apply(generated, training));
    gLoss.backward();
    this.generatorOptimizer.step();
    this.generatorOptimizer.zeroGrad();
    for (const p of dParams) p.grad = null; // the generator's loss reached them too
    this.dLoss.update(dLoss.item(), size);
    this.gLoss.update(gLoss.item(), size);
    return { d_loss: this.dLoss.result(), g_loss: this.gLoss.result() };
  }

  override testStep(batch: StepBatch): StepLogs {
    const real = batch.x[0]!;
    const logits = noGrad(() => this.discriminator.apply(real, { training: false }));
    return { d_loss: computeLoss(bce, ones([real.shape[0]!, 1]), logits).item() };
  }
}

/** The mean of what the generator produces for a fixed set of noise. */
function generatedMean(gan: TinyGan, noise: Tensor): number {
  const out = noGrad(() => gan.generator.apply(noise, { training: false }));
  let sum = 0;
  for (const v of out.data) sum += v;
  return sum / out.size;
}

describe("trainStep override", () => {
  test("a two-optimizer GAN trains through fit; its logs reach the progress line, callbacks and History", async () => {
    seed(7);
    const real = randn([64, 1], { mean: 3, std: 0.5 });
    const noise = randn([256, 2]);
    const gan = new TinyGan();
    // No loss: the custom step computes its own (Keras allows compile() without one for this).
    gan.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }) });
    const before = generatedMean(gan, noise);
    const batchLogs: StepLogs[] = [];
    const epochLogs: StepLogs[] = [];
    const out = memoryWriter(false);
    const history = await gan.fit(real, real, {
      epochs: 12,
      batchSize: 16,
      validationData: [real, real],
      callbacks: [
        progressLogger({ writer: out }),
        lambdaCallback({
          onBatchEnd: (_step, logs) => batchLogs.push({ ...logs }),
          onEpochEnd: (_epoch, logs) => epochLogs.push({ ...logs }),
        }),
      ],
    });
    const after = generatedMean(gan, noise);

    assert.equal(batchLogs.length, 12 * 4);
    assert.deepEqual(Object.keys(batchLogs[0]!).sort(), ["d_loss", "g_loss"]);
    assert.deepEqual(Object.keys(history.history).sort(), ["d_loss", "g_loss", "val_d_loss"]);
    assert.equal(history.history.g_loss!.length, 12);
    // The epoch's logs are its last batch's (running means over the epoch), also in History.
    for (let e = 0; e < 12; e++) {
      assert.equal(epochLogs[e]!.g_loss, batchLogs[e * 4 + 3]!.g_loss);
      assert.equal(history.history.d_loss![e], batchLogs[e * 4 + 3]!.d_loss);
    }
    // The losses move, and the generator's samples move toward the real mean (3).
    const g = history.history.g_loss!;
    const d = history.history.d_loss!;
    assert.ok(Math.abs(g[0]! - g[11]!) > 1e-3, `g_loss did not move: ${g}`);
    assert.ok(Math.abs(d[0]! - d[11]!) > 1e-3, `d_loss did not move: ${d}`);
    assert.ok(Math.abs(after - 3) < Math.abs(before - 3) - 0.5, `generated mean ${before} -> ${after}`);
    assert.ok(g.every(Number.isFinite) && d.every(Number.isFinite));
    // evaluate runs the testStep override too.
    const evaluated = await gan.evaluate(real, real, { returnDict: true, verbose: 0 });
    assert.deepEqual(Object.keys(evaluated), ["d_loss"]);
    assert.ok(evaluated.d_loss! > 0 && Number.isFinite(evaluated.d_loss));
    const lines = out.lines();
    assert.match(lines.at(-1)!, /d_loss: \d\.\d{4} - g_loss: \d\.\d{4} - val_d_loss: \d\.\d{4}/);
  });

  test("trainOnBatch runs the override and returns its logs", () => {
    seed(3);
    const gan = new TinyGan();
    gan.compile({ optimizer: "adam" });
    const x = randn([8, 1]);
    const logs = gan.trainOnBatch(x, x, { returnDict: true });
    assert.deepEqual(Object.keys(logs).sort(), ["d_loss", "g_loss"]);
    assert.equal(gan.trainOnBatch(x, x).length, 2);
  });
});

describe("fit's trainStep option", () => {
  test("replaces the step for one run, reusing computeLoss/computeMetrics; stopTraining from the step stops fit", async () => {
    seed(11);
    const model = sequential([new Dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: "mse", metrics: ["mae"] });
    const x = randn([32, 2]);
    const y = x.matmul(randn([2, 1]));
    let calls = 0;
    const history = await model.fit(x, y, {
      epochs: 10,
      batchSize: 8,
      verbose: 0,
      trainStep: (m, batch) => {
        calls += 1;
        const optimizer = m.optimizer!;
        optimizer.attach(m.trainableWeights);
        const predictions = m.applyMulti(batch.x[0]!, { training: true });
        const loss = m.computeLoss(batch, predictions);
        loss.backward();
        optimizer.step();
        optimizer.zeroGrad();
        if (calls === 4 * 3) m.stopTraining = true; // stop after the third epoch
        return { ...m.computeMetrics(batch, predictions, loss), steps: calls };
      },
    });
    assert.equal(calls, 12);
    assert.deepEqual(Object.keys(history.history).sort(), ["loss", "mae", "steps"]);
    assert.deepEqual(history.history.steps, [4, 8, 12]);
    const loss = history.history.loss!;
    assert.ok(loss[2]! < loss[0]!, `loss did not fall: ${loss}`);
    // The default step is back for the next run, and evaluate agrees with the compiled metrics.
    const again = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    assert.deepEqual(Object.keys(again.history).sort(), ["loss", "mae"]);
  });

  test("the built-in step needs a compiled loss; without one the error says what to do", async () => {
    const model = sequential([new Dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: "sgd" });
    const x = randn([4, 1]);
    await assert.rejects(
      model.fit(x, x, { verbose: 0 }),
      /Model\.trainStep: the model was compiled without a loss, .*pass one to compile\(\)/,
    );
    await assert.rejects(
      model.evaluate(x, x, { verbose: 0 }),
      /Model\.testStep: the model was compiled without a loss/,
    );
    assert.throws(() => model.compile({ loss: null as never }), /compile: loss must be a loss/);
  });

  test("a step that returns something other than numeric logs gets a clear error", async () => {
    const model = sequential([new Dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: "sgd", loss: "mse" });
    const x = randn([4, 1]);
    await assert.rejects(
      model.fit(x, x, { verbose: 0, trainStep: () => ({ loss: "low" }) as never }),
      /fit: trainStep returned a non-number log "loss" \(string\)/,
    );
  });
});
