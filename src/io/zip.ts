/**
 * The zip container of a checkpoint, made with fflate. Reading checks what fflate leaves to the
 * caller: that the bytes are a zip at all, and every file's CRC-32 against its central directory
 * entry — so a flipped bit inside a stored (uncompressed) weights file is refused, not loaded.
 */
import { unzipSync, zipSync } from 'fflate';
import { ReactNNError } from '../errors';

/** File name → contents. */
export type ZipFiles = Record<string, Uint8Array>;

/**
 * Zips files. Files named in `store` are stored uncompressed (float weights barely deflate, and
 * storing them keeps saving a 1M-parameter model fast); the rest are deflated.
 */
export function zipFiles(files: ZipFiles, store: readonly string[] = []): Uint8Array<ArrayBuffer> {
  const input: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [name, data] of Object.entries(files)) input[name] = [data, { level: store.includes(name) ? 0 : 6 }];
  // A fixed date: the same model gives the same bytes.
  return zipSync(input, { mtime: new Date('2020-01-01T00:00:00Z') });
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

/**
 * Unzips and verifies. `api` names the caller in errors. A file that is not a zip, a truncated zip,
 * or a file whose CRC-32 disagrees with the directory is a ReactNNError.
 */
export function unzipFiles(bytes: Uint8Array, api: string): ZipFiles {
  const crcs = centralDirectoryCrcs(bytes, api);
  let files: ZipFiles;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new ReactNNError(
      'data',
      api,
      `the file is not a readable zip (${(e as Error).message}) — it is truncated or corrupted`,
      {
        cause: e,
      },
    );
  }
  for (const [name, data] of Object.entries(files)) {
    const expected = crcs.get(name);
    if (expected === undefined || crc32(data) !== expected) {
      throw new ReactNNError(
        'data',
        api,
        `"${name}" inside the file fails its CRC-32 check — the file is corrupted; save the model again`,
      );
    }
  }
  return files;
}

/** File name → CRC-32 from the zip's central directory; throws when there is none. */
function centralDirectoryCrcs(bytes: Uint8Array, api: string): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notZip = () =>
    new ReactNNError(
      'data',
      api,
      `these ${bytes.length} bytes are not a react-nn checkpoint (.rnn): no zip directory at the end — the file is truncated, or from another program`,
    );
  // The end-of-central-directory record is 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notZip();
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const out = new Map<string, number>();
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw notZip();
    const crc = view.getUint32(at + 16, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    if (at + 46 + nameLength > bytes.length) throw notZip();
    out.set(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)), crc);
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

let table: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3), as zip uses. */
export function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = (table[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
