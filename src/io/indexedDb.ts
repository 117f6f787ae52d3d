/**
 * Checkpoints in the browser's IndexedDB: one database (`react-nn`), one object store
 * (`checkpoints`) of `{ key, bytes, savedAt, size }` records. Every request is wrapped so that
 * no promise stays pending: errors, aborts and a blocked upgrade all reject with a ReactNNError.
 */
import { ReactNNError } from '../errors';

const DB_NAME = 'react-nn';
const STORE = 'checkpoints';
const DB_VERSION = 1;

/** One saved checkpoint, as `listCheckpoints()` reports it. */
export interface StoredCheckpointInfo {
  key: string;
  /** When it was saved (ISO 8601). */
  savedAt: string;
  /** File size in bytes. */
  size: number;
}

interface StoredRecord extends StoredCheckpointInfo {
  bytes: Uint8Array;
}

function factory(api: string): IDBFactory {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) {
    throw new ReactNNError(
      'backend',
      api,
      'IndexedDB is not available here (it exists in browsers, not in Node) — save to a file path or keep the returned bytes instead',
    );
  }
  return idb;
}

function promised<T>(request: IDBRequest<T>, api: string, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(
        new ReactNNError('backend', api, `IndexedDB could not ${what}: ${request.error?.message ?? 'unknown error'}`),
      );
  });
}

function open(api: string): Promise<IDBDatabase> {
  const request = factory(api).open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'key' });
  };
  return new Promise((resolve, reject) => {
    request.onblocked = () =>
      reject(
        new ReactNNError(
          'backend',
          api,
          'IndexedDB is blocked by another tab holding an older version open — close it and retry',
        ),
      );
    promised(request, api, `open the "${DB_NAME}" database`).then(resolve, reject);
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  api: string,
  what: string,
  run: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open(api);
  try {
    const tx = db.transaction(STORE, mode);
    const result = promised(run(tx.objectStore(STORE)), api, what);
    // A write is only durable once its transaction completes.
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () =>
        reject(
          new ReactNNError(
            'backend',
            api,
            `IndexedDB could not ${what}: ${tx.error?.message ?? 'transaction aborted'}`,
          ),
        );
    });
    const [value] = await Promise.all([result, done]);
    return value;
  } finally {
    db.close();
  }
}

function checkKey(key: unknown, api: string): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    throw new ReactNNError('option', api, `a checkpoint key must be a non-empty string, as in 'indexeddb://moons'`);
  }
}

/** Stores checkpoint bytes under `key`, replacing what was there. */
export async function putCheckpoint(key: string, bytes: Uint8Array, api = 'saveCheckpoint'): Promise<void> {
  checkKey(key, api);
  const record: StoredRecord = { key, bytes, savedAt: new Date().toISOString(), size: bytes.length };
  await withStore('readwrite', api, `store "${key}"`, (s) => s.put(record));
}

/** The bytes stored under `key`; a ReactNNError naming the stored keys when there is none. */
export async function getCheckpoint(key: string, api = 'loadCheckpoint'): Promise<Uint8Array> {
  checkKey(key, api);
  const record = (await withStore('readonly', api, `read "${key}"`, (s) => s.get(key))) as StoredRecord | undefined;
  if (!record) {
    const keys = (await listCheckpoints()).map((c) => `"${c.key}"`);
    throw new ReactNNError(
      'data',
      api,
      `no checkpoint is stored under "indexeddb://${key}" — ${keys.length ? `stored keys: ${keys.join(', ')}` : 'none is stored in this browser'}`,
    );
  }
  if (!(record.bytes instanceof Uint8Array)) {
    throw new ReactNNError(
      'data',
      api,
      `the IndexedDB record "${key}" holds no checkpoint bytes — delete it and save again`,
    );
  }
  return record.bytes;
}

/**
 * The checkpoints stored in this browser's IndexedDB, oldest key first.
 * @see saveCheckpoint with an `'indexeddb://KEY'` target
 */
export async function listCheckpoints(): Promise<StoredCheckpointInfo[]> {
  const api = 'listCheckpoints';
  const records = (await withStore('readonly', api, 'list checkpoints', (s) => s.getAll())) as StoredRecord[];
  return records.map(({ key, savedAt, size }) => ({ key, savedAt, size }));
}

/** Deletes the checkpoint stored under `key` (with or without the `indexeddb://` prefix); true if there was one. */
export async function deleteCheckpoint(key: string): Promise<boolean> {
  const api = 'deleteCheckpoint';
  const bare = typeof key === 'string' ? key.replace(/^indexeddb:\/\//, '') : key;
  checkKey(bare, api);
  const had = await withStore('readonly', api, `read "${bare}"`, (s) => s.count(bare));
  if (had === 0) return false;
  await withStore('readwrite', api, `delete "${bare}"`, (s) => s.delete(bare));
  return true;
}
