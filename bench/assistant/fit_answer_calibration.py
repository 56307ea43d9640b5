#!/usr/bin/env python3
"""Fits AnswerCalibration (Sources/Assistant/Decision/AnswerCalibration.swift): a logistic model
P(answering with the best retrieved passage is right | retrieval and intent features), on the rows
AnswerCalibrationDataTests dumps from ../shared/eval (FaQuAD dev questions against their
knowledge base, the same questions with their own paragraph left out, CLINC150 out-of-scope
queries, rasa-ptbr chit-chat):

    ATENDE_EVAL_DIR=/work/shared/eval ATENDE_ANSWER_FEATURES=/tmp/answer_features.tsv \\
        swift test --skip-build --filter AnswerCalibrationDataTests
    python3 bench/assistant/fit_answer_calibration.py /tmp/answer_features.tsv

Weights: the questions the knowledge base can answer (kinds answerable, wrong, faq-answerable,
faq-wrong) and those it cannot (leftout, faq-leftout, clinc, chitchat; each kind an equal share) weigh the same in total, times
--unanswerable-ratio — as if half the questions that reach retrieval had an answer.
Prints grouped 5-fold cross-validated figures at the threshold (a paragraph's or an intent's
rows stay in one fold), then the Swift constant fitted on all rows.
"""
import argparse
import numpy as np

from logistic import fit


def predict(x, coefficients, intercept):
    return 1 / (1 + np.exp(-(x @ coefficients + intercept)))


def ece(p, y, w, bins=10):
    total, error = w.sum(), 0.0
    for b in range(bins):
        m = (p >= b / bins) & ((p < (b + 1) / bins) if b < bins - 1 else (p <= 1))
        if m.any():
            error += w[m].sum() / total * abs(np.average(y[m], weights=w[m]) - np.average(p[m], weights=w[m]))
    return error


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features")
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--unanswerable-ratio", type=float, default=1.0)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--fit-kinds", default="answerable,wrong,leftout,clinc,chitchat",
                        help="the kinds of rows fitted on (the others are only scored); "
                             "add faq-answerable,faq-wrong,faq-leftout to fit on CLINC150 as FAQs too")
    args = parser.parse_args()
    with open(args.features) as f:
        header = f.readline().rstrip("\n").split("\t")
        names = header[3:-1]
        raw = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    y = np.array([float(r[0]) for r in raw])
    kind = np.array([r[1] for r in raw])
    group = np.array([r[2] for r in raw])
    x = np.array([[float(v) for v in r[3:3 + len(names)]] for r in raw])

    askable = np.isin(kind, ["answerable", "wrong", "faq-answerable", "faq-wrong"])
    fitted = np.isin(kind, args.fit_kinds.split(","))
    w = np.ones(len(y))
    unanswerable_kinds = sorted(set(kind[~askable]))
    fitted_unanswerable = sorted(set(kind[~askable & fitted]))
    for k in unanswerable_kinds:
        m = kind == k
        w[m] = args.unanswerable_ratio * (askable & fitted).sum() / len(fitted_unanswerable) / m.sum()
    xf, yf, wf = x[fitted], y[fitted], w[fitted]

    # Grouped folds: a paragraph's questions (and its left-out copies) stay in one fold.
    groups = sorted(set(group))
    fold_of = {g: i % args.folds for i, g in enumerate(groups)}
    folds = np.array([fold_of[g] for g in group])
    oof = np.zeros(len(y))
    for k in range(args.folds):
        test = folds == k
        train = ~test & fitted
        c, b = fit(x[train], y[train], w[train], l2=1e-2)
        oof[test] = predict(x[test], c, b)

    def report(p, label):
        p, y_, w_ = p, y, w
        answered = p >= args.threshold
        for name, scope in [("fitted kinds", fitted), ("all kinds", np.ones(len(y), bool))]:
            a = answered & scope
            precision = np.average(y[a], weights=w[a]) if a.any() else float("nan")
            right = (a & (y == 1)).sum()
            print(f"{label}, {name}: at confidence ≥ {args.threshold}: precision {precision:.3f} (weighted), "
                  f"answerable questions answered right {right / (askable & scope).sum():.3f} "
                  f"({right}/{(askable & scope).sum()}), ECE {ece(p[scope], y[scope], w[scope]):.3f}")
        for k in ["wrong", "faq-wrong"] + unanswerable_kinds:
            m = kind == k
            print(f"    {k:14s} answered {answered[m].sum():3d}/{m.sum():3d}   mean confidence {p[m].mean():.3f}")
        for k in ["answerable", "faq-answerable"]:
            m = kind == k
            print(f"    {k:14s} answered {(answered & m).sum():3d}/{m.sum():3d}   mean confidence {p[m].mean():.3f}")

    print(f"{len(y)} rows: " + ", ".join(f"{k} {(kind == k).sum()}" for k in sorted(set(kind))))
    report(oof, f"{args.folds}-fold cross-validated (grouped by paragraph)")
    coefficients, intercept = fit(xf, yf, wf, l2=1e-2)
    report(predict(x, coefficients, intercept), "fitted on the fitted kinds (in-sample)")
    print("    public static let fitted = AnswerCalibration(")
    print("        // " + ", ".join(names))
    print("        coefficients: [" + ", ".join(f"{c:.4f}" for c in coefficients) + "],")
    print(f"        intercept: {intercept:.4f}")
    print("    )")


if __name__ == "__main__":
    main()
