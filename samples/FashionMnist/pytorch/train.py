#!/usr/bin/python3
"""Trains the sample's 784-256-128-10 ReLU network with PyTorch and saves its weights for Backprop.

    /usr/bin/python3 samples/FashionMnist/pytorch/train.py --out torch-weights.npz [--epochs 10] [--data DIR]
    dotnet run -c Release --project samples/FashionMnist -- --weights torch-weights.npz --evaluate

The same data preparation as the sample (pixels / 255, then the training set's one mean and standard deviation),
the same optimizer (Adam, learning rate 1e-3, batch 128). The weights go into a numpy .npz under the names of the
sample's generated Parameters (W1, b1, W2, b2, W3, b3), each W as inputs x outputs (the transpose of
torch.nn.Linear.weight), float32. The last line of output is JSON with the test accuracy PyTorch measured.
"""
import argparse, gzip, json, os

import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True, help="the .npz file to write")
ap.add_argument("--epochs", type=int, default=10)
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
args = ap.parse_args()
torch.manual_seed(args.seed)


def read_idx(directory, name):
    path = os.path.join(directory, name)
    opener = gzip.open if os.path.exists(path + ".gz") else open
    with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


train_x = read_idx(args.data, "train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
train_y = read_idx(args.data, "train-labels-idx1-ubyte").astype(np.int64)
test_x = read_idx(args.data, "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
test_y = read_idx(args.data, "t10k-labels-idx1-ubyte").astype(np.int64)
mean, std = train_x.mean(dtype=np.float64), train_x.std(dtype=np.float64)
train_x = torch.from_numpy(((train_x - mean) / std).astype(np.float32))
test_x = torch.from_numpy(((test_x - mean) / std).astype(np.float32))
train_y, test_y = torch.from_numpy(train_y), torch.from_numpy(test_y)

layers = [torch.nn.Linear(784, 256), torch.nn.Linear(256, 128), torch.nn.Linear(128, 10)]
model = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2])
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
for epoch in range(args.epochs):
    order = torch.randperm(len(train_y))
    for start in range(0, len(train_y), args.batch):
        batch = order[start:start + args.batch]
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(train_x[batch]), train_y[batch]).backward()
        optimizer.step()

with torch.no_grad():
    accuracy = (model(test_x).argmax(1) == test_y).double().mean().item()
weights = {}
for i, layer in enumerate(layers, start=1):
    weights[f"W{i}"] = np.ascontiguousarray(layer.weight.detach().numpy().T, dtype=np.float32)
    weights[f"b{i}"] = layer.bias.detach().numpy().astype(np.float32)
np.savez(args.out, **weights)
print(json.dumps({"test_accuracy": accuracy, "test_images": len(test_y), "epochs": args.epochs, "out": args.out}))
