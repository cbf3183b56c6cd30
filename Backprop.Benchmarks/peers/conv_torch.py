#!/usr/bin/env python3
"""PyTorch's conv2d forward, and forward + backward, at the shapes of ConvolutionBenchmarks.cs (float32, 3x3, padding 1).

Prints one line per (shape, pass): microseconds per call, median of --repeats timings of --number calls.

    /usr/bin/python3 Backprop.Benchmarks/peers/conv_torch.py [--threads 1] [--number 50] [--repeats 7]
"""
import argparse

import torch
import torch.nn.functional as F
from peer_timing import keep_freed_memory, timed

keep_freed_memory()

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--number", type=int, default=50)
parser.add_argument("--repeats", type=int, default=7)
args = parser.parse_args()
torch.set_num_threads(args.threads)
print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), mkldnn {torch.backends.mkldnn.is_available()}")

# the last three: samples/FashionMnistCnn's convolutions at batch 128
shapes = [((64, 1, 28, 28), 16), ((64, 16, 14, 14), 32), ((128, 1, 28, 28), 32), ((128, 32, 14, 14), 64), ((128, 64, 7, 7), 64)]
for (n, c, h, w), o in shapes:
    x = torch.randn(n, c, h, w, requires_grad=True)
    k = torch.randn(o, c, 3, 3, requires_grad=True)
    b = torch.randn(o, requires_grad=True)
    dy = torch.randn(n, o, h, w)

    def forward():
        with torch.no_grad():
            F.conv2d(x, k, b, padding=1)

    def forward_backward():
        x.grad = k.grad = b.grad = None
        F.conv2d(x, k, b, padding=1).backward(dy)

    shape = f"{n}x{c}x{h}x{w} to {o}"
    print(f"{shape} Forward: {timed(forward, args.number, args.repeats):.1f} us")
    print(f"{shape} ForwardBackward: {timed(forward_backward, args.number, args.repeats):.1f} us")
