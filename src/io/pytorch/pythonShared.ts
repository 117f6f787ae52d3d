/**
 * Python shared by the generated scripts: a safetensors reader for machines without the
 * `safetensors` package (Debian's PyTorch has none), and a writer with the signature of `save_file`.
 */

/** A JavaScript value as a Python literal: True/False, None, "strings", (tuples), numbers. */
export function py(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `(${v.map(py).join(', ')})`;
  return String(v);
}

/** `read_safetensors(path) -> dict[str, Tensor]` and `write_safetensors(tensors, path)`. */
export const SAFETENSORS_READER = `_DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64,
           "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors(path):
    """Reads a safetensors file (8-byte little-endian header length, JSON header, raw data)."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = bytearray(data[8 + length:])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        chunk = body[begin:end]
        flat = torch.frombuffer(chunk, dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"]).clone()
    return tensors


def write_safetensors(tensors, path):
    """Writes tensors as a safetensors file, with the signature of safetensors.torch.save_file."""
    names = {v: k for k, v in _DTYPES.items()}
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))`;
