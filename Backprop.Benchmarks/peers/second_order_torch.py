#!/usr/bin/env python3
"""Per-call cost of torch.autograd.functional.jvp / hvp / hessian on the functions of ScalarGradientBenchmarks.

The same functions, points and directions as Backprop.Benchmarks/ScalarGradientBenchmarks.cs, in float64:
the sigmoid neuron (5 inputs), Rosenbrock over 100 variables, and the 100-step loop s = sin(s)·w.
Prints one line per (function, operation): microseconds per call, median of --repeats timings of --number calls.

    /usr/bin/python3 Backprop.Benchmarks/peers/second_order_torch.py [--threads 1] [--number 200] [--repeats 7]
"""
import argparse

import torch
from peer_timing import timed
from torch.autograd.functional import hessian, hvp, jvp

torch.set_default_dtype(torch.float64)


def sigmoid_neuron(w0, w1, w2, x0, x1):
    return 1.0 / (1.0 + torch.exp(-(w0 * x0 + w1 * x1 + w2)))


def rosenbrock(x):
    a = x[1:] - x[:-1] * x[:-1]
    b = 1 - x[:-1]
    return (100 * a * a + b * b).sum()


def rosenbrock_loop(x):
    # As the C# is written: one scalar step per element (what a tape records for scalar code).
    s = torch.zeros(())
    for i in range(x.shape[0] - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1 - x[i]
        s = s + 100 * a * a + b * b
    return s


def sin_loop(x, w):
    s = x
    for _ in range(100):
        s = torch.sin(s) * w
    return s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--number", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    generator = torch.Generator().manual_seed(42)
    neuron = tuple(torch.tensor(v) for v in (-2.0, 5.0, -4.0, 0.5, -1.5))
    neuron_v = tuple(torch.tensor(v) for v in (0.3, -0.2, 0.1, 0.4, -0.5))
    x = torch.rand(100, generator=generator) * 2 - 1
    v = torch.rand(100, generator=generator) * 2 - 1
    loop = (torch.tensor(-0.2), torch.tensor(0.9))
    loop_v = (torch.tensor(0.6), torch.tensor(-0.8))

    def gradient(f, inputs):
        inputs = tuple(i.detach().requires_grad_() for i in inputs)
        return torch.autograd.grad(f(*inputs), inputs)

    cases = [
        ("SigmoidNeuron", "primal", lambda: sigmoid_neuron(*neuron)),
        ("SigmoidNeuron", "gradient", lambda: gradient(sigmoid_neuron, neuron)),
        ("SigmoidNeuron", "jvp", lambda: jvp(sigmoid_neuron, neuron, neuron_v)),
        ("SigmoidNeuron", "hvp", lambda: hvp(sigmoid_neuron, neuron, neuron_v)),
        ("SigmoidNeuron", "hessian", lambda: hessian(sigmoid_neuron, neuron)),
        ("Rosenbrock (vectorised)", "gradient", lambda: gradient(rosenbrock, (x,))),
        ("Rosenbrock (vectorised)", "jvp", lambda: jvp(rosenbrock, (x,), (v,))),
        ("Rosenbrock (vectorised)", "hvp", lambda: hvp(rosenbrock, (x,), (v,))),
        ("Rosenbrock (scalar loop)", "gradient", lambda: gradient(rosenbrock_loop, (x,))),
        ("Rosenbrock (scalar loop)", "hvp", lambda: hvp(rosenbrock_loop, (x,), (v,))),
        ("SinLoop", "gradient", lambda: gradient(sin_loop, loop)),
        ("SinLoop", "jvp", lambda: jvp(sin_loop, loop, loop_v)),
        ("SinLoop", "hvp", lambda: hvp(sin_loop, loop, loop_v)),
    ]
    print(f"torch {torch.__version__}, {args.threads} thread(s), float64, microseconds per call (median of {args.repeats} x {args.number})")
    for name, operation, call in cases:
        number = max(1, args.number // 20) if "loop" in name.lower() else args.number
        print(f"{name:26} {operation:9} {timed(call, number, args.repeats):12.2f}")


if __name__ == "__main__":
    main()
