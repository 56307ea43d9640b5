#!/usr/bin/env bash
# Side-by-side vector search benchmark. Usage (from anywhere):
#   bench/vector/run.sh [--sizes 10000,100000,200000] [--dists clustered,uniform] [--queries 300] [--clock cpu]
# (`make bench` runs it at 10k and 100k with --clock cpu.)
# Installs faiss-cpu, usearch, hnswlib and numpy with pip if missing, builds the Swift
# driver in release, generates the seeded datasets once (bench/vector/data/), prints one table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="${SCRATCH_PATH:-$root/.build-vector}"
python="${PYTHON:-python3}"

if ! "$python" -c "import numpy, faiss, usearch, hnswlib" 2>/dev/null; then
    echo "installing Python packages: faiss-cpu usearch hnswlib numpy" >&2
    "$python" -m pip install --quiet faiss-cpu usearch hnswlib numpy \
        || "$python" -m pip install --quiet --break-system-packages faiss-cpu usearch hnswlib numpy
fi
export PATH="$PATH:/opt/swift/usr/bin"  # where the Makefile expects the toolchain

echo "building VectorBench (release)…" >&2
swift build -c release --scratch-path "$scratch" --product VectorBench >&2
binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/VectorBench"

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec "$python" "$here/run.py" --binary "$binary" "$@"
