/**
 * Where checkpoint bytes go and come from: `'indexeddb://KEY'`, `'downloads://NAME'` (browsers),
 * URLs (fetch) and file paths (Node). One place that tells them apart, so save and load agree.
 */
import { describe, ReactNNError } from '../errors';
import { getCheckpoint, putCheckpoint } from './indexedDb';

const IDB = 'indexeddb://';
const DOWNLOADS = 'downloads://';

/** True in Node (and Node-like runtimes), where a plain string is a file path. */
function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return (
    typeof p?.versions?.node === 'string' && typeof (globalThis as { document?: unknown }).document === 'undefined'
  );
}

// A specifier in a variable keeps bundlers from pulling node:fs into browser builds; it is only
// loaded in Node, when a file path is given.
const FS = 'node:fs/promises';
async function fs(): Promise<typeof import('node:fs/promises')> {
  return import(/* @vite-ignore */ FS);
}

/** Writes checkpoint bytes to a target string. */
export async function writeTo(target: string, bytes: Uint8Array, api: string): Promise<void> {
  if (typeof target !== 'string' || target === '') {
    throw new ReactNNError(
      'option',
      api,
      `target must be 'indexeddb://KEY', 'downloads://NAME' or a file path (got ${describe(target)})`,
    );
  }
  if (target.startsWith(IDB)) return putCheckpoint(target.slice(IDB.length), bytes, api);
  if (target.startsWith(DOWNLOADS)) return download(target.slice(DOWNLOADS.length), bytes, api);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new ReactNNError(
      'option',
      api,
      `cannot save to ${describe(target)}: targets are 'indexeddb://KEY', 'downloads://NAME' or a file path (to upload, send the returned bytes yourself)`,
    );
  }
  if (!isNode()) {
    throw new ReactNNError(
      'option',
      api,
      `${describe(target)} is a file path, which only Node can write — in a browser use 'indexeddb://KEY' or 'downloads://NAME'`,
    );
  }
  try {
    await (await fs()).writeFile(target, bytes);
  } catch (e) {
    throw new ReactNNError('option', api, `could not write ${describe(target)}: ${(e as Error).message}`, { cause: e });
  }
}

function download(name: string, bytes: Uint8Array, api: string): void {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc || typeof URL.createObjectURL !== 'function') {
    throw new ReactNNError('option', api, `'downloads://' works in browsers only — in Node pass a file path`);
  }
  const file = name === '' ? 'model.rnn' : /\.rnn$/.test(name) ? name : `${name}.rnn`;
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = file;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL may go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What `loadCheckpoint` accepts. */
export type CheckpointSource = Uint8Array | ArrayBuffer | Blob | string;

/** Reads checkpoint bytes from any source. */
export async function readFrom(source: CheckpointSource, api: string): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  if (typeof source !== 'string' || source === '') {
    throw new ReactNNError(
      'option',
      api,
      `source must be bytes (Uint8Array, ArrayBuffer, Blob), 'indexeddb://KEY', a URL or a file path (got ${describe(source)})`,
    );
  }
  if (source.startsWith(IDB)) return getCheckpoint(source.slice(IDB.length), api);
  if (source.startsWith(DOWNLOADS)) {
    throw new ReactNNError(
      'option',
      api,
      `'downloads://' is where saves go; to load a downloaded file, pass the File from an <input type="file"> (a Blob)`,
    );
  }
  const isUrl = /^(https?|blob|data):/i.test(source) || !isNode();
  if (isUrl) {
    let response: Response;
    try {
      response = await fetch(source);
    } catch (e) {
      throw new ReactNNError('data', api, `could not fetch ${describe(source)}: ${(e as Error).message}`, { cause: e });
    }
    if (!response.ok) {
      throw new ReactNNError(
        'data',
        api,
        `fetching ${describe(source)} gave HTTP ${response.status} ${response.statusText}`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  }
  try {
    return new Uint8Array(await (await fs()).readFile(source));
  } catch (e) {
    throw new ReactNNError('data', api, `could not read ${describe(source)}: ${(e as Error).message}`, { cause: e });
  }
}
