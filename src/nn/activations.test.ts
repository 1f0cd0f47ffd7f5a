import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, registerActivation, tensor } from "../index.js";
import { getActivation, listActivations } from "./activations.js";

describe("activations", () => {
  it("resolve Keras names and aliases, with the fused epilogue where ops.linear has one", () => {
    assert.equal(getActivation("relu").epilogue, "relu");
    assert.equal(getActivation("sigmoid").epilogue, "sigmoid");
    assert.equal(getActivation("tanh").epilogue, "tanh");
    assert.equal(getActivation(null).name, "linear");
    assert.equal(getActivation(undefined).epilogue, "none");
    assert.equal(getActivation("softmax").epilogue, null);
    assert.equal(getActivation("LeakyReLU").name, "leaky_relu");
    assert.equal(getActivation("silu").name, "silu");
    for (const name of [
      "elu",
      "selu",
      "gelu",
      "softplus",
      "softsign",
      "swish",
      "relu6",
      "hard_sigmoid",
      "mish",
      "log_softmax",
      "exponential",
    ]) {
      assert.ok(listActivations().includes(name), name);
    }
  });

  it("compute the functions", () => {
    const x = tensor([-1, 0, 2]);
    const val = (name: string) => [...getActivation(name).fn(x).data];
    const close = (a: number[], b: number[]) => {
      for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-6, `${a[i]} vs ${b[i]}`);
    };
    close(val("elu"), [Math.exp(-1) - 1, 0, 2]);
    close(val("softsign"), [-0.5, 0, 2 / 3]);
    close(val("swish"), [-1 / (1 + Math.E), 0, 2 / (1 + Math.exp(-2))]);
    close(val("exponential"), [Math.exp(-1), 1, Math.exp(2)]);
    const sm = val("softmax");
    close([sm.reduce((a, b) => a + b, 0)], [1]);
  });

  it("accept registered custom activations and reject unknown names", () => {
    registerActivation("double_it", (t) => t.mul(2));
    assert.deepEqual([...getActivation("doubleIt").fn(tensor([1.5])).data], [3]);
    assert.throws(() => getActivation("nope"), ConfigError);
    assert.throws(() => getActivation(42), /expected an activation name/);
  });
});
