#!/usr/bin/env python3
"""Fits IntentCalibration (Sources/Assistant/Intent/IntentCalibration.swift): a logistic model
P(best intent is right | features), on the features `atende eval intents --features` writes for
CLINC150's validation split (val + oos_val; out-of-scope rows are always "wrong"). It never sees
the test split. The shipped constants pool three 10-shot training samples:

    for seed in 0 1 2; do
      python3 bench/assistant/clinc150_to_jsonl.py /work/shared/eval/clinc150/data_full.json /tmp/clinc150-$seed --seed $seed
      .build/release/atende eval intents --train /tmp/clinc150-$seed/train.jsonl \
        --test /tmp/clinc150-$seed/val.jsonl --features /tmp/clinc150-$seed/val-features.tsv
    done
    python3 bench/assistant/fit_intent_calibration.py /tmp/clinc150-{0,1,2}/val-features.tsv
    python3 bench/assistant/fit_intent_calibration.py /tmp/clinc150-{0,1,2}/val-features.tsv \
        --drop outOfScopeGap --name fittedWithoutOutOfScope

Out-of-scope rows are weighed so that they count --oos-ratio times as much, in total, as the
in-scope rows (default 0.75: chosen on val as the smallest ratio in 0.22, 0.3, 0.4, 0.5, 0.75, 1
whose val out-of-scope answered rate is at most 2.5 %, half the target, since val holds only 100
distinct out-of-scope texts). --drop leaves features out (coefficient 0): the second constant is
for classifiers trained without out-of-scope references, where `outOfScopeGap` is always 0.
Prints the Swift constant to paste into IntentCalibration, and the fit's figures on val.
"""
import argparse
import numpy as np

from logistic import fit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features", nargs="+", help="tables written by `atende eval intents --features`")
    parser.add_argument("--oos-ratio", type=float, default=0.75)
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--drop", action="append", default=[], help="a feature to leave out (coefficient 0)")
    parser.add_argument("--name", default="fitted", help="the Swift constant's name")
    args = parser.parse_args()
    names, tables = None, []
    for path in args.features:
        with open(path) as f:
            header = f.readline().strip().split("\t")[2:]
            assert names is None or header == names, f"{path}: other features than {args.features[0]}"
            names = header
            tables.append(np.array([[float(v) for v in line.split("\t")] for line in f if line.strip()]))
    rows = np.vstack(tables)
    kept = [i for i, name in enumerate(names) if name not in args.drop]
    y, in_scope, x = rows[:, 0], rows[:, 1] == 1, rows[:, 2:][:, kept]
    w = np.ones(len(y))
    w[~in_scope] = args.oos_ratio * in_scope.sum() / max(1, (~in_scope).sum())
    fitted, intercept = fit(x, y, w, l2=1e-3)
    coefficients = np.zeros(len(names))
    coefficients[kept] = fitted

    p = 1 / (1 + np.exp(-(rows[:, 2:] @ coefficients + intercept)))
    answered = p >= args.threshold
    print(f"val ({in_scope.sum()} in-scope, {(~in_scope).sum()} out-of-scope rows from {len(tables)} file(s)): "
          f"accuracy {y[in_scope].mean():.3f}; at ≥ {args.threshold}: precision {y[answered].mean():.3f}, "
          f"automation {answered.mean():.3f}, out-of-scope answered {answered[~in_scope].mean():.3f}")
    print(f"    public static let {args.name} = IntentCalibration(")
    print("        // " + ", ".join(names))
    print("        coefficients: [" + ", ".join(f"{c:.4f}" for c in coefficients) + "],")
    print(f"        intercept: {intercept:.4f}")
    print("    )")


if __name__ == "__main__":
    main()
