/**
 * The safetensors format, read and written without a dependency: an 8-byte little-endian header
 * length, a JSON header `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }`, then
 * the raw little-endian data. Checkpoints and the PyTorch hand-off both use it, so that other tools
 * (`safetensors.torch.load_file`, Netron, Hugging Face's viewer) can read what react-nn writes.
 *
 * @see https://github.com/huggingface/safetensors#format
 */
import { ReactNNError } from '../errors';

/** The dtypes react-nn reads and writes: what PyTorch state dicts hold for the layers it knows. */
export type SafetensorsDtype = 'F32' | 'F64' | 'I32' | 'I64' | 'U8' | 'BOOL';

/** The typed array each dtype is held in (I64 as BigInt64Array, BOOL as one byte per value). */
export interface SafetensorsArrays {
  F32: Float32Array;
  F64: Float64Array;
  I32: Int32Array;
  I64: BigInt64Array;
  U8: Uint8Array;
  BOOL: Uint8Array;
}

export type SafeTensor = {
  [D in SafetensorsDtype]: { dtype: D; shape: number[]; data: SafetensorsArrays[D] };
}[SafetensorsDtype];

export interface SafetensorsFile {
  tensors: Record<string, SafeTensor>;
  /** The header's `__metadata__`: string keys to string values, as the format requires. */
  metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, I32: 4, I64: 8, U8: 1, BOOL: 1 };
const DTYPES = Object.keys(BYTES) as SafetensorsDtype[];

/** The safetensors reference caps the header at 100 MB; a larger claim is a lie or another format. */
const MAX_HEADER = 100_000_000;

const PATH = 'safetensors';

function fail(message: string): never {
  throw new ReactNNError('data', PATH, message);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

function arrayFor(dtype: SafetensorsDtype, bytes: Uint8Array): SafetensorsArrays[SafetensorsDtype] {
  // A copy into a fresh, aligned buffer: the data section may start at any offset, and typed arrays
  // need their element alignment. The copy also keeps the result independent of the input bytes.
  // (Not bytes.slice(): on a Node Buffer that is a view into Buffer's shared pool, not a copy.)
  const own = new Uint8Array(bytes).buffer;
  switch (dtype) {
    case 'F32':
      return new Float32Array(own);
    case 'F64':
      return new Float64Array(own);
    case 'I32':
      return new Int32Array(own);
    case 'I64':
      return new BigInt64Array(own);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(own);
  }
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toLittleEndian(data: ArrayBufferView, width: number): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndian || width === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) {
    for (let b = 0; b < width; b++) out[i + b] = bytes[i + width - 1 - b] as number;
  }
  return out;
}

/**
 * Encodes named tensors as one safetensors file. Tensors are written in the order given (the
 * format does not fix one); the header is padded with spaces to a multiple of 8 bytes, as the
 * reference writer does, so the data section is aligned.
 */
export function encodeSafetensors(
  tensors: Record<string, SafeTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') fail('"__metadata__" is reserved by the format and cannot name a tensor.');
    if (!DTYPES.includes(t.dtype))
      fail(`tensor "${name}" has dtype ${JSON.stringify(t.dtype)}; use one of ${DTYPES.join(', ')}.`);
    const count = elementCount(t.shape);
    if (t.shape.some((d) => !Number.isInteger(d) || d < 0) || count !== t.data.length) {
      fail(`tensor "${name}" has shape [${t.shape.join(', ')}] (${count} values) but ${t.data.length} values of data.`);
    }
    const bytes = toLittleEndian(t.data, BYTES[t.dtype]);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Decodes a safetensors file, checking everything the header claims against the bytes before any
 * tensor is made: a header length past the end, JSON that is not an object, an unknown dtype, a
 * shape whose size disagrees with its byte range, ranges that overlap, leave holes or run past the
 * end — each is a `ReactNNError` saying which, so a truncated or foreign file never half-loads.
 */
export function decodeSafetensors(input: Uint8Array | ArrayBuffer): SafetensorsFile {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 8)
    fail(`the file is ${bytes.length} bytes long; a safetensors file starts with an 8-byte header length.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) {
    fail(
      `the header claims ${headerLength} bytes but the file has ${bytes.length - 8} after the length field — ` +
        'the file is truncated or is not a safetensors file.',
    );
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch {
    fail('the header is not valid UTF-8 JSON — the file is corrupted or is not a safetensors file.');
  }
  if (!isRecord(header)) fail('the header is not a JSON object — this is not a safetensors file.');

  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(raw)) fail('"__metadata__" must be an object of strings.');
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') fail(`metadata "${k}" must be a string (got ${typeof v}).`);
        metadata[k] = v;
      }
      continue;
    }
    if (!isRecord(raw)) fail(`the entry for tensor "${name}" is not an object.`);
    const { dtype, shape, data_offsets: offsets } = raw;
    if (typeof dtype !== 'string' || !DTYPES.includes(dtype as SafetensorsDtype)) {
      fail(`tensor "${name}" has dtype ${JSON.stringify(dtype)}; react-nn reads ${DTYPES.join(', ')}.`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`tensor "${name}" has shape ${JSON.stringify(shape)}; a shape is a list of non-negative integers.`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      fail(`tensor "${name}" has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with begin ≤ end.`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataLength) {
      fail(
        `tensor "${name}" ends at byte ${end} of the data, but the data section has ${dataLength} bytes — the file is truncated.`,
      );
    }
    const width = BYTES[dtype as SafetensorsDtype];
    const expected = elementCount(shape as number[]) * width;
    if (end - begin !== expected) {
      fail(
        `tensor "${name}" of shape [${(shape as number[]).join(', ')}] and dtype ${dtype} needs ${expected} bytes, ` +
          `but its data_offsets span ${end - begin}.`,
      );
    }
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end });
  }
  // The format requires the ranges to tile the data section exactly: no overlap, no hole.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin !== cursor) {
      fail(
        `tensor "${e.name}" starts at byte ${e.begin} but the previous tensor ends at ${cursor}: the ranges overlap or leave a hole.`,
      );
    }
    cursor = e.end;
  }
  if (cursor !== dataLength)
    fail(`the tensors cover ${cursor} bytes but the data section has ${dataLength}: extra bytes at the end.`);

  const tensors: Record<string, SafeTensor> = {};
  for (const e of entries) {
    const raw = bytes.subarray(dataStart + e.begin, dataStart + e.end);
    const le = littleEndian ? raw : toLittleEndian(raw, BYTES[e.dtype]);
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: arrayFor(e.dtype, le) } as SafeTensor;
  }
  return { tensors, metadata };
}
