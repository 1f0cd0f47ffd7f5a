// Crafting damaged Parquet files in memory for the reader's tests and fuzz targets: a valid file
// from hyparquet-writer, then its footer decoded, edited and re-encoded (hyparquet-writer's own
// metadata writer), or single bytes of its pages changed. No binary fixtures are committed.
import type { FileMetaData } from "hyparquet/src/index.js";
import { parquetMetadata } from "hyparquet/src/index.js";
import { ByteWriter, parquetWriteBuffer } from "hyparquet-writer/src/index.js";
import { writeMetadata } from "hyparquet-writer/src/metadata.js";

type ColumnSource = Parameters<typeof parquetWriteBuffer>[0]["columnData"][number];

/** A Parquet file of the given columns (no compression, one row group unless told). */
export function parquetBytes(
  columnData: ColumnSource[],
  options: { rowGroupSize?: number; codec?: "UNCOMPRESSED" | "SNAPPY" } = {},
): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({
      columnData,
      codec: options.codec ?? "UNCOMPRESSED",
      rowGroupSize: options.rowGroupSize ?? 1_000_000,
    }),
  );
}

function asArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The decoded footer of a Parquet file. */
export function footerOf(bytes: Uint8Array): FileMetaData {
  return parquetMetadata(asArrayBuffer(bytes));
}

/** Where the footer starts (the pages end there). */
export function footerStart(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes.length - 8 - view.getUint32(bytes.length - 8, true);
}

/** The same pages behind a footer changed by `edit`. */
export function withFooter(bytes: Uint8Array, edit: (metadata: FileMetaData) => void): Uint8Array {
  const metadata = footerOf(bytes);
  edit(metadata);
  const writer = new ByteWriter();
  writeMetadata(writer, metadata as Parameters<typeof writeMetadata>[1]);
  writer.appendUint32(0x31524150);
  const footer = writer.getBytes();
  const start = footerStart(bytes);
  const out = new Uint8Array(start + footer.length);
  out.set(bytes.subarray(0, start));
  out.set(footer, start);
  return out;
}

/** A copy of `bytes` with byte `at` set to `value`. */
export function withByte(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = bytes.slice();
  out[at] = value;
  return out;
}
