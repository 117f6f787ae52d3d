"""Builds four PyTorch models as a PyTorch user would write them, trains each briefly, and saves what
react-nn's import must reproduce: DIR/<name>.safetensors (the state_dict, as safetensors.torch.save_file
writes it), DIR/<name>_io.safetensors (an input `x` — images NHWC, as react-nn takes them — and the
eval-mode output `y`). Used by src/io/__tests__/pytorchImport.test.ts.
"""
import json
import struct
import sys

import torch
from torch import nn

torch.manual_seed(0)
out_dir = sys.argv[1]


def save(path, tensors):
    names = {torch.float32: "F32", torch.int64: "I64"}
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


class Recurrent(nn.Module):
    """An LSTM or GRU classifier with named attributes: react-nn's name props give the same keys."""

    def __init__(self, rnn, embed=None, hidden=5):
        super().__init__()
        if embed is not None:
            self.embed = embed
        self.rnn = rnn
        directions = 2 if rnn.bidirectional else 1
        self.head = nn.Linear(hidden * directions, 3)

    def forward(self, x):
        if hasattr(self, "embed"):
            x = self.embed(x.long())
        _, h = self.rnn(x)
        if isinstance(h, tuple):
            h = h[0]
        last = torch.cat([h[-2], h[-1]], dim=1) if self.rnn.bidirectional else h[-1]
        return self.head(last)


models = {
    "mlp": (nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 3)), lambda: torch.randn(6, 4)),
    "cnn": (
        nn.Sequential(
            nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(16, 5),
        ),
        lambda: torch.randn(6, 3, 8, 8),
    ),
    "lstm": (
        Recurrent(nn.LSTM(6, 5, num_layers=2, bidirectional=True, batch_first=True), embed=nn.Embedding(20, 6)),
        lambda: torch.randint(0, 20, (6, 7)).float(),
    ),
    "gru": (Recurrent(nn.GRU(3, 5, batch_first=True)), lambda: torch.randn(6, 6, 3)),
}

for name, (model, sample) in models.items():
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    model.train()
    for _ in range(5):
        x = sample()
        loss = model(x).pow(2).mean() + (model(x) - 1).abs().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    x = sample()
    with torch.no_grad():
        y = model(x)
    save(f"{out_dir}/{name}.safetensors", model.state_dict())
    save(f"{out_dir}/{name}_io.safetensors", {"x": x.permute(0, 2, 3, 1).contiguous() if x.ndim == 4 else x, "y": y})
    print(name, sorted(model.state_dict().keys()))
