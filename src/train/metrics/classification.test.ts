import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tensor } from "../../index.js";
import { getMetric, metrics } from "./index.js";

function close(actual: number, expected: number, tol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}

describe("precision and recall", () => {
  // predicted positive at 0.5: samples 0, 1, 3 -> tp {0, 3}, fp {1}, fn {2}
  const yTrue = tensor([[1], [0], [1], [1], [0]]);
  const yPred = tensor([[0.9], [0.8], [0.3], [0.6], [0.2]]);

  it("count thresholded predictions", () => {
    const p = metrics.precision();
    const r = metrics.recall();
    p.update(yTrue, yPred);
    r.update(yTrue, yPred);
    close(p.result(), 2 / 3);
    close(r.result(), 2 / 3);
    assert.equal(p.name, "precision");
  });

  it("honour thresholds and sample weights, and accumulate over batches", () => {
    const p = metrics.precision({ thresholds: 0.7 });
    const r = metrics.recall({ thresholds: 0.7 });
    p.update(yTrue, yPred);
    r.update(yTrue, yPred);
    close(p.result(), 1 / 2);
    close(r.result(), 1 / 3);
    const weighted = metrics.precision();
    weighted.update(yTrue, yPred, tensor([1, 2, 1, 1, 1]));
    close(weighted.result(), 2 / (2 + 2));
    weighted.update(tensor([[1]]), tensor([[0.99]]));
    close(weighted.result(), 3 / 5);
    weighted.reset();
    assert.equal(weighted.result(), 0);
  });

  it("topK keeps only each row's k best predictions; classId scores one column", () => {
    const t = tensor([
      [1, 0, 1],
      [0, 1, 0],
    ]);
    const p = tensor([
      [0.9, 0.8, 0.1],
      [0.2, 0.3, 0.5],
    ]);
    const top1 = metrics.precision({ topK: 1 });
    top1.update(t, p); // positives (0,0) right, (1,2) wrong
    close(top1.result(), 0.5);
    const recallTop1 = metrics.recall({ top_k: 1 });
    recallTop1.update(t, p);
    close(recallTop1.result(), 1 / 3);
    const column = metrics.recall({ classId: 1 });
    column.update(t, p); // column 1: predictions [0.8, 0.3], labels [0, 1] -> one false negative
    assert.equal(column.result(), 0);
  });
});

describe("f1", () => {
  // labels [0, 1, 2, 2, 1], argmax predictions [0, 2, 2, 2, 1]
  const labels = tensor([0, 1, 2, 2, 1], { dtype: "int32" });
  const probs = tensor([
    [0.8, 0.1, 0.1],
    [0.1, 0.3, 0.6],
    [0.2, 0.2, 0.6],
    [0.1, 0.1, 0.8],
    [0.2, 0.7, 0.1],
  ]);
  // per class: c0 tp1 -> 1; c1 tp1 fn1 -> p 1, r 1/2, f1 2/3; c2 tp2 fp1 -> p 2/3, r 1, f1 0.8
  const perClass = [1, 2 / 3, 0.8];

  it("macro (default), micro and weighted averages", () => {
    const macro = metrics.f1();
    macro.update(labels, probs);
    close(macro.result(), (1 + 2 / 3 + 0.8) / 3);
    for (const [i, v] of macro.perClass().entries()) close(v, perClass[i]!);
    const micro = metrics.f1({ average: "micro" });
    micro.update(labels, probs); // tp 4, fp 1, fn 1
    close(micro.result(), 0.8);
    const weighted = metrics.f1({ average: "weighted" });
    weighted.update(labels, probs); // supports 1, 2, 2
    close(weighted.result(), (1 * 1 + (2 / 3) * 2 + 0.8 * 2) / 5);
    assert.equal(macro.name, "f1_score");
  });

  it("thresholds a single probability column at 0.5", () => {
    const f1 = getMetric("f1");
    f1.update(tensor([[1], [0], [1], [1]]), tensor([[0.9], [0.6], [0.4], [0.7]]));
    // tp 2, fp 1, fn 1 -> precision = recall = 2/3
    close(f1.result(), 2 / 3);
  });
});

describe("auc", () => {
  // thresholds -eps, 0.5, 0.8, 1 + eps; labels [1, 0, 1, 0], scores [0.9, 0.7, 0.6, 0.2]
  // tp = [2, 2, 1, 0], fp = [2, 1, 0, 0] -> (fpr, tpr) = (1, 1), (0.5, 1), (0, 0.5), (0, 0)
  const yTrue = tensor([1, 0, 1, 0]);
  const yPred = tensor([0.9, 0.7, 0.6, 0.2]);

  it("ROC with trapezoids, lower and upper rectangles", () => {
    const roc = metrics.auc({ thresholds: [0.5, 0.8] });
    roc.update(yTrue, yPred);
    close(roc.result(), 0.5 * ((1 + 1) / 2) + 0.5 * ((1 + 0.5) / 2));
    const minoring = metrics.auc({ thresholds: [0.8, 0.5], summationMethod: "minoring" });
    minoring.update(yTrue, yPred);
    close(minoring.result(), 0.5 * 1 + 0.5 * 0.5);
    const majoring = metrics.auc({ thresholds: [0.5, 0.8], summation_method: "majoring" });
    majoring.update(yTrue, yPred);
    close(majoring.result(), 1);
  });

  it("PR with the Davis-Goadrich interpolation", () => {
    const pr = metrics.auc({ thresholds: [0.5, 0.8], curve: "PR" });
    pr.update(yTrue, yPred);
    // segment 1: slope 0 -> 0; segment 2: slope 1/2, intercept 1/2, p ratio 3 -> (1 + ln 3 / 2) / 4;
    // segment 3: slope 1, intercept 0 -> 1 / 2
    close(pr.result(), (1 + Math.log(3) / 2) / 4 + 1 / 2);
  });

  it("with 200 thresholds approaches the rank-statistic AUC", () => {
    let state = 7;
    const random = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const labels: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < 400; i++) {
      const positive = random() < 0.4 ? 1 : 0;
      labels.push(positive);
      scores.push(Math.min(1, Math.max(0, 0.35 + 0.3 * positive + 0.25 * (random() - 0.5) * 2)));
    }
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < 400; i++) {
      for (let j = 0; j < 400; j++) {
        if (labels[i] === 1 && labels[j] === 0) {
          pairs++;
          wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
      }
    }
    const m = metrics.auc();
    m.update(tensor(labels.slice(0, 150)), tensor(scores.slice(0, 150)));
    m.update(tensor(labels.slice(150)), tensor(scores.slice(150)));
    close(m.result(), wins / pairs, 5e-3);
    const separated = metrics.auc();
    separated.update(tensor([0, 0, 1, 1]), tensor([0.1, 0.2, 0.8, 0.9]));
    close(separated.result(), 1, 1e-12);
  });

  it("fromLogits applies a sigmoid; multiLabel averages per-column curves", () => {
    const logits = metrics.auc({ thresholds: [0.5, 0.8], fromLogits: true });
    const logit = (p: number): number => Math.log(p / (1 - p));
    logits.update(yTrue, tensor([0.9, 0.7, 0.6, 0.2].map(logit)));
    close(logits.result(), 0.875);
    const multi = metrics.auc({ thresholds: [0.5], multiLabel: true });
    multi.update(
      tensor([
        [1, 0],
        [0, 1],
      ]),
      tensor([
        [0.9, 0.9],
        [0.1, 0.8],
      ]),
    );
    // column 0 separates perfectly (1); column 1 ranks nothing apart at 0.5: (1,1),(1,1),(0,0) -> 0.5
    close(multi.result(), (1 + 0.5) / 2);
  });
});
