// Tests of the Keras layer-config converter: names, nested objects, dropped options and the
// errors that name the layer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../core/errors.js";
import "../../nn/layers/index.js";
import { checkConverted, convertLayer } from "./convert-layer.js";

const keras = (className: string, config: Record<string, unknown>) => ({
  module: "keras.layers",
  class_name: className,
  config,
  registered_name: null,
});

describe("convertLayer", () => {
  it("camel-cases options and keeps regularizers and constraints as {className, config}", () => {
    const converted = checkConverted(
      convertLayer(
        keras("Dense", {
          name: "d",
          units: 3,
          use_bias: false,
          dtype: { module: "keras", class_name: "DTypePolicy", config: { name: "float32" } },
          kernel_initializer: { class_name: "GlorotUniform", config: { seed: null, input_axes: null } },
          kernel_regularizer: { module: "keras.regularizers", class_name: "L2", config: { l2: 0.01 } },
          kernel_constraint: { class_name: "MaxNorm", config: { max_value: 2, axis: 0 } },
          quantization_config: null,
        }),
      ),
    );
    assert.deepEqual(converted, {
      className: "Dense",
      config: {
        name: "d",
        units: 3,
        useBias: false,
        dtype: "float32",
        kernelRegularizer: { className: "L2", config: { l2: 0.01 } },
        kernelConstraint: { className: "MaxNorm", config: { maxValue: 2, axis: 0 } },
      },
    });
  });

  it("drops neutral options the Tessera class lacks, keeps them where it has them", () => {
    const flatten = checkConverted(
      convertLayer(keras("Flatten", { name: "f", data_format: "channels_last" })),
    );
    assert.deepEqual(flatten.config, { name: "f" });
    const pool = checkConverted(
      convertLayer(keras("MaxPool2D", { name: "p", data_format: "channels_last" })),
    );
    assert.equal(pool.className, "MaxPooling2D");
    assert.equal(pool.config.dataFormat, "channels_last");
  });

  it("names the layer and class for what Tessera cannot express", () => {
    const cases: [unknown, RegExp][] = [
      [keras("RandomFlip", { name: "flip" }), /"flip".*RandomFlip has no Tessera equivalent/],
      [keras("Sequential", { name: "inner", layers: [] }), /"inner".*nested in a model/],
      [
        keras("Conv2D", { name: "c", filters: 2, kernel_size: 3, data_format: "channels_first" }),
        /"c".*channels_first/,
      ],
      [
        keras("Dense", { name: "x", units: 2, bogus_option: 3 }),
        /layer "x" \(Dense\).*unknown option "bogusOption"/,
      ],
      [keras("Dense", { name: "h", units: 2, dtype: "mixed_float16" }), /"h".*mixed_float16/],
    ];
    for (const [config, message] of cases) {
      assert.throws(
        () => checkConverted(convertLayer(config)),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
    }
  });
});
