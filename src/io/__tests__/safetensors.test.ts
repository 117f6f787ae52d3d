import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from '../safetensors';

function headerOf(bytes: Uint8Array): { length: number; json: string } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, json: new TextDecoder().decode(bytes.subarray(8, 8 + length)) };
}

/** Builds a file by hand from a header object and raw data, to feed the decoder lies. */
function rawFile(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('writes the layout of the format: u64 LE header length, JSON header padded to 8, LE data in order', () => {
    const bytes = encodeSafetensors(
      { w: { dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) } },
      { format: 'pt' },
    );
    const { length, json } = headerOf(bytes);
    expect(length % 8).toBe(0);
    expect(JSON.parse(json)).toEqual({
      __metadata__: { format: 'pt' },
      w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    });
    // 1.0f = 0x3f800000, −2.0f = 0xc0000000, little-endian
    expect([...bytes.subarray(8 + length)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  it('round-trips every dtype, scalars and empty tensors, bit for bit', () => {
    const tensors: Record<string, SafeTensor> = {
      f32: { dtype: 'F32', shape: [2, 3], data: new Float32Array([0.1, -0, Number.NaN, 1e-40, 3.5, -7]) },
      f64: { dtype: 'F64', shape: [1], data: new Float64Array([Math.PI]) },
      i32: { dtype: 'I32', shape: [3], data: new Int32Array([-1, 0, 2 ** 31 - 1]) },
      i64: { dtype: 'I64', shape: [], data: new BigInt64Array([123456789012345n]) },
      u8: { dtype: 'U8', shape: [0, 4], data: new Uint8Array([]) },
      bool: { dtype: 'BOOL', shape: [2], data: new Uint8Array([1, 0]) },
    };
    const back = decodeSafetensors(encodeSafetensors(tensors, { a: 'b' }));
    expect(back.metadata).toEqual({ a: 'b' });
    expect(Object.keys(back.tensors)).toEqual(Object.keys(tensors));
    for (const [name, t] of Object.entries(tensors)) {
      const got = back.tensors[name];
      expect(got?.dtype).toBe(t.dtype);
      expect(got?.shape).toEqual(t.shape);
      const a = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      const b = new Uint8Array(got!.data.buffer, got!.data.byteOffset, got!.data.byteLength);
      expect([...b]).toEqual([...a]);
    }
  });

  it('decodes from an unaligned view and an ArrayBuffer alike', () => {
    const file = encodeSafetensors({ x: { dtype: 'F64', shape: [2], data: new Float64Array([1.5, -2.25]) } });
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    expect([...decodeSafetensors(shifted.subarray(3)).tensors.x!.data]).toEqual([1.5, -2.25]);
    expect([...decodeSafetensors(file.slice().buffer).tensors.x!.data]).toEqual([1.5, -2.25]);
  });

  it('refuses data whose length disagrees with the shape, and a reserved name', () => {
    expect(() => encodeSafetensors({ w: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(
      /shape \[3\] \(3 values\) but 2 values/,
    );
    expect(() => encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [1], data: new Float32Array(1) } })).toThrow(
      /reserved/,
    );
  });

  const good = () => encodeSafetensors({ w: { dtype: 'F32', shape: [4], data: new Float32Array([1, 2, 3, 4]) } });
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['fewer than 8 bytes', () => new Uint8Array(5), /8-byte header length/],
    ['a truncated file', () => good().subarray(0, good().length - 3), /truncated/],
    [
      'a header length past the end',
      () => {
        const b = good();
        new DataView(b.buffer).setBigUint64(0, 10_000n, true);
        return b;
      },
      /header claims 10000 bytes/,
    ],
    [
      'a file of another program (a PNG)',
      () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      /not a safetensors file/,
    ],
    ['a header that is not an object', () => rawFile([1, 2], new Uint8Array()), /not a JSON object/],
    [
      'an unknown dtype',
      () => rawFile({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)),
      /dtype "Q4"/,
    ],
    [
      'a shape that lies about its size',
      () => rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /needs 12 bytes/,
    ],
    [
      'overlapping ranges',
      () =>
        rawFile(
          {
            a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] },
            b: { dtype: 'U8', shape: [2], data_offsets: [1, 3] },
          },
          new Uint8Array(3),
        ),
      /overlap or leave a hole/,
    ],
    [
      'extra bytes after the tensors',
      () => rawFile({ a: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(2)),
      /extra bytes/,
    ],
    [
      'non-string metadata',
      () => rawFile({ __metadata__: { n: 1 } }, new Uint8Array()),
      /metadata "n" must be a string/,
    ],
  ];
  it.each(cases)('refuses %s with a ReactNNError saying what is wrong', (_name, make, message) => {
    let error: unknown;
    try {
      decodeSafetensors(make());
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'ReactNNError', code: 'data', path: 'safetensors' });
    expect((error as Error).message).toMatch(message);
  });
});
