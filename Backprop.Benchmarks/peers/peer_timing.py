"""Timing shared by the peer scripts: microseconds per call, median of `repeats` timings of `number` calls."""
import statistics
import time


def timed(call, number, repeats):
    call()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples) * 1e6
