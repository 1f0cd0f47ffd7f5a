// Callbacks driven hook by hook against a stand-in model, so each rule is checked epoch by epoch.
// (fit.test.ts checks them again inside real training.)
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, type Tensor, tensor } from "../../index.js";
import { memoryWriter } from "../progbar.js";
import type { Callback, CallbackModel, Logs } from "./callback.js";
import { CallbackList } from "./callback-list.js";
import { csvLogger } from "./csv-logger.js";
import { earlyStopping } from "./early-stopping.js";
import { History } from "./history.js";
import { lambdaCallback } from "./lambda-callback.js";
import { learningRateScheduler } from "./learning-rate-scheduler.js";
import { reduceLROnPlateau } from "./reduce-lr-on-plateau.js";
import { terminateOnNaN } from "./terminate-on-nan.js";

class FakeModel implements CallbackModel {
  stopTraining = false;
  weight: Tensor = tensor([0, 0]);
  lr = 0.1;
  readonly optimizer = {
    get learningRate(): number {
      return model.lr;
    },
    setLearningRate: (value: number): void => {
      this.lr = value;
    },
  };
  getWeights(): Tensor[] {
    return [this.weight];
  }
  setWeights(weights: readonly Tensor[]): void {
    this.weight.data.set(weights[0]!.data);
  }
}
let model = new FakeModel();

/** Runs epochs 0.. with the given monitored values until a callback stops training. */
function runEpochs(
  cb: Callback<CallbackModel>,
  name: string,
  values: readonly number[],
  onEpoch?: (epoch: number) => void,
): number[] {
  model = new FakeModel();
  const list = new CallbackList([cb], { model, params: { epochs: values.length, steps: 1, verbose: 0 } });
  const ran: number[] = [];
  list.onTrainBegin({});
  for (let epoch = 0; epoch < values.length; epoch++) {
    list.onEpochBegin(epoch, {});
    onEpoch?.(epoch);
    list.onEpochEnd(epoch, { [name]: values[epoch]! });
    ran.push(epoch);
    if (model.stopTraining) break;
  }
  list.onTrainEnd({});
  return ran;
}

describe("earlyStopping", () => {
  test("stops after `patience` epochs without improvement and restores the best weights exactly", () => {
    const cb = earlyStopping({ monitor: "val_loss", patience: 2, restoreBestWeights: true });
    // best at epoch 2 (0.5); epochs 3 and 4 do not improve -> wait reaches 2 at epoch 4: stop.
    const ran = runEpochs(cb, "val_loss", [1, 0.8, 0.5, 0.6, 0.55, 0.1], (epoch) => {
      model.weight.data[0] = epoch * 1.25;
      model.weight.data[1] = -epoch;
    });
    assert.deepEqual(ran, [0, 1, 2, 3, 4]);
    assert.equal(cb.stoppedEpoch, 4);
    assert.equal(cb.bestEpoch, 2);
    assert.deepEqual([...model.weight.data], [2.5, -2], "weights of the end of epoch 2");
  });

  test("minDelta: smaller improvements do not count; mode max for accuracy", () => {
    const cb = earlyStopping({ monitor: "val_accuracy", minDelta: 0.05, patience: 1 });
    const ran = runEpochs(cb, "val_accuracy", [0.5, 0.52, 0.7, 0.9]);
    // epoch 1: +0.02 < minDelta -> no improvement, wait 1 >= patience 1 -> stop at epoch 1.
    assert.deepEqual(ran, [0, 1]);
  });

  test("baseline: training stops unless the baseline is beaten within patience", () => {
    // Improvements that stay above the baseline do not reset the wait: epochs 0 and 1 improve
    // (wait 1, 2), epoch 2 does not and wait 3 >= patience -> stop at epoch 2.
    const cb = earlyStopping({ monitor: "loss", patience: 2, baseline: 0.5 });
    assert.deepEqual(runEpochs(cb, "loss", [0.9, 0.8, 0.85, 0.6, 0.4]), [0, 1, 2]);
    const noBaseline = earlyStopping({ monitor: "loss", patience: 2 });
    assert.deepEqual(runEpochs(noBaseline, "loss", [0.9, 0.8, 0.85, 0.6, 0.4]), [0, 1, 2, 3, 4]);
    const beaten = earlyStopping({ monitor: "loss", patience: 2, baseline: 0.5 });
    assert.deepEqual(runEpochs(beaten, "loss", [0.9, 0.4, 0.45, 0.46, 0.2]), [0, 1, 2, 3]);
  });

  test("startFromEpoch ignores the warm-up epochs", () => {
    const cb = earlyStopping({ monitor: "loss", patience: 0, startFromEpoch: 3 });
    assert.deepEqual(runEpochs(cb, "loss", [1, 2, 3, 4, 5, 6]), [0, 1, 2, 3, 4]);
  });

  test("auto mode refuses a name it cannot classify; bad options are ConfigErrors", () => {
    assert.throws(
      () => runEpochs(earlyStopping({ monitor: "zebra" }), "zebra", [1, 2]),
      /mode: "min" or "max"/,
    );
    assert.throws(() => earlyStopping({ patience: -1 }), ConfigError);
    assert.throws(() => earlyStopping({ mode: "up" as "min" }), ConfigError);
  });
});

describe("reduceLROnPlateau", () => {
  test("multiplies the rate by factor after `patience` flat epochs, respects cooldown and minLr", () => {
    const cb = reduceLROnPlateau({ monitor: "val_loss", factor: 0.5, patience: 2, cooldown: 2, minLr: 0.02 });
    const rates: number[] = [];
    const values = [1, 1, 1, 1, 1, 1, 1, 1, 1];
    runEpochs(cb, "val_loss", values, () => rates.push(model.lr));
    // Rates at the START of each epoch. Epoch 0 sets best; 1, 2 flat -> reduce at the end of 2.
    // Keras counts the cooldown down before testing it, so cooldown 2 idles one epoch (3); 4, 5
    // flat -> reduce at 5; 6 idles; 7, 8 flat -> reduce at 8, clamped to minLr 0.02.
    assert.deepEqual(rates, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
    assert.equal(model.lr, 0.02);
  });

  test("an improvement larger than minDelta resets the wait; the rate is logged", () => {
    const cb = reduceLROnPlateau({ monitor: "loss", factor: 0.1, patience: 2, minDelta: 0.01 });
    model = new FakeModel();
    const list = new CallbackList([cb], { model, params: { epochs: 5, steps: 1, verbose: 0 } });
    list.onTrainBegin({});
    const logs: Logs[] = [1, 0.5, 0.495, 0.3, 0.299].map((loss) => ({ loss }));
    for (const [epoch, l] of logs.entries()) list.onEpochEnd(epoch, l);
    assert.equal(logs[0]!.learning_rate, 0.1);
    assert.equal(model.lr, 0.1, "never two flat epochs in a row");
    list.onEpochEnd(5, { loss: 0.3 });
    assert.ok(Math.abs(model.lr - 0.01) < 1e-15, "epochs 4 and 5 flat -> reduced");
    assert.throws(() => reduceLROnPlateau({ factor: 1 }), ConfigError);
  });
});

describe("learningRateScheduler", () => {
  test("sets schedule(epoch, lr) at each epoch start and logs it", () => {
    const cb = learningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr / 2));
    const seen: number[] = [];
    const logged: number[] = [];
    model = new FakeModel();
    const list = new CallbackList([cb], { model, params: { epochs: 4, steps: 1, verbose: 0 } });
    for (let epoch = 0; epoch < 4; epoch++) {
      list.onEpochBegin(epoch, {});
      seen.push(model.lr);
      const logs: Logs = { loss: 1 };
      list.onEpochEnd(epoch, logs);
      logged.push(logs.learning_rate!);
    }
    assert.deepEqual(seen, [0.1, 0.1, 0.05, 0.025]);
    assert.deepEqual(logged, seen);
  });
});

describe("csvLogger", () => {
  test("writes a sorted header then one row per epoch, epoch from 0, NaN as nan", () => {
    let text = "";
    const cb = csvLogger({ write: (t) => (text += t) });
    model = new FakeModel();
    const list = new CallbackList([cb], { model, params: { epochs: 2, steps: 1, verbose: 0 } });
    list.onTrainBegin({});
    list.onEpochEnd(0, { loss: 0.5, accuracy: 0.75, val_loss: 0.625 });
    list.onEpochEnd(1, { loss: Number.NaN, accuracy: 0.5, val_loss: 1 });
    list.onTrainEnd({});
    assert.equal(text, "epoch,accuracy,loss,val_loss\n0,0.75,0.5,0.625\n1,0.5,nan,1\n");
  });

  test("append skips the header when the sink already has rows; separator is honoured", () => {
    let text = "epoch;loss\n0;1\n";
    const cb = csvLogger(
      {
        write: (t) => (text += t),
        hasContent: () => text.length > 0,
        open: (append) => void (append || (text = "")),
      },
      { separator: ";", append: true },
    );
    model = new FakeModel();
    const list = new CallbackList([cb], { model, params: { epochs: 1, steps: 1, verbose: 0 } });
    list.onTrainBegin({});
    list.onEpochEnd(0, { loss: 0.25 });
    assert.equal(text, "epoch;loss\n0;1\n0;0.25\n");
  });
});

describe("terminateOnNaN", () => {
  test("stops at the first non-finite running loss, naming epoch and batch", () => {
    const out = memoryWriter();
    const cb = terminateOnNaN({ writer: out });
    model = new FakeModel();
    const list = new CallbackList([cb], { model, params: { epochs: 3, steps: 4, verbose: 0 } });
    list.onTrainBegin({});
    list.onEpochBegin(0, {});
    list.onBatchEnd(0, { loss: 1 });
    assert.equal(model.stopTraining, false);
    list.onEpochBegin(1, {});
    list.onBatchEnd(0, { loss: 0.5 });
    list.onBatchEnd(1, { loss: Number.NaN });
    assert.equal(model.stopTraining, true);
    assert.deepEqual(cb.stoppedAt, { epoch: 1, batch: 1 });
    assert.equal(out.text, "Epoch 2, batch 1: invalid loss (NaN), terminating training\n");
  });
});

describe("History, lambdaCallback, CallbackList", () => {
  test("History collects each epoch's logs; the list appends it after user callbacks", () => {
    const order: string[] = [];
    const user = lambdaCallback({
      onEpochEnd: (_epoch, logs) => {
        order.push("user");
        logs.extra = 7; // later callbacks (the history) see what earlier ones add
      },
      onTrainBegin: () => order.push("begin"),
    });
    model = new FakeModel();
    const list = new CallbackList([user], {
      model,
      params: { epochs: 2, steps: 1, verbose: 0 },
      addHistory: true,
    });
    assert.ok(list.history instanceof History);
    assert.equal(list.callbacks.at(-1), list.history);
    list.onTrainBegin({});
    list.onEpochEnd(0, { loss: 2 });
    list.onEpochEnd(1, { loss: 1 });
    assert.deepEqual(list.history.history, { loss: [2, 1], extra: [7, 7] });
    assert.deepEqual(list.history.epoch, [0, 1]);
    assert.deepEqual(order, ["begin", "user", "user"]);
  });
});
