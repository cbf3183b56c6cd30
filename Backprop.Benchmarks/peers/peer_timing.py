"""What the peer scripts share: microseconds per call, and glibc's malloc kept from returning freed memory."""
import ctypes
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


def keep_freed_memory():
    """Keeps glibc's malloc from returning freed blocks of more than 128 KiB to the kernel, so that the next call's
    tensors of the same size are not faulted back in page by page (zeroed by the kernel). PyTorch's conv2d over one
    input channel ran 70x slower without it (64x1x28x28 to 16, forward: 15,494 us against 214 us, AMD EPYC Zen 5,
    one thread). What MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ do, set from here so that the peer runs at its
    best however it is started."""
    libc = ctypes.CDLL("libc.so.6")
    m_trim_threshold, m_mmap_threshold = -1, -3
    if not (libc.mallopt(m_mmap_threshold, 1 << 30) and libc.mallopt(m_trim_threshold, (1 << 31) - 1)):
        print("warning: mallopt refused the thresholds; PyTorch may run slower than it can")
