"""NumPy reference of the library's RBM AIS (bench/rbm-ais-numpy.ts runs it next to rbmAIS).

  python3 rbm-ais-numpy.py <model.safetensors> <train-images-idx3-ubyte.gz> <runs> <a> <b> <c> <threads> <seed>

The same algorithm as src/models/rbm-ais.ts (Salakhutdinov & Murray 2008): base-rate model
b_A = logit(clip(column means of the training rows, 1e-3... as VISIBLE_BIAS_CLIP)), hidden
units summed out, the schedule of aisSchedule(a, b, c) (a βs to 0.5, b to 0.9, c to 1, then 1),
one Gibbs transition v → h → v per β, log w accumulated in float64. Prints one JSON object:
{ seconds, logZ, logZBase, threads, blas }. Its own generator (NumPy's), so its estimate agrees
with the library's within the AIS interval, not bit for bit.
"""
import gzip
import json
import struct
import sys
import time

import numpy as np

model_path, data_path = sys.argv[1], sys.argv[2]
runs, a, b, c, threads, seed = (int(x) for x in sys.argv[3:9])
clip = float(sys.argv[9]) if len(sys.argv) > 9 else 1e-3

try:
    from threadpoolctl import threadpool_limits, threadpool_info
    limiter = threadpool_limits(limits=threads)
    blas = [{k: d.get(k) for k in ("internal_api", "version", "num_threads")} for d in threadpool_info()]
except Exception as e:  # threadpoolctl missing
    blas = [{"error": str(e)}]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        body = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        dt = {"F32": np.float32, "F64": np.float64}[t["dtype"]]
        s, e = t["data_offsets"]
        out[name] = np.frombuffer(body[s:e], dtype=dt).reshape(t["shape"]).astype(np.float64)
    return out


def read_idx_images(path):
    raw = gzip.open(path, "rb").read()
    count, rows, cols = struct.unpack(">III", raw[4:16])
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, rows * cols).astype(np.float64)


t = read_safetensors(model_path)
W, bv, ch = t["weights"], t["visibleBias"], t["hiddenBias"]
X = read_idx_images(data_path)
X = (X > 0).astype(np.float64) if X.max() > 1 else X
p = np.clip(X.mean(axis=0), clip, 1 - clip)
bA = np.log(p / (1 - p))
nV, nH = W.shape
betas = np.concatenate([0.5 * np.arange(a) / a, 0.5 + 0.4 * np.arange(b) / b, 0.9 + 0.1 * np.arange(c) / c, [1.0]])
rng = np.random.default_rng(seed)


def log_unnorm(beta, v, act):
    # log p*_β(v) = v·((1−β) b_A + β b) + Σ_j softplus(β·act_j), act = vW + c
    return v @ ((1 - beta) * bA + beta * bv) + np.logaddexp(0, beta * act).sum(axis=1)


t0 = time.perf_counter()
logZBase = nH * np.log(2) + np.logaddexp(0, bA).sum()
v = (rng.random((runs, nV)) < 1 / (1 + np.exp(-bA))).astype(np.float64)
logw = np.zeros(runs)
K = len(betas) - 1
for k in range(1, K + 1):
    act = v @ W + ch
    logw += log_unnorm(betas[k], v, act) - log_unnorm(betas[k - 1], v, act)
    if k < K:
        beta = betas[k]
        h = (rng.random((runs, nH)) < 1 / (1 + np.exp(-beta * act))).astype(np.float64)
        x = beta * (h @ W.T) + (1 - beta) * bA + beta * bv
        v = (rng.random((runs, nV)) < 1 / (1 + np.exp(-x))).astype(np.float64)
seconds = time.perf_counter() - t0
m = logw.max()
logZ = logZBase + m + np.log(np.mean(np.exp(logw - m)))
print(json.dumps({"seconds": seconds, "logZ": float(logZ), "logZBase": float(logZBase), "threads": threads, "blas": blas}))
