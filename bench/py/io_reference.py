"""Reference timings for bench/io.ts with NumPy: the same I/O tasks, seconds per call (median of repeats)."""
import gzip
import io
import json
import struct
import sys
import time

import numpy as np


def best(fn, reps):
    fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2]


def load_mnist(path):
    raw = gzip.decompress(open(path, "rb").read())
    n, r, c = struct.unpack(">III", raw[4:16])
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, r * c) / 255.0


def st_encode(tensors):
    header = {}
    off = 0
    for k in sorted(tensors):
        nb = tensors[k].nbytes
        header[k] = {"dtype": "F64", "shape": list(tensors[k].shape), "data_offsets": [off, off + nb]}
        off += nb
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - (8 + len(hb)) % 8) % 8)
    buf = io.BytesIO()
    buf.write(struct.pack("<Q", len(hb)))
    buf.write(hb)
    for k in sorted(tensors):
        buf.write(np.ascontiguousarray(tensors[k], dtype="<f8").tobytes())
    return buf.getvalue()


def st_decode(data):
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        b, e = v["data_offsets"]
        out[k] = np.frombuffer(data[8 + n + b:8 + n + e], dtype="<f8").reshape(v["shape"]).copy()
    return out


def main():
    mnist_path, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.default_rng(0)
    tensors = {"weights": rng.standard_normal((rows, cols)), "visibleBias": rng.standard_normal(rows),
               "hiddenBias": rng.standard_normal(cols)}
    blob = st_encode(tensors)
    res = {
        "loadMnist": best(lambda: load_mnist(mnist_path), 5) if mnist_path != "-" else None,
        "safetensorsEncode": best(lambda: st_encode(tensors), 20),
        "safetensorsDecode": best(lambda: st_decode(blob), 20),
    }
    print(json.dumps(res))


main()
