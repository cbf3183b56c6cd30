#!/usr/bin/env python3
"""The CNN sample's network and training in PyTorch: the accuracy reference and the speed peer of FashionMnistCnn.

    /usr/bin/python3 samples/FashionMnistCnn/pytorch/train.py [--epochs 10] [--batch 128] [--threads 2] [--data DIR]

Same network (three 3x3 conv + batch norm + ReLU blocks of 32, 64, 64 channels, 2x2 max pooling after the first two,
the third added to its input, a linear head on the 64x7x7 features), data preparation (pixels / 255, standardised
with the training set's one mean and standard deviation; 10 % of the training images held out for validation),
optimiser (AdamW, peak rate 0.002, decay 0.05, 200 steps of linear warm-up then cosine decay to 1 % of the peak,
gradients clipped to global norm 5) and early stopping (patience 3 on the validation loss, test set read once with
the best epoch's weights). Prints samples/s per epoch (training steps only, as the sample's epoch line) and the test
accuracy. Initialisation and batch order are PyTorch's own: the accuracies agree as distributions, not digit for digit.
Install libopenblas0-pthread first: without it PyTorch falls back to the reference BLAS. The script keeps glibc from
handing freed tensor memory back to the kernel (see keep_freed_memory): without that this network trains 1.2x slower,
and up to 4x slower while the other core is busy.
"""
import argparse
import copy
import ctypes
import gzip
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def keep_freed_memory():
    """Keeps glibc's malloc from returning freed memory to the kernel: by default a freed block of more than 128 KiB
    (this network's activations are 0.8-13 MB) is unmapped or trimmed, and the next step's allocation of the same size
    faults every page back in, zeroed by the kernel; measured on an AMD EPYC Zen 5, one thread: 1,582 samples/s with the
    default, 1,933-1,959 with this (and 482 with the default while the other core was busy). What MALLOC_MMAP_THRESHOLD_
    and MALLOC_TRIM_THRESHOLD_ do, set from here so that the peer runs at its best however it is started."""
    libc = ctypes.CDLL("libc.so.6")
    m_trim_threshold, m_mmap_threshold = -1, -3
    if not (libc.mallopt(m_mmap_threshold, 1 << 30) and libc.mallopt(m_trim_threshold, (1 << 31) - 1)):
        print("warning: mallopt refused the thresholds; PyTorch may run slower than it can")


keep_freed_memory()
ap = argparse.ArgumentParser()
ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
ap.add_argument("--epochs", type=int, default=10)
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--threads", type=int, default=os.cpu_count())
ap.add_argument("--width", type=int, default=32)
ap.add_argument("--seed", type=int, default=0)
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def read_idx(directory, name):
    path = os.path.join(directory, name + ".gz")
    with (gzip.open(path) if os.path.exists(path) else open(os.path.join(directory, name), "rb")) as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


train_x = read_idx(args.data, "train-images-idx3-ubyte").astype(np.float32) / 255
train_y = read_idx(args.data, "train-labels-idx1-ubyte").astype(np.int64)
test_x = read_idx(args.data, "t10k-images-idx3-ubyte").astype(np.float32) / 255
test_y = read_idx(args.data, "t10k-labels-idx1-ubyte").astype(np.int64)
mean, std = train_x.mean(), train_x.std()
train_x, test_x = (train_x - mean) / std, (test_x - mean) / std
order = np.random.default_rng(args.seed).permutation(len(train_y))
held = round(0.1 * len(train_y))
valid_x, valid_y = torch.from_numpy(train_x[order[:held]]).unsqueeze(1), torch.from_numpy(train_y[order[:held]])
train_x, train_y = torch.from_numpy(train_x[order[held:]]).unsqueeze(1), torch.from_numpy(train_y[order[held:]])
test_x, test_y = torch.from_numpy(test_x).unsqueeze(1), torch.from_numpy(test_y)


class Block(nn.Module):
    def __init__(self, inputs, outputs):
        super().__init__()
        self.conv = nn.Conv2d(inputs, outputs, 3, padding=1)
        self.norm = nn.BatchNorm2d(outputs)

    def forward(self, x):
        return F.relu(self.norm(self.conv(x)))


class Cnn(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.block1, self.block2, self.block3 = Block(1, width), Block(width, 2 * width), Block(2 * width, 2 * width)
        self.head = nn.Linear(2 * width * 7 * 7, 10)

    def forward(self, x):
        h2 = F.max_pool2d(self.block2(F.max_pool2d(self.block1(x), 2)), 2)
        return self.head(torch.flatten(h2 + self.block3(h2), 1))


model = Cnn(args.width)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
steps_per_epoch = math.ceil(len(train_y) / args.batch)
total, warmup, peak, floor = args.epochs * steps_per_epoch, 200, 2e-3, 2e-5


def rate(step):
    if step < warmup:
        return peak * (step + 1) / warmup
    return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * (step - warmup) / (total - warmup))) if step < total else floor


def measure(x, y):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(y), 1000):
            scores = model(x[start:start + 1000])
            loss += F.cross_entropy(scores, y[start:start + 1000], reduction="sum").item()
            correct += (scores.argmax(1) == y[start:start + 1000]).sum().item()
    return loss / len(y), correct / len(y)


print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), batch {args.batch}, "
      f"{len(train_y)} training / {held} validation / {len(test_y)} test images")
step, best, best_state, since = 0, float("inf"), None, 0
for epoch in range(1, args.epochs + 1):
    model.train()
    permutation = torch.randperm(len(train_y))
    began = time.perf_counter()
    for start in range(0, len(train_y), args.batch):
        batch = permutation[start:start + args.batch]
        for group in optimizer.param_groups:
            group["lr"] = rate(step)
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(train_x[batch]), train_y[batch]).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        step += 1
    seconds = time.perf_counter() - began
    loss, accuracy = measure(valid_x, valid_y)
    print(f"epoch {epoch}: validation loss {loss:.4f}, accuracy {100 * accuracy:.2f} %  ({seconds:.1f} s, {len(train_y) / seconds:.0f} samples/s)", flush=True)
    if loss < best:
        best, best_state, since = loss, copy.deepcopy(model.state_dict()), 0
    else:
        since += 1
        if since >= 3:
            print(f"early stopping after epoch {epoch}")
            break
model.load_state_dict(best_state)
print(f"test accuracy {100 * measure(test_x, test_y)[1]:.2f} % (weights of the lowest validation loss)")
