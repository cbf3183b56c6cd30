#!/usr/bin/python3
"""Expected values for AdamWTests and GradientClippingTests, computed with PyTorch (Debian's python3-torch).

    /usr/bin/python3 Backprop.Runtime.Tests/Training/pytorch/adamw_and_clipping.py

Prints the numbers the tests hold in float32 with 9 significant digits (the tests allow 1e-6 relative)."""
import torch

torch.set_printoptions(precision=9)


def show(name, t):
    print(name, ", ".join(f"{v:.9g}f" for v in t.detach().flatten().tolist()))


# AdamW: two parameters, three steps with fixed gradients, lr 0.1, weight decay 0.1, the other settings PyTorch's defaults.
w = torch.tensor([[0.5, -1.0, 2.0], [0.0, 0.25, -3.0]], dtype=torch.float32, requires_grad=True)
b = torch.tensor([1.5, -0.5], dtype=torch.float32, requires_grad=True)
gradients = [
    ([[0.1, -0.2, 0.3], [0.0, 1.0, -0.5]], [0.4, -0.3]),
    ([[-0.3, 0.2, 0.1], [0.05, -1.0, 0.5]], [0.0, 0.2]),
    ([[0.2, 0.2, -0.4], [0.1, 0.5, 0.0]], [-0.1, 0.1]),
]
adamw = torch.optim.AdamW([w, b], lr=0.1, weight_decay=0.1)
for gw, gb in gradients:
    w.grad = torch.tensor(gw, dtype=torch.float32)
    b.grad = torch.tensor(gb, dtype=torch.float32)
    adamw.step()
show("adamw w", w)
show("adamw b", b)

# Clipping by global norm: the norm over both gradients, then both scaled to max_norm 1.0 (and left alone for 10.0).
for max_norm in (1.0, 10.0):
    gw = torch.tensor([[3.0, -4.0], [1.0, 0.5]], dtype=torch.float32)
    gb = torch.tensor([2.0, -1.0, 0.25], dtype=torch.float32)
    p, q = torch.zeros(2, 2, requires_grad=True), torch.zeros(3, requires_grad=True)
    p.grad, q.grad = gw.clone(), gb.clone()
    norm = torch.nn.utils.clip_grad_norm_([p, q], max_norm)
    print(f"clip {max_norm} norm {norm.item():.9g}f")
    show(f"clip {max_norm} w", p.grad)
    show(f"clip {max_norm} b", q.grad)
