#!/usr/bin/env python3
"""Fits IntentCalibration (Sources/Assistant/Intent/IntentCalibration.swift): a logistic model
P(best intent is right | features), on features the Swift side dumps for CLINC150's validation
split plus oos_val and oos_train (out-of-scope rows are always "wrong"). Never sees the test split.

    ATENDE_EVAL_DIR=/work/shared/eval ATENDE_INTENT_FEATURES=/tmp/intent_features.tsv \
        swift test --skip-build --filter IntentCLINCEvaluationTests
    python3 bench/assistant/fit_intent_calibration.py /tmp/intent_features.tsv

Out-of-scope rows are weighed so they are as common relative to in-scope ones as in a real inbox
(--oos-ratio, default 2/9: CLINC's test has 1,000 out-of-scope for 4,500 in-scope queries).
Prints the Swift constant to paste into IntentCalibration.fitted, and the fit's figures on val.
"""
import argparse
import numpy as np


def fit(x, y, w, l2=1e-3, iterations=100):
    """Weighted logistic regression by Newton's method; a small L2 keeps it finite."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(x1.shape[1])
    penalty = l2 * np.diag(np.r_[np.ones(x.shape[1]), 0])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-x1 @ beta))
        gradient = x1.T @ (w * (p - y)) + penalty @ beta
        hessian = (x1 * (w * p * (1 - p))[:, None]).T @ x1 + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return beta[:-1], beta[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features")
    parser.add_argument("--oos-ratio", type=float, default=2 / 9)
    parser.add_argument("--threshold", type=float, default=0.7)
    args = parser.parse_args()
    with open(args.features) as f:
        names = f.readline().strip().split("\t")[2:]
        rows = np.array([[float(v) for v in line.split("\t")] for line in f if line.strip()])
    y, in_scope, x = rows[:, 0], rows[:, 1] == 1, rows[:, 2:]
    w = np.ones(len(y))
    w[~in_scope] = args.oos_ratio * in_scope.sum() / max(1, (~in_scope).sum())
    coefficients, intercept = fit(x, y, w)

    p = 1 / (1 + np.exp(-(x @ coefficients + intercept)))
    answered = p >= args.threshold
    share = lambda mask: np.average(mask, weights=w)
    print(f"val ({in_scope.sum()} in-scope, {(~in_scope).sum()} out-of-scope weighed {w[~in_scope][0]:.2f}): "
          f"accuracy {y[in_scope].mean():.3f}; at ≥ {args.threshold}: "
          f"precision {np.average(y[answered], weights=w[answered]):.3f}, automation {share(answered):.3f}, "
          f"out-of-scope answered {answered[~in_scope].mean():.3f}")
    print("    public static let fitted = IntentCalibration(")
    print("        // " + ", ".join(names))
    print("        coefficients: [" + ", ".join(f"{c:.4f}" for c in coefficients) + "],")
    print(f"        intercept: {intercept:.4f}")
    print("    )")


if __name__ == "__main__":
    main()
