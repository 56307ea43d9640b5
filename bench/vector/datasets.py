"""Seeded synthetic embedding sets for the vector benchmark (d = 384, L2-normalised).

uniform   — Gaussian directions: the worst case for quantisation and for graph indexes.
clustered — a two-level topic model, normalize(0.4·m + c_topic + 0.6·s_subtopic + σ·e),
            N/100 topics with log-normal sizes, 5 subtopics each, σ ∈ U(0.5, 1.1);
            queries are held-out draws of the same process (MiniLM-like statistics).
"""
import os
import numpy as np

DIM = 384


def _unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def uniform(n, nq, seed):
    rng = np.random.default_rng(seed)
    return _unit(rng.standard_normal((n, DIM), dtype=np.float32)), _unit(rng.standard_normal((nq, DIM), dtype=np.float32))


def clustered(n, nq, seed):
    rng = np.random.default_rng(seed)
    topics, subs = max(4, n // 100), 5
    scale = 1 / np.sqrt(DIM)
    m = rng.standard_normal(DIM, dtype=np.float32) * scale
    centres = rng.standard_normal((topics, DIM), dtype=np.float32) * scale
    subtopics = rng.standard_normal((topics, subs, DIM), dtype=np.float32) * scale
    weights = rng.lognormal(0.0, 1.0, topics)
    weights /= weights.sum()

    def draw(count):
        out = np.empty((count, DIM), dtype=np.float32)
        for start in range(0, count, 20000):
            c = min(20000, count - start)
            t = rng.choice(topics, size=c, p=weights)
            s = rng.integers(0, subs, size=c)
            sigma = rng.uniform(0.5, 1.1, size=(c, 1)).astype(np.float32)
            e = rng.standard_normal((c, DIM), dtype=np.float32) * scale
            out[start:start + c] = 0.4 * m + centres[t] + 0.6 * subtopics[t, s] + sigma * e
        return _unit(out)

    return draw(n), draw(nq)


def ensure(data_dir, dist, n, nq, seed=20261122):
    """Writes {dist}-{n}.base.f32 / .query.f32 once (raw little-endian float32) and returns their paths."""
    os.makedirs(data_dir, exist_ok=True)
    stem = os.path.join(data_dir, f"{dist}-{n}")
    base, query = stem + ".base.f32", stem + ".query.f32"
    if not (os.path.exists(base) and os.path.exists(query)
            and os.path.getsize(base) == n * DIM * 4 and os.path.getsize(query) == nq * DIM * 4):
        x, q = (clustered if dist == "clustered" else uniform)(n, nq, seed + n + (0 if dist == "clustered" else 1))
        x.tofile(base + ".tmp")
        q.tofile(query + ".tmp")
        os.replace(base + ".tmp", base)
        os.replace(query + ".tmp", query)
    return stem, base, query
