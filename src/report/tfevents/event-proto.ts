// report/tfevents/event-proto: the protobuf messages of a TensorBoard event file (tensorflow.Event,
// Summary, HistogramProto, TensorProto, ...), declared as a protobufjs JSON schema with the field
// numbers of tensorflow/core/util/event.proto and framework/summary.proto, tensor.proto and
// tensor_shape.proto (only the fields we write). protobufjs does the wire encoding. Layer: report.
import protobuf from "protobufjs";

const SCHEMA = {
  nested: {
    tensorflow: {
      nested: {
        Event: {
          oneofs: { what: { oneof: ["fileVersion", "summary"] } },
          fields: {
            wallTime: { type: "double", id: 1 },
            step: { type: "int64", id: 2 },
            fileVersion: { type: "string", id: 3 },
            summary: { type: "Summary", id: 5 },
          },
        },
        Summary: {
          fields: { value: { rule: "repeated", type: "Value", id: 1 } },
          nested: {
            Value: {
              oneofs: { value: { oneof: ["simpleValue", "histo", "tensor"] } },
              fields: {
                tag: { type: "string", id: 1 },
                simpleValue: { type: "float", id: 2 },
                histo: { type: "HistogramProto", id: 5 },
                tensor: { type: "TensorProto", id: 8 },
                metadata: { type: "SummaryMetadata", id: 9 },
              },
            },
          },
        },
        SummaryMetadata: {
          fields: {
            pluginData: { type: "PluginData", id: 1 },
            displayName: { type: "string", id: 2 },
            summaryDescription: { type: "string", id: 3 },
          },
          nested: {
            PluginData: {
              fields: { pluginName: { type: "string", id: 1 }, content: { type: "bytes", id: 2 } },
            },
          },
        },
        HistogramProto: {
          fields: {
            min: { type: "double", id: 1 },
            max: { type: "double", id: 2 },
            num: { type: "double", id: 3 },
            sum: { type: "double", id: 4 },
            sumSquares: { type: "double", id: 5 },
            bucketLimit: { rule: "repeated", type: "double", id: 6, options: { packed: true } },
            bucket: { rule: "repeated", type: "double", id: 7, options: { packed: true } },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: "repeated", type: "Dim", id: 2 } },
          nested: { Dim: { fields: { size: { type: "int64", id: 1 }, name: { type: "string", id: 2 } } } },
        },
        TensorProto: {
          fields: {
            dtype: { type: "int32", id: 1 },
            tensorShape: { type: "TensorShapeProto", id: 2 },
            stringVal: { rule: "repeated", type: "bytes", id: 8 },
          },
        },
      },
    },
  },
};

/** tensorflow.DataType DT_STRING. */
export const DT_STRING = 7;

const root = protobuf.Root.fromJSON(SCHEMA);

/** The tensorflow.Event message type (encode with `Event.encode(Event.fromObject(...)).finish()`). */
export const EventMessage = root.lookupType("tensorflow.Event");

/** One value of a summary, as the writer builds it. */
export interface SummaryValue {
  tag: string;
  simpleValue?: number;
  histo?: {
    min: number;
    max: number;
    num: number;
    sum: number;
    sumSquares: number;
    bucketLimit: number[];
    bucket: number[];
  };
  tensor?: { dtype: number; tensorShape: { dim: { size: number }[] }; stringVal: Uint8Array[] };
  metadata?: {
    pluginData?: { pluginName: string; content?: Uint8Array };
    displayName?: string;
    summaryDescription?: string;
  };
}

/** An event as the writer builds it: a file version or a summary, at a wall time and step. */
export interface EventFields {
  wallTime: number;
  step?: number;
  fileVersion?: string;
  summary?: { value: SummaryValue[] };
}

/** The protobuf bytes of one event. */
export function encodeEvent(event: EventFields): Uint8Array {
  return EventMessage.encode(EventMessage.fromObject(event)).finish();
}
