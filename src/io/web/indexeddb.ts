// io/web/indexeddb: the few IndexedDB calls the model store makes (open with its object stores,
// one transaction, a request), typed structurally (the project compiles without the DOM library)
// and turned into promises. A failed request or transaction is a TesseraError naming the
// operation and the browser's reason. No node:* import.
import { TesseraError, ValueError } from "../../core/errors.js";

interface EventTargetLike {
  onerror: ((event: unknown) => void) | null;
}

export interface IdbRequest<T> extends EventTargetLike {
  readonly result: T;
  readonly error: { name: string; message: string } | null;
  onsuccess: ((event: unknown) => void) | null;
}

export interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: ((event: unknown) => void) | null;
  onblocked: ((event: unknown) => void) | null;
}

export interface IdbObjectStore {
  put(value: unknown, key: string): IdbRequest<unknown>;
  get(key: string): IdbRequest<unknown>;
  getAll(): IdbRequest<unknown[]>;
  delete(key: string): IdbRequest<undefined>;
  count(key: string): IdbRequest<number>;
}

export interface IdbTransaction extends EventTargetLike {
  readonly error: { name: string; message: string } | null;
  oncomplete: ((event: unknown) => void) | null;
  onabort: ((event: unknown) => void) | null;
  objectStore(name: string): IdbObjectStore;
  abort(): void;
}

export interface IdbDatabase {
  readonly objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(stores: string[], mode: "readonly" | "readwrite"): IdbTransaction;
  close(): void;
}

/** The `indexedDB` global (an IDBFactory). */
export interface IdbFactory {
  open(name: string, version?: number): IdbOpenRequest;
}

function reason(error: { name: string; message: string } | null | undefined): string {
  return error === null || error === undefined ? "no reason given" : `${error.name}: ${error.message}`;
}

/** The host's indexedDB, or the one given; a ValueError naming `op` where there is none. */
export function indexedDbOf(op: string, given: IdbFactory | undefined): IdbFactory {
  const factory = given ?? (globalThis as { indexedDB?: IdbFactory }).indexedDB;
  if (factory === undefined) {
    throw new ValueError(`${op}: this host has no IndexedDB (a page or a Worker has it; Node does not)`);
  }
  return factory;
}

/** Opens (creating on first use) database `name` with the given object stores. */
export function openDatabase(
  op: string,
  factory: IdbFactory,
  name: string,
  stores: readonly string[],
): Promise<IdbDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      for (const store of stores) {
        if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(new TesseraError(`${op}: cannot open IndexedDB database "${name}" (${reason(request.error)})`));
    request.onblocked = () =>
      reject(
        new TesseraError(`${op}: IndexedDB database "${name}" is blocked by another tab holding it open`),
      );
  });
}

/** The result of a request. */
export function requestResult<T>(op: string, request: IdbRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(new TesseraError(`${op}: IndexedDB request failed (${reason(request.error)})`));
  });
}

/**
 * Runs `body` in one transaction over `stores` and resolves once it commits: every change of the
 * body is applied, or (an exception, a failed request, an abort) none is, and the error says so.
 */
export async function inTransaction<T>(
  op: string,
  db: IdbDatabase,
  stores: string[],
  mode: "readonly" | "readwrite",
  body: (tx: IdbTransaction) => Promise<T> | T,
): Promise<T> {
  const tx = db.transaction(stores, mode);
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    const fail = () =>
      reject(new TesseraError(`${op}: the IndexedDB transaction failed (${reason(tx.error)})`));
    tx.onerror = fail;
    tx.onabort = fail;
  });
  let value: T;
  try {
    value = await body(tx);
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // already finished: the failed request aborted it
    }
    await done.catch(() => undefined);
    if (error instanceof TesseraError) throw error;
    // a request refused at once (DataCloneError, a closed database...)
    const { name, message } = error as { name?: string; message?: string };
    throw new TesseraError(
      `${op}: the IndexedDB transaction was aborted (${name ?? "Error"}: ${message ?? String(error)})`,
    );
  }
  await done;
  return value;
}
