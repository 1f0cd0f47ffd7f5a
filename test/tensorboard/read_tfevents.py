#!/usr/bin/env python3
"""An independent reader of TensorBoard event files, used to check Tessera's writer.

It shares no code with Tessera: the record framing and CRC-32C are reimplemented here, and the
tensorflow.Event messages are decoded by Google's protobuf runtime (Debian's python3-protobuf)
from descriptors built with the field numbers of TensorFlow's event.proto / summary.proto.
Prints one JSON object per event file: {"path", "events": [{"step", "wall_time", "file_version"
| "scalars" | "histograms" | "texts"}]}. Usage: read_tfevents.py LOGDIR
"""
import json
import os
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


TABLE = _crc32c_table()


def masked_crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def _field(msg, name, number, ftype, label=F.LABEL_OPTIONAL, type_name=None, packed=False):
    f = msg.field.add(name=name, number=number, type=ftype, label=label)
    if type_name:
        f.type_name = type_name
    if packed:
        f.options.packed = True


def _messages():
    fdp = descriptor_pb2.FileDescriptorProto(name="tessera_check_event.proto", package="tensorflow", syntax="proto3")
    hist = fdp.message_type.add(name="HistogramProto")
    for i, n in enumerate(["min", "max", "num", "sum", "sum_squares"], start=1):
        _field(hist, n, i, F.TYPE_DOUBLE)
    _field(hist, "bucket_limit", 6, F.TYPE_DOUBLE, F.LABEL_REPEATED, packed=True)
    _field(hist, "bucket", 7, F.TYPE_DOUBLE, F.LABEL_REPEATED, packed=True)
    shape = fdp.message_type.add(name="TensorShapeProto")
    dim = shape.nested_type.add(name="Dim")
    _field(dim, "size", 1, F.TYPE_INT64)
    _field(dim, "name", 2, F.TYPE_STRING)
    _field(shape, "dim", 2, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".tensorflow.TensorShapeProto.Dim")
    tensor = fdp.message_type.add(name="TensorProto")
    _field(tensor, "dtype", 1, F.TYPE_INT32)
    _field(tensor, "tensor_shape", 2, F.TYPE_MESSAGE, type_name=".tensorflow.TensorShapeProto")
    _field(tensor, "string_val", 8, F.TYPE_BYTES, F.LABEL_REPEATED)
    meta = fdp.message_type.add(name="SummaryMetadata")
    plugin = meta.nested_type.add(name="PluginData")
    _field(plugin, "plugin_name", 1, F.TYPE_STRING)
    _field(plugin, "content", 2, F.TYPE_BYTES)
    _field(meta, "plugin_data", 1, F.TYPE_MESSAGE, type_name=".tensorflow.SummaryMetadata.PluginData")
    summary = fdp.message_type.add(name="Summary")
    value = summary.nested_type.add(name="Value")
    _field(value, "tag", 1, F.TYPE_STRING)
    _field(value, "simple_value", 2, F.TYPE_FLOAT)
    _field(value, "histo", 5, F.TYPE_MESSAGE, type_name=".tensorflow.HistogramProto")
    _field(value, "tensor", 8, F.TYPE_MESSAGE, type_name=".tensorflow.TensorProto")
    _field(value, "metadata", 9, F.TYPE_MESSAGE, type_name=".tensorflow.SummaryMetadata")
    _field(summary, "value", 1, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".tensorflow.Summary.Value")
    event = fdp.message_type.add(name="Event")
    _field(event, "wall_time", 1, F.TYPE_DOUBLE)
    _field(event, "step", 2, F.TYPE_INT64)
    _field(event, "file_version", 3, F.TYPE_STRING)
    _field(event, "summary", 5, F.TYPE_MESSAGE, type_name=".tensorflow.Summary")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    descriptor = pool.FindMessageTypeByName("tensorflow.Event")
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


Event = _messages()


def read_records(data):
    at = 0
    while at < len(data):
        header = data[at : at + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[at + 8 : at + 12])
        if masked_crc32c(header) != length_crc:
            raise ValueError(f"length CRC mismatch at byte {at}")
        body = data[at + 12 : at + 12 + length]
        (body_crc,) = struct.unpack("<I", data[at + 12 + length : at + 16 + length])
        if masked_crc32c(body) != body_crc:
            raise ValueError(f"data CRC mismatch at byte {at}")
        yield body
        at += 16 + length


def describe(event):
    out = {"step": event.step, "wall_time": event.wall_time}
    if event.file_version:
        out["file_version"] = event.file_version
    for v in event.summary.value:
        if v.HasField("histo"):
            h = v.histo
            out.setdefault("histograms", {})[v.tag] = {"num": h.num, "min": h.min, "max": h.max, "sum": h.sum, "buckets": sum(h.bucket)}
        elif v.HasField("tensor"):
            out.setdefault("texts", {})[v.tag] = {
                "plugin": v.metadata.plugin_data.plugin_name,
                "text": b"".join(v.tensor.string_val).decode("utf-8"),
            }
        else:
            out.setdefault("scalars", {})[v.tag] = v.simple_value
    return out


def main(logdir):
    files = []
    for root, _, names in os.walk(logdir):
        for name in sorted(names):
            if "tfevents" in name:
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    events = [describe(Event.FromString(r)) for r in read_records(f.read())]
                files.append({"path": os.path.relpath(path, logdir), "events": events})
    json.dump(sorted(files, key=lambda f: f["path"]), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
