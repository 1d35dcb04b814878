"""The physical ceiling of the speed suite's dense layers: float32 matrix products of an MLP VAE's first
layer (batch 128, 784 -> 512) in PyTorch on the BLAS it loads (OpenBLAS's OpenMP build when
benchmarks/reference/python.mjs puts it on LD_LIBRARY_PATH), timed on --threads threads.

Products (2mnk flops each): forward x[128,784] . W[784,512]; x . W'^T with W' [512,784] (nn.Linear's
layout); and the backward's dW = x^T . g (784x128 . 128x512).

Prints one JSON object on its last stdout line: GFLOP/s per product (the best of --repeats timings of
--iterations products each), the BLAS and the threads.
"""
import argparse
import json
import os
import time

import torch
from blas import blas_info


def gflops(fn, flops, iterations, repeats):
    fn()  # warm-up: the BLAS's threads and buffers
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(iterations):
            fn()
        best = min(best, (time.perf_counter() - start) / iterations)
    return flops / best / 1e9


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--m", type=int, default=128)
    p.add_argument("--k", type=int, default=784)
    p.add_argument("--n", type=int, default=512)
    p.add_argument("--iterations", type=int, default=50)
    p.add_argument("--repeats", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(a.m, a.k, generator=g)
    w = torch.randn(a.k, a.n, generator=g)
    wt = torch.randn(a.n, a.k, generator=g)
    grad = torch.randn(a.m, a.n, generator=g)
    out = torch.empty(a.m, a.n)
    dw = torch.empty(a.k, a.n)
    flops = 2 * a.m * a.k * a.n
    with torch.no_grad():
        products = {
            f"{a.m}x{a.k}.{a.k}x{a.n}": lambda: torch.mm(x, w, out=out),
            f"{a.m}x{a.k}.({a.n}x{a.k})T": lambda: torch.mm(x, wt.t(), out=out),
            f"({a.m}x{a.k})T.{a.m}x{a.n}": lambda: torch.mm(x.t(), grad, out=dw),
        }
        results = {name: gflops(fn, flops, a.iterations, a.repeats) for name, fn in products.items()}
    print(
        json.dumps(
            {
                "gflops": results,
                "best_gflops": max(results.values()),
                "dtype": "float32",
                "threads": torch.get_num_threads(),
                "blas": blas_info(),
                "torch": torch.__version__,
                "backend": "pytorch-cpu",
            }
        )
    )


if __name__ == "__main__":
    main()
