// cli/card-schema: the JSON Schema of the spec's "card" block (io/model-card's ModelCardInput
// without fairness, which `tessera evaluate --sensitive --record` adds). Part of SPEC_SCHEMA.
const text = { type: "string", minLength: 1 } as const;
const texts = { type: "array", items: text } as const;

export const CARD_SCHEMA = {
  type: ["object", "null"],
  additionalProperties: false,
  default: null,
  description:
    "A model card stored in model.json; metrics, the privacy guarantee and the data's columns are filled in from the run. data defaults to the data file and split sizes.",
  properties: {
    description: { ...text, description: "What the model does." },
    intendedUse: { ...text, description: "Who should use it, for what." },
    outOfScope: { ...text, description: "Uses it was not built or checked for." },
    owners: texts,
    license: text,
    data: {
      type: "object",
      additionalProperties: false,
      properties: {
        training: { ...text, description: "The training data in words." },
        evaluation: { ...text, description: "The evaluation data in words." },
      },
    },
    limitations: texts,
    ethicalConsiderations: text,
    references: texts,
  },
} as const;
