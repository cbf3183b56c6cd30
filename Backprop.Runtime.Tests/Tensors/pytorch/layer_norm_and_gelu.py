#!/usr/bin/python3
"""Expected values for TransformerPiecesTests, from PyTorch (Debian's python3-torch), float32, 9 significant digits.

    /usr/bin/python3 Backprop.Runtime.Tests/Tensors/pytorch/layer_norm_and_gelu.py
"""
import torch
import torch.nn.functional as F

x = torch.tensor([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
print("gelu", ", ".join(f"{v:.9g}f" for v in F.gelu(x).tolist()))
rows = torch.tensor([[1.0, 2.0, 4.0, 7.0], [-0.5, 0.25, 0.0, 3.0]])
gamma = torch.tensor([1.0, 0.5, -2.0, 1.5])
beta = torch.tensor([0.0, 0.1, 0.2, -0.3])
print("layer_norm", ", ".join(f"{v:.9g}f" for v in F.layer_norm(rows, (4,), gamma, beta, 1e-5).flatten().tolist()))
