"""Runs an exported react-nn model in PyTorch: DIR holds model.py, weights.safetensors and input.safetensors.

Loads the model with model.py's own load() (strict load_state_dict, eval mode), runs it on the input
(`x`, given as react-nn takes it — images NHWC, permuted here to NCHW) and writes output.safetensors (`y`).
Used by src/io/__tests__/pytorchExport.test.ts.
"""
import sys

sys.path.insert(0, sys.argv[1])
import torch  # noqa: E402
from model import load, read_safetensors, write_safetensors  # noqa: E402

directory = sys.argv[1]
model = load(f"{directory}/weights.safetensors")
assert not model.training, "load() must return the model in eval mode"
x = read_safetensors(f"{directory}/input.safetensors")["x"]
if x.ndim == 4:
    x = x.permute(0, 3, 1, 2)
with torch.no_grad():
    y = model(x)
if y.ndim == 4:
    y = y.permute(0, 2, 3, 1)
write_safetensors({"y": y.float().contiguous()}, f"{directory}/output.safetensors")
print(sorted(model.state_dict().keys()))
