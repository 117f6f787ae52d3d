/**
 * `train.py` and `data.safetensors`: a Trainer's configuration as a plain PyTorch training script —
 * the same loss, `torch.optim` optimizer, schedule, batch size, epochs, seed and early stopping —
 * that runs alone (`python train.py`) or on many processes (`torchrun --nproc_per_node=N train.py`,
 * DistributedDataParallel with a DistributedSampler: gloo on CPU, nccl on CUDA).
 */
import type { Dataset } from '../../data/dataset';
import { ReactNNError } from '../../errors';
import type { AnalyzedGraph } from '../../graph/types';
import type { EarlyStoppingCallback, LrScheduleCallback } from '../../training/callbacks';
import type { LossName } from '../../training/losses';
import type { ResolvedOptimizerConfig } from '../../training/optimizers';
import type { LrSchedule } from '../../training/schedules';
import type { Trainer } from '../../training/trainer';
import { encodeSafetensors, type SafeTensor } from '../safetensors';
import { py, SAFETENSORS_READER } from './pythonShared';

const PATH = 'exportPyTorch > train.py';

/** The PyTorch loss for each built-in one (react-nn's take the same inputs and reduce by the mean). */
const LOSSES: Record<LossName, (o: { delta?: number; labelSmoothing?: number }) => string> = {
  mse: () => 'nn.MSELoss()',
  mae: () => 'nn.L1Loss()',
  huber: (o) => `nn.HuberLoss(delta=${py(o.delta ?? 1)})`,
  bce: () => 'nn.BCELoss()',
  bceWithLogits: () => 'nn.BCEWithLogitsLoss()',
  crossEntropy: (o) => `nn.CrossEntropyLoss(label_smoothing=${py(o.labelSmoothing ?? 0)})`,
  multiLabelBce: () => 'nn.BCELoss()',
};

function optimizerPy(c: Readonly<ResolvedOptimizerConfig>): string {
  switch (c.type) {
    case 'sgd':
      return `torch.optim.SGD(params, lr=${py(c.lr)}, momentum=${py(c.momentum)}, dampening=${py(c.dampening)}, nesterov=${py(c.nesterov)}, weight_decay=${py(c.weightDecay)})`;
    case 'adam':
    case 'adamw':
      return `torch.optim.${c.type === 'adam' ? 'Adam' : 'AdamW'}(params, lr=${py(c.lr)}, betas=${py(c.betas)}, eps=${py(c.eps)}, weight_decay=${py(c.weightDecay)})`;
    case 'rmsprop':
      return `torch.optim.RMSprop(params, lr=${py(c.lr)}, alpha=${py(c.alpha)}, eps=${py(c.eps)}, weight_decay=${py(c.weightDecay)}, momentum=${py(c.momentum)}, centered=${py(c.centered)})`;
    case 'adagrad':
      return `torch.optim.Adagrad(params, lr=${py(c.lr)}, lr_decay=${py(c.lrDecay)}, weight_decay=${py(c.weightDecay)}, initial_accumulator_value=${py(c.initialAccumulatorValue)}, eps=${py(c.eps)})`;
  }
}

/** The `torch.optim.lr_scheduler` for a schedule, and whether its step() takes the monitored value. */
function schedulerPy(s: LrSchedule): { code: string; monitor: string | null } {
  switch (s.kind) {
    case 'stepLR':
      return {
        code: `StepLR(optimizer, step_size=${s.options.stepSize}, gamma=${py(s.options.gamma)})`,
        monitor: null,
      };
    case 'exponentialLR':
      return { code: `ExponentialLR(optimizer, gamma=${py(s.options.gamma)})`, monitor: null };
    case 'cosineAnnealingLR':
      return {
        code: `CosineAnnealingLR(optimizer, T_max=${s.options.tMax}, eta_min=${py(s.options.etaMin)})`,
        monitor: null,
      };
    case 'reduceLROnPlateau': {
      const o = s.options;
      return {
        code: `ReduceLROnPlateau(optimizer, mode=${py(o.mode)}, factor=${py(o.factor)}, patience=${o.patience}, threshold=${py(o.threshold)}, threshold_mode=${py(o.thresholdMode)}, cooldown=${o.cooldown}, min_lr=${py(o.minLr)}, eps=${py(o.eps)})`,
        monitor: o.monitor,
      };
    }
  }
}

/** The text of `train.py` for a trainer. */
export function trainPy(trainer: Trainer, graph: AnalyzedGraph): string {
  const o = trainer.options;
  if (typeof o.loss === 'function') {
    throw new ReactNNError(
      'option',
      PATH,
      'the trainer uses a custom loss function, which cannot be written as PyTorch — export with a built-in loss (e.g. "mse", "crossEntropy")',
    );
  }
  const lossName = (typeof o.loss === 'string' ? o.loss : o.loss.type) as LossName;
  const lossOptions = typeof o.loss === 'string' ? {} : (o.loss as { delta?: number; labelSmoothing?: number });
  const batch = o.batchSize ?? 32;
  const epochs = trainer.getSnapshot().epochs;
  const callbacks = o.callbacks ?? [];
  const stopping = callbacks.find((c) => c.name === 'earlyStopping') as EarlyStoppingCallback | undefined;
  const scheduled = callbacks.find((c) => (c as LrScheduleCallback).schedule) as LrScheduleCallback | undefined;
  const scheduler = scheduled ? schedulerPy(scheduled.schedule) : null;
  const es = stopping?.options;
  const reg = o.regularization ?? {};
  const classIds = lossName === 'crossEntropy';
  const image = graph.inputShape.length === 3;
  return `"""Trains the exported react-nn model with PyTorch — the trainer's settings, written out.

    python train.py                               # one process (CPU, or one GPU)
    torchrun --nproc_per_node=4 train.py          # DistributedDataParallel: one process per GPU (nccl) or CPU core (gloo)
    torchrun --nnodes=2 --node_rank=0 --master_addr=HOST --nproc_per_node=8 train.py   # several machines

Data: data.safetensors (x_train, y_train, x_val, y_val${image ? '; images NCHW' : ''}), exported with
exportPyTorch(trainer, { data: true }) — or replace load_data() with your own loader.
The batch size is the global one: each of N processes takes batch_size / N rows per step.
At the end, rank 0 writes the trained weights to trained.safetensors (same keys as weights.safetensors).
"""
import argparse
import json
import math
import os
import struct

import torch
import torch.distributed as dist
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, ReduceLROnPlateau, StepLR  # noqa: F401
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from model import Model

LOSS = ${LOSSES[lossName](lossOptions)}
CLASS_IDS = ${py(classIds)}  # crossEntropy: targets are class ids (a one-hot y is used as probabilities)
EPOCHS = ${epochs}
BATCH_SIZE = ${batch === 'full' ? '"full"' : batch}
SEED = ${o.seed ?? 0}
SHUFFLE = ${py(o.shuffle ?? true)}
L1, L2 = ${py(reg.l1 ?? 0)}, ${py(reg.l2 ?? 0)}  # added to the loss, on weights only (not biases)
CLIP_GRAD_NORM = ${py(o.clipGradNorm ?? null)}
CLIP_GRAD_VALUE = ${py(o.clipGradValue ?? null)}
EARLY_STOPPING = ${es ? `dict(monitor=${py(es.monitor)}, patience=${es.patience}, min_delta=${py(es.minDelta)}, mode=${py(es.mode)}, restore_best_weights=${py(es.restoreBestWeights)})` : 'None'}
ACCURACY = ${py(lossName === 'crossEntropy' || lossName === 'bce' || lossName === 'bceWithLogits')}


def make_optimizer(params):
    return ${optimizerPy(trainer.optimizer.config)}


def make_scheduler(optimizer):
    return ${scheduler ? scheduler.code : 'None'}


SCHEDULER_MONITOR = ${py(scheduler?.monitor ?? null)}


${SAFETENSORS_READER}


try:
    from safetensors.torch import load_file, save_file
except ImportError:
    load_file, save_file = read_safetensors, write_safetensors


def load_data(path):
    """(train, val) TensorDatasets. Replace with your own loader to train on more data."""
    t = load_file(path)
    train = TensorDataset(t["x_train"], t["y_train"])
    val = TensorDataset(t["x_val"], t["y_val"]) if "x_val" in t else None
    return train, val


def targets(y):
    return y.long().reshape(-1) if CLASS_IDS and y.shape[-1] == 1 else y


def penalty(model):
    total = 0.0
    for name, p in model.named_parameters():
        if p.ndim > 1 and name.rsplit(".", 1)[-1].startswith("weight"):
            if L1:
                total = total + L1 * p.abs().sum()
            if L2:
                total = total + L2 * p.pow(2).sum()
    return total


def correct(out, y):
    if CLASS_IDS:
        return (out.argmax(-1) == targets(y)).sum().item() if y.shape[-1] == 1 else (out.argmax(-1) == y.argmax(-1)).sum().item()
    threshold = 0.0 if isinstance(LOSS, nn.BCEWithLogitsLoss) else 0.5
    return ((out > threshold).float() == y).float().sum().item() / y.shape[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data.safetensors")
    parser.add_argument("--weights", default="weights.safetensors", help="start from these weights ('' for PyTorch's init)")
    parser.add_argument("--out", default="trained.safetensors")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    cuda = torch.cuda.is_available()
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}" if cuda else "cpu")
    torch.manual_seed(SEED)

    model = Model()
    if args.weights:
        model.load_state_dict(load_file(args.weights))
    model.to(device)
    net = nn.parallel.DistributedDataParallel(model) if world > 1 else model
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = make_optimizer(params)
    scheduler = make_scheduler(optimizer)

    train, val = load_data(args.data)
    sampler = DistributedSampler(train, num_replicas=world, rank=rank, shuffle=SHUFFLE, seed=SEED) if world > 1 else None
    rows = len(sampler) if sampler else len(train)
    per_step = rows if BATCH_SIZE == "full" else max(1, math.ceil(BATCH_SIZE / world))
    loader = DataLoader(train, batch_size=per_step, sampler=sampler, shuffle=SHUFFLE and sampler is None)

    best, best_epoch, best_state, wait = None, None, None, 0
    for epoch in range(args.epochs):
        if sampler:
            sampler.set_epoch(epoch)
        net.train()
        totals = torch.zeros(3, dtype=torch.float64)  # loss sum, rows, correct
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            out = net(x)
            loss = LOSS(out, targets(y))
            (loss + penalty(model)).backward()
            if CLIP_GRAD_NORM is not None:
                nn.utils.clip_grad_norm_(params, CLIP_GRAD_NORM)
            if CLIP_GRAD_VALUE is not None:
                nn.utils.clip_grad_value_(params, CLIP_GRAD_VALUE)
            optimizer.step()
            totals += torch.tensor([loss.item() * len(x), len(x), correct(out.detach(), y) if ACCURACY else 0.0], dtype=torch.float64)
        if world > 1:
            dist.all_reduce(totals)
        logs = {"loss": (totals[0] / totals[1]).item()}
        if ACCURACY:
            logs["accuracy"] = (totals[2] / totals[1]).item()
        if val is not None:
            net.eval()
            with torch.no_grad():
                x, y = val.tensors[0].to(device), val.tensors[1].to(device)
                out = model(x)
                logs["val_loss"] = LOSS(out, targets(y)).item()
                if ACCURACY:
                    logs["val_accuracy"] = correct(out, y) / len(x)
        if rank == 0:
            print(json.dumps({"epoch": epoch + 1, **logs}), flush=True)
        if scheduler is not None:
            if SCHEDULER_MONITOR:
                if SCHEDULER_MONITOR in logs:
                    scheduler.step(logs[SCHEDULER_MONITOR])
            else:
                scheduler.step()
        if EARLY_STOPPING and EARLY_STOPPING["monitor"] in logs:
            value = logs[EARLY_STOPPING["monitor"]]
            mode = EARLY_STOPPING["mode"]
            maximize = mode == "max" or (mode == "auto" and any(k in EARLY_STOPPING["monitor"] for k in ("acc", "auc", "f1", "precision", "recall", "r2")))
            better = best is None or (value > best + EARLY_STOPPING["min_delta"] if maximize else value < best - EARLY_STOPPING["min_delta"])
            if better:
                best, best_epoch, wait = value, epoch, 0
                if EARLY_STOPPING["restore_best_weights"]:
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                wait += 1
                if wait >= EARLY_STOPPING["patience"]:
                    if rank == 0:
                        print(f"early stopping: {EARLY_STOPPING['monitor']} did not improve for {EARLY_STOPPING['patience']} epochs", flush=True)
                    break
    if best_state is not None:
        model.load_state_dict(best_state)
    if rank == 0:
        save_file({k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}, args.out)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
}

/** Rows of an NHWC batch `[n, h, w, c]` as NCHW `[n, c, h, w]`. */
function toNchw(values: Float32Array, shape: readonly number[]): Float32Array {
  const [n, h, w, c] = shape as [number, number, number, number];
  const out = new Float32Array(values.length);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++)
          out[((i * c + ch) * h + y) * w + x] = values[((i * h + y) * w + x) * c + ch] as number;
  return out;
}

function datasetTensors(d: Dataset, suffix: string): Record<string, SafeTensor> {
  const xShape = d.x.shape;
  const xValues = d.x.dataSync() as Float32Array;
  const image = xShape.length === 4;
  const [n, h, w, c] = xShape as number[];
  return {
    [`x_${suffix}`]: {
      dtype: 'F32',
      shape: image ? [n as number, c as number, h as number, w as number] : [...xShape],
      data: image ? toNchw(xValues, xShape) : xValues.slice(),
    },
    [`y_${suffix}`]: { dtype: 'F32', shape: [...d.y.shape], data: (d.y.dataSync() as Float32Array).slice() },
  };
}

/** `data.safetensors`: the trainer's training and validation sets (after its split), images NCHW. */
export function dataSafetensors(trainer: Trainer): Uint8Array {
  const { train, val } = trainer.datasets;
  return encodeSafetensors(
    { ...datasetTensors(train, 'train'), ...(val ? datasetTensors(val, 'val') : {}) },
    { producer: 'react-nn' },
  );
}
