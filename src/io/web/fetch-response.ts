// io/web/fetch-response: fetch() with the errors Tessera's URL readers give, shared by
// loadModelFromUrl (io/load-model-url.ts) and readCsvFromUrl (read-csv-from.ts): a URL resolved
// against the page, a failed request or an HTTP error status as a FormatError naming the URL and
// the status, a body read whole under a size limit or streamed. No node:* import.
import { FormatError, ValueError } from "../../core/errors.js";

/** The subset of fetch() the readers call. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** How a reader fetches: the fetch to use and the options of every request. */
export interface FetchOptions {
  /** The fetch to use (default globalThis.fetch), e.g. one that adds credentials. */
  fetch?: FetchLike;
  /** Options passed to every request (headers, credentials, signal). */
  init?: RequestInit;
}

/** The host's fetch, or the one in `options`; a ValueError naming `op` when there is none. */
export function fetchOf(op: string, options: FetchOptions): FetchLike {
  const fetcher = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (fetcher === undefined) throw new ValueError(`${op}: this host has no fetch(); pass options.fetch`);
  return fetcher;
}

/** `location` as an absolute URL, resolved against the page's URL where there is a page. */
export function resolveUrl(op: string, location: string | URL): URL {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(location, page);
  } catch {
    throw new ValueError(`${op}: "${String(location)}" is not a URL (and no page URL to resolve it against)`);
  }
}

/**
 * Fetches `url` and checks the status: a failed request or a status outside 200-299 is a
 * FormatError naming the URL, the status and `what` was fetched (then `hint`, when given).
 */
export async function fetchOk(
  fetcher: FetchLike,
  url: string,
  what: string,
  init: RequestInit | undefined,
  hint = "",
): Promise<Response> {
  let response: Response;
  try {
    response = await fetcher(url, init);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FormatError(`${url}: cannot fetch ${what} (${reason})`);
  }
  return checkResponse(response, url, what, hint);
}

/** The response, if its status is 200-299; else a FormatError naming the URL and the status. */
export function checkResponse(response: Response, url: string, what: string, hint = ""): Response {
  if (response.ok) return response;
  void response.body?.cancel().catch(() => undefined);
  throw new FormatError(
    `${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""} (${what})${hint ? `; ${hint}` : ""}`,
  );
}

/**
 * The whole body of `url`, after fetchOk's checks; `limit` sees the announced length first (so a
 * too-large file is refused before it is read), then the length read.
 */
export async function fetchBytes(
  fetcher: FetchLike,
  url: string,
  what: string,
  init: RequestInit | undefined,
  limit: ((size: number) => void) | undefined,
  hint = "",
): Promise<Uint8Array> {
  const response = await fetchOk(fetcher, url, what, init, hint);
  const length = response.headers.get("content-length");
  if (limit !== undefined && length !== null && /^\d+$/.test(length)) limit(Number(length));
  let body: ArrayBuffer;
  try {
    body = await response.arrayBuffer();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FormatError(`${url}: reading ${what} failed (${reason})`);
  }
  const bytes = new Uint8Array(body);
  limit?.(bytes.byteLength);
  return bytes;
}

/**
 * The chunks of a body (a Response's or a Blob's stream), read with a reader so it works where
 * ReadableStream is not async-iterable; a failed read is a FormatError naming `source`.
 */
export async function* streamChunks(
  stream: ReadableStream<Uint8Array>,
  source: string,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new FormatError(`${source}: reading failed (${reason})`);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // A consumer that stops early (a parse error) cancels the rest of the download or file read.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
