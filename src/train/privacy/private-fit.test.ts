// fit(x, y, { privacy }): Poisson batches through DP-SGD, epsilon in the logs and History equal to
// the accountant's for the steps taken, targetEpsilon met, and the errors a user can hit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../core/errors.js";
import { seed } from "../../core/random.js";
import { sequential } from "../../models/sequential.js";
import { Dense } from "../../nn/layers/dense.js";
import { SGD } from "../../optim/sgd.js";
import { randn } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import "../model-methods.js"; // registers compile/fit on Model
import { privacySpentOf } from "./private-fit.js";
import { computeEpsilon } from "./rdp-accountant.js";

function problem(n: number) {
  seed(21);
  const x = randn([n, 4]);
  // a separable two-class problem: label = sign of the first two features' sum
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) labels[i] = Number(x.data[i * 4]!) + Number(x.data[i * 4 + 1]!) > 0 ? 1 : 0;
  const model = sequential([
    new Dense({ units: 8, activation: "relu", inputShape: [4] }),
    new Dense({ units: 1, activation: "sigmoid" }),
  ]);
  model.compile({
    optimizer: new SGD({ learningRate: 0.5 }),
    loss: "binary_crossentropy",
    metrics: ["accuracy"],
  });
  return { x, y: new Tensor(labels, [n, 1]), model };
}

test("fit with privacy: epsilon per epoch is the accountant's, the model learns, privacySpentOf records it", async () => {
  const { x, y, model } = problem(400);
  const history = await model.fit(x, y, {
    epochs: 3,
    batchSize: 40,
    verbose: 0,
    privacy: { noiseMultiplier: 1.0, l2NormClip: 1, delta: 1e-5 },
  });
  const eps = history.history.epsilon!;
  assert.equal(eps.length, 3);
  eps.forEach((e, epoch) => {
    const want = computeEpsilon({
      sampleRate: 0.1,
      noiseMultiplier: 1,
      steps: (epoch + 1) * 10,
      delta: 1e-5,
    }).epsilon;
    assert.ok(Math.abs(e - want) < 1e-9, `epoch ${epoch}: ${e} vs ${want}`);
  });
  const spent = privacySpentOf(model)!;
  assert.equal(spent.steps, 30);
  assert.equal(spent.accountant, "rdp");
  assert.equal(spent.epsilon, eps[2]);
  const acc = history.history.accuracy!;
  assert.ok(acc[2]! > 0.75, `accuracy ${acc[2]}`);
});

test("validationSplit holds the last rows out of the Poisson sampling and validates on them", async () => {
  const { x, y, model } = problem(100);
  const history = await model.fit(x, y, {
    epochs: 2,
    batchSize: 16,
    verbose: 0,
    validationSplit: 0.2,
    privacy: { noiseMultiplier: 1, l2NormClip: 1 },
  });
  assert.equal(history.history.val_loss?.length, 2);
  const spent = privacySpentOf(model)!;
  assert.equal(spent.sampleRate, 16 / 80); // N = 80 training rows
  assert.equal(spent.steps, 2 * 5);
});

test("targetEpsilon: the run ends within the target, close to it", async () => {
  const { x, y, model } = problem(200);
  const history = await model.fit(x, y, {
    epochs: 2,
    batchSize: 20,
    verbose: 0,
    privacy: { targetEpsilon: 2, l2NormClip: 1 },
  });
  const final = history.history.epsilon!.at(-1)!;
  assert.ok(final <= 2 && final > 1.9, `final epsilon ${final}`);
  assert.ok(privacySpentOf(model)!.noiseMultiplier > 0.3);
});

test("privacy errors: sigma 0, both or neither of sigma and target, unreachable target, iterables", async () => {
  const { x, y, model } = problem(50);
  const fit = (privacy: object) => model.fit(x, y, { verbose: 0, privacy: privacy as never });
  await assert.rejects(
    fit({ noiseMultiplier: 0, l2NormClip: 1 }),
    (e: unknown) => e instanceof ConfigError && /noiseMultiplier must be a finite number > 0/.test(e.message),
  );
  await assert.rejects(
    fit({ noiseMultiplier: 1, targetEpsilon: 1, l2NormClip: 1 }),
    /exactly one of noiseMultiplier and targetEpsilon/,
  );
  await assert.rejects(fit({ l2NormClip: 1 }), /exactly one of noiseMultiplier and targetEpsilon/);
  await assert.rejects(fit({ noiseMultiplier: 1 }), /l2NormClip must be a finite number/);
  await assert.rejects(
    model.fit(x, y, {
      epochs: 100000,
      batchSize: 50,
      verbose: 0,
      privacy: { targetEpsilon: 1e-4, l2NormClip: 1, delta: 1e-12 },
    }),
    /cannot be reached/,
  );
  await assert.rejects(
    model.fit(
      (function* () {
        yield [x, y];
      })(),
      { verbose: 0, privacy: { noiseMultiplier: 1, l2NormClip: 1 } },
    ),
    /needs the training data as arrays/,
  );
});
