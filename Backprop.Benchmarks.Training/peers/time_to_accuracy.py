#!/usr/bin/env python3
"""PyTorch's side of "seconds to 88 % test accuracy" (TimeToAccuracy.cs): the sample's MLP (784-256-128-10, ReLU),
the sample's data preparation (pixels / 255, standardised with the training set's one mean and standard deviation),
Adam at 1e-3, shuffled batches; the test accuracy after every epoch, stopping at the first that reaches --target.
The caller times this process from its start to its exit; the last line is JSON: epochs, accuracy, train_s and
peak_mb (the peak resident memory, Linux's ru_maxrss).

    /usr/bin/python3 Backprop.Benchmarks.Training/peers/time_to_accuracy.py --target 0.88 [--batch 128] [--threads 2]
        [--epochs 20] [--data /usr/share/datasets/fashion-mnist]

Install libopenblas0-pthread first: without it PyTorch falls back to the reference BLAS.
"""
import argparse
import gzip
import json
import os
import resource
import time

import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--target", type=float, required=True)
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--epochs", type=int, default=20)
ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
ap.add_argument("--seed", type=int, default=0)
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def read_idx(directory, name):
    path = os.path.join(directory, name)
    gz = os.path.exists(path + ".gz")
    with (gzip.open(path + ".gz", "rb") if gz else open(path, "rb")) as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


train_x = read_idx(args.data, "train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
train_y = torch.from_numpy(read_idx(args.data, "train-labels-idx1-ubyte").astype(np.int64))
test_x = read_idx(args.data, "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
test_y = torch.from_numpy(read_idx(args.data, "t10k-labels-idx1-ubyte").astype(np.int64))
mean, std = train_x.mean(dtype=np.float64), train_x.std(dtype=np.float64)
train_x = torch.from_numpy(((train_x - mean) / std).astype(np.float32))
test_x = torch.from_numpy(((test_x - mean) / std).astype(np.float32))

model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
accuracy, epochs, train_s = 0.0, 0, 0.0
while epochs < args.epochs and accuracy < args.target:
    started = time.perf_counter()
    model.train()
    order = torch.randperm(len(train_y))
    for start in range(0, len(train_y), args.batch):
        batch = order[start:start + args.batch]
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(train_x[batch]), train_y[batch]).backward()
        optimizer.step()
    train_s += time.perf_counter() - started
    epochs += 1
    model.eval()
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).double().mean().item()

peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
print(json.dumps({"epochs": epochs, "accuracy": accuracy, "train_s": train_s, "peak_mb": peak_mb}))
