// io/web/read-csv-from: CSV from what a page has, a string, a File or Blob (an <input type=file>,
// a drop), a URL or a fetch Response, into the Table readCsv gives for the same bytes, with the same
// options and typed errors. A Blob or a response body is streamed through the incremental parser
// (parseCsvChunks, or parseCsvStream for batches), so a 100 MB File is never copied whole into
// memory. Fetch errors (a failed request, an HTTP error status, an HTML page where CSV was
// expected) are FormatErrors naming the URL. No node:* import: Node 20 has Blob, File and fetch too.
import { FormatError, ValueError } from "../../core/errors.js";
import {
  type ChunkSource,
  type CsvBatchStream,
  type CsvReadOptions,
  type CsvStreamOptions,
  parseCsv,
  parseCsvChunks,
  parseCsvStream,
} from "../../data/formats/csv.js";
import type { Table } from "../../data/table/table.js";
import {
  checkResponse,
  type FetchOptions,
  fetchOf,
  fetchOk,
  resolveUrl,
  streamChunks,
} from "./fetch-response.js";

/** What the readers take: CSV text, a File or Blob, a URL object, or a fetch Response. */
export type CsvInput = string | Blob | URL | Response;

export interface CsvFromOptions extends CsvReadOptions, FetchOptions {}
export interface CsvStreamFromOptions extends CsvStreamOptions, FetchOptions {}

const WHAT = "the CSV file";

function isResponse(value: unknown): value is Response {
  return typeof Response === "function" && value instanceof Response;
}

/** The parser's options without the fetch ones (the parser refuses keys it does not know). */
function parserOptions<T extends FetchOptions>(options: T): Omit<T, "fetch" | "init"> {
  const { fetch: _fetch, init: _init, ...rest } = options;
  return rest;
}

/** A response's body as chunks, refusing an HTML page (what a wrong URL often answers with 200). */
function bodyChunks(response: Response, source: string): ChunkSource {
  if (response.bodyUsed) throw new ValueError(`${source}: the response's body was already read`);
  const type = response.headers.get("content-type") ?? "";
  if (/^\s*text\/html\b/i.test(type)) {
    void response.body?.cancel().catch(() => undefined);
    throw new FormatError(`${source}: the server sent an HTML page (content-type ${type}), not ${WHAT}`);
  }
  return response.body === null ? [] : streamChunks(response.body, source);
}

/** A source's name in errors: the URL, a File's name, else "<response>" or "<blob>". */
function sourceName(source: Blob | URL | Response): string {
  if (source instanceof URL) return source.href;
  if (isResponse(source)) return source.url || "<response>";
  const name = (source as { name?: unknown }).name;
  return typeof name === "string" && name !== "" ? name : "<blob>";
}

/** The chunks of a source: a URL fetched, a response's body, a Blob's stream. */
async function chunksOf(
  op: string,
  source: Blob | URL | Response,
  options: FetchOptions,
): Promise<ChunkSource> {
  const name = sourceName(source);
  if (source instanceof URL)
    return bodyChunks(await fetchOk(fetchOf(op, options), name, WHAT, options.init), name);
  if (isResponse(source)) return bodyChunks(checkResponse(source, name, WHAT), name);
  if (typeof Blob === "function" && source instanceof Blob) return streamChunks(source.stream(), name);
  throw new ValueError(
    `${op}: expected CSV text, a File or Blob, a URL or a Response (got ${source === null ? "null" : typeof source})`,
  );
}

/**
 * Reads a CSV into a Table (kinds inferred from every row), as readCsv reads a file: from a string
 * (the CSV text itself), a File or Blob (streamed), a URL object or a Response (fetched, streamed).
 * For a URL given as a string use readCsvFromUrl.
 * @example
 * const table = await ts.readCsvFrom(input.files[0]); // an <input type="file">
 * const iris = await ts.readCsvFrom(new URL("iris.csv", location.href));
 */
export async function readCsvFrom(source: CsvInput, options: CsvFromOptions = {}): Promise<Table> {
  const parse = parserOptions(options);
  if (typeof source === "string") {
    // A one-line string that reads as a URL or file name is almost surely not the CSV itself.
    if (!/[\r\n]/.test(source) && /^(https?:\/\/|\.{0,2}\/)|\.(csv|tsv|txt)(\?.*)?$/i.test(source.trim())) {
      throw new ValueError(
        `readCsvFrom: ${JSON.stringify(source)} looks like a URL, not CSV text; use readCsvFromUrl(url) or pass new URL(url)`,
      );
    }
    return parseCsv(source, parse);
  }
  return parseCsvChunks(await chunksOf("readCsvFrom", source, options), {
    source: sourceName(source),
    ...parse,
  });
}

/**
 * Fetches a CSV (a URL, relative to the page where there is one) into a Table.
 * @example
 * const iris = await ts.readCsvFromUrl("data/iris.csv");
 */
export async function readCsvFromUrl(url: string | URL, options: CsvFromOptions = {}): Promise<Table> {
  return readCsvFrom(resolveUrl("readCsvFromUrl", url), options);
}

/**
 * Streams a CSV from a File, Blob, URL or Response as Tables of `batchSize` rows, as readCsvStream
 * streams a file (header and kinds decided from the first `inferRows` records). Nothing is read
 * until the stream is iterated.
 * @example
 * for await (const batch of ts.readCsvStreamFrom(file, { batchSize: 5000 })) rows += batch.numRows;
 */
export function readCsvStreamFrom(
  source: Blob | URL | Response,
  options: CsvStreamFromOptions = {},
): CsvBatchStream {
  async function* lazy(): AsyncGenerator<Uint8Array | string> {
    yield* await chunksOf("readCsvStreamFrom", source, options);
  }
  return parseCsvStream(lazy(), { source: sourceName(source), ...parserOptions(options) });
}
