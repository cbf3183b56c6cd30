#!/usr/bin/env python3
"""Per-call cost of torch.autograd.functional.jvp / vjp / jacobian on the functions of VectorFunctionBenchmarks.

The same functions and points as Backprop.Benchmarks/VectorFunctionBenchmarks.cs, in float64: the residuals of
a·exp(-b·t) + c against 8 observations, and the Lotka–Volterra rates. Prints one line per (function, operation):
microseconds per call, median of --repeats timings of --number calls.

    /usr/bin/python3 Backprop.Benchmarks/peers/jacobian_torch.py [--threads 1] [--number 500] [--repeats 7]
"""
import argparse

import torch
from peer_timing import timed
from torch.autograd.functional import jacobian, jvp, vjp

torch.set_default_dtype(torch.float64)

TIMES = torch.tensor([0, 0.5, 1, 1.5, 2, 3, 4, 6])
OBSERVED = torch.tensor([3.1, 2.2, 1.7, 1.3, 1.1, 0.9, 0.8, 0.75])


def decay_residuals(a, b, c):
    return a * torch.exp(-b * TIMES) + c - OBSERVED


def lotka_volterra(state, alpha, beta, delta, gamma):
    prey, predators = state[0], state[1]
    return torch.stack([alpha * prey - beta * prey * predators, delta * prey * predators - gamma * predators])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--number", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    decay = tuple(torch.tensor(v) for v in (2.3, 0.9, 0.7))
    decay_v = tuple(torch.tensor(v) for v in (1.0, -0.5, 0.25))
    weights = torch.tensor([0.3, -0.2, 0.1, 0.4, -0.5, 0.6, -0.7, 0.8])
    rates = (torch.tensor([2.0, 0.5]),) + tuple(torch.tensor(v) for v in (1.1, 0.4, 0.1, 0.4))
    rate_weights = torch.tensor([1.0, -1.0])

    cases = [
        ("Decay", "primal", lambda: decay_residuals(*decay)),
        ("Decay", "jvp", lambda: jvp(decay_residuals, decay, decay_v)),
        ("Decay", "vjp", lambda: vjp(decay_residuals, decay, weights)),
        ("Decay", "jacobian", lambda: jacobian(decay_residuals, decay)),
        ("Decay", "jacobian(vectorize, forward)", lambda: jacobian(decay_residuals, decay, vectorize=True, strategy="forward-mode")),
        ("LotkaVolterra", "primal", lambda: lotka_volterra(*rates)),
        ("LotkaVolterra", "vjp", lambda: vjp(lotka_volterra, rates, rate_weights)),
        ("LotkaVolterra", "jacobian", lambda: jacobian(lotka_volterra, rates)),
    ]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), float64")
    for function, operation, call in cases:
        print(f"{function:14} {operation:30} {timed(call, args.number, args.repeats):10.2f} us")


if __name__ == "__main__":
    main()
