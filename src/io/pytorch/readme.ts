import type { AnalyzedGraph } from '../../graph/types';
import { torchInputShape } from './names';

/** `README.md` of an export: what each file is and how to run it. */
export function readmeMd(graph: AnalyzedGraph, has: { train: boolean; data: boolean }): string {
  const input = torchInputShape(graph.inputShape);
  const image = graph.inputShape.length === 3;
  return `# A react-nn model, exported for PyTorch

| file | what it is |
|---|---|
| \`model.py\` | \`Model\`, an \`nn.Module\` mirroring the JSX tree, and \`load(path="weights.safetensors")\` (eval mode) |
| \`weights.safetensors\` | the \`state_dict\`: PyTorch names (\`nn.Sequential\` indices or \`name\` props) and layouts |
${has.train ? "| `train.py` | the trainer's settings as a PyTorch training script (single process or `torchrun`) |\n" : ''}${has.data ? '| `data.safetensors` | the training and validation sets (`x_train`, `y_train`, `x_val`, `y_val`) |\n' : ''}
Needs Python 3 and PyTorch (\`pip install torch\`); the \`safetensors\` package is used when installed, a
bundled reader otherwise.

## Predict

\`\`\`python
import torch
from model import load

model = load("weights.safetensors")
x = torch.randn(4, ${input.join(', ')})   # a batch of inputs${image ? " — NCHW: react-nn's NHWC images are x.permute(0, 3, 1, 2)" : ''}
print(model(x))
\`\`\`
${
  has.train
    ? `
## Train

\`\`\`sh
python train.py                          # one process; writes trained.safetensors
torchrun --nproc_per_node=4 train.py     # DistributedDataParallel: gloo on CPU, nccl on CUDA
\`\`\`
${has.data ? '' : '\n`train.py` reads `data.safetensors`: export with `exportPyTorch(trainer, { data: true })`, or edit `load_data()` to read your own data.\n'}
Each epoch prints one JSON line (\`loss\`, \`val_loss\`, accuracy for classifiers). Load the result back
into the page with \`loadStateDict(net, bytes)\`.
`
    : ''
}`;
}
