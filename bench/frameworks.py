#!/usr/bin/env python3
"""bench/frameworks: NumPy and PyTorch measured for the Tessera benchmarks, printing JSON.

  frameworks.py gemm THREADS SIZES ROUNDS       float32 n x n matmul GFLOP/s
  frameworks.py elementwise SIZE ROUNDS         float32 element-wise GB/s (NumPy)

BLAS threads come from the environment the caller sets (OPENBLAS_NUM_THREADS,
OPENBLAS_CORETYPE, OMP_WAIT_POLICY); torch's own thread count is set to THREADS here.
The config section says which library, version and kernel ran.
"""
import json
import sys
import time


def best_time(fn, seconds=0.4, min_reps=3, max_reps=200):
    fn()
    best = float("inf")
    start = time.perf_counter()
    for rep in range(max_reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        if rep + 1 >= min_reps and time.perf_counter() - start > seconds:
            break
    return best


def config():
    info = {}
    try:
        import numpy

        info["numpy"] = numpy.__version__
    except ImportError:
        return info
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    try:
        import threadpoolctl

        info["pools"] = [
            {k: pool.get(k) for k in ("internal_api", "version", "architecture", "threading_layer", "num_threads", "filepath")}
            for pool in threadpoolctl.threadpool_info()
        ]
    except ImportError:
        info["pools"] = "threadpoolctl not installed"
    return info


def gemm(threads, sizes, rounds):
    import numpy as np

    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        torch = None
    rng = np.random.default_rng(0)
    results = {"numpy": {}, "torch": {}}
    data = {n: (rng.standard_normal((n, n), dtype=np.float32), rng.standard_normal((n, n), dtype=np.float32)) for n in sizes}
    for _ in range(rounds):
        for n in sizes:
            a, b = data[n]
            c = np.empty((n, n), dtype=np.float32)
            flops = 2.0 * n * n * n
            budget = 1.0 if n >= 1024 else 0.4
            g = flops / best_time(lambda: np.matmul(a, b, out=c), budget) / 1e9
            results["numpy"][n] = max(results["numpy"].get(n, 0), g)
            if torch is not None:
                ta, tb, tc = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(c)
                g = flops / best_time(lambda: torch.mm(ta, tb, out=tc), budget) / 1e9
                results["torch"][n] = max(results["torch"].get(n, 0), g)
    return results


def softmax(rows):
    import numpy as np

    e = np.exp(rows - rows.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def elementwise(size, rounds):
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal(size, dtype=np.float32)
    b = rng.standard_normal(size, dtype=np.float32)
    out = np.empty_like(a)
    rows = a.reshape(-1, 1024)
    ops = {
        # name: (function, bytes moved per element)
        "add": (lambda: np.add(a, b, out=out), 12),
        "mul scalar": (lambda: np.multiply(a, 3.0, out=out), 8),
        "exp": (lambda: np.exp(a, out=out), 8),
        "tanh": (lambda: np.tanh(a, out=out), 8),
        "relu": (lambda: np.maximum(a, 0, out=out), 8),
        "sum": (lambda: a.sum(dtype=np.float64), 4),
        "max": (lambda: a.max(), 4),
        "softmax rows": (lambda: softmax(rows), 8),
    }
    results = {}
    for _ in range(rounds):
        for name, (fn, width) in ops.items():
            gbs = width * size / best_time(fn) / 1e9
            results[name] = max(results.get(name, 0), gbs)
    return {"numpy": results}


def main():
    mode = sys.argv[1]
    if mode == "gemm":
        threads = int(sys.argv[2])
        sizes = [int(s) for s in sys.argv[3].split(",")]
        results = gemm(threads, sizes, int(sys.argv[4]))
    elif mode == "elementwise":
        results = elementwise(int(sys.argv[2]), int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    results["config"] = config()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
