"""numpy's float64 GEMM figures for the same shapes as bench/gemm.ts (one JSON line per shape)."""
import json, sys, time
import numpy as np

shapes = json.loads(sys.argv[1])
rng = np.random.default_rng(0)
for m, k, n in shapes:
    a = rng.random((m, k)); b = rng.random((k, n))
    a @ b
    reps, t0 = 0, time.perf_counter()
    while True:
        a @ b
        reps += 1
        t = time.perf_counter() - t0
        if t > 0.5:
            break
    print(json.dumps({"m": m, "k": k, "n": n, "gflops": 2 * m * k * n * reps / t / 1e9}))
