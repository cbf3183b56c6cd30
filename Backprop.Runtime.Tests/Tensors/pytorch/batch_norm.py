#!/usr/bin/python3
"""Expected values for BatchNormTests, from PyTorch (Debian's python3-torch), float32, 9 significant digits.

    /usr/bin/python3 Backprop.Runtime.Tests/Tensors/pytorch/batch_norm.py
"""
import torch

x = torch.arange(16, dtype=torch.float32).reshape(2, 2, 2, 2) ** 1.5 / 10 - 1
bn = torch.nn.BatchNorm2d(2, momentum=0.1, eps=1e-5)
with torch.no_grad():
    bn.weight.copy_(torch.tensor([1.5, -0.5]))
    bn.bias.copy_(torch.tensor([0.25, 1.0]))
bn.train()
y = bn(x)
print("train", ", ".join(f"{v:.9g}f" for v in y.detach().flatten().tolist()))
print("running mean", ", ".join(f"{v:.9g}f" for v in bn.running_mean.tolist()))
print("running var", ", ".join(f"{v:.9g}f" for v in bn.running_var.tolist()))
bn.eval()
print("eval", ", ".join(f"{v:.9g}f" for v in bn(x).detach().flatten().tolist()))
