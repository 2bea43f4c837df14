"""scikit-learn BernoulliRBM reference runs for bench/rbm-sklearn.ts (prints one JSON object).

  python3 rbm-sklearn.py digits <digits.csv.gz> <seeds,comma,separated>
      scikit-learn's own test setting (sklearn/neural_network/tests/test_rbm.py::test_fit):
      digits scaled to [0, 1], 64 components, learning_rate 0.1, batch_size 10, n_iter 7;
      mean of score_samples (pseudo-likelihood) over the training data, per seed.
  python3 rbm-sklearn.py mnist <binarized-train-images-idx3-ubyte.gz> <rows> <threads>
      one epoch (n_iter=1) on the first <rows> images, 500 components, batch 100, lr 0.1.
"""
import gzip
import json
import sys
import time

import numpy as np
from sklearn.neural_network import BernoulliRBM


def blas_info(threads=None):
    try:
        from threadpoolctl import threadpool_info
        return [
            {k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "threading_layer")}
            for d in threadpool_info()
        ]
    except Exception as e:  # threadpoolctl missing
        return [{"error": str(e)}]


mode = sys.argv[1]
if mode == "digits":
    raw = np.loadtxt(gzip.open(sys.argv[2], "rt"), delimiter=",")
    X = raw[:, :64].copy()
    X -= X.min()
    X /= X.max()
    out = []
    for seed in [int(s) for s in sys.argv[3].split(",")]:
        rbm = BernoulliRBM(n_components=64, learning_rate=0.1, batch_size=10, n_iter=7, random_state=seed)
        t0 = time.perf_counter()
        rbm.fit(X)
        t = time.perf_counter() - t0
        out.append({"seed": seed, "pl": float(rbm.score_samples(X).mean()), "seconds": t})
    print(json.dumps({"runs": out}))
elif mode == "mnist":
    rows, threads = int(sys.argv[3]), int(sys.argv[4])
    from threadpoolctl import threadpool_limits

    with gzip.open(sys.argv[2], "rb") as f:
        buf = f.read()
    n, r, c = (int.from_bytes(buf[o:o + 4], "big") for o in (4, 8, 12))
    X = np.frombuffer(buf, dtype=np.uint8, offset=16).reshape(n, r * c)[:rows].astype(np.float64)
    with threadpool_limits(limits=threads, user_api="blas"):
        info = blas_info()
        times = []
        for rep in range(2):
            rbm = BernoulliRBM(n_components=500, learning_rate=0.1, batch_size=100, n_iter=1, random_state=rep)
            t0 = time.perf_counter()
            rbm.fit(X)
            times.append(time.perf_counter() - t0)
    print(json.dumps({"threads": threads, "seconds": min(times), "all": times, "blas": info}))
else:
    raise SystemExit("mode must be digits or mnist")
