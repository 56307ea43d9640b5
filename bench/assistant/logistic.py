"""Weighted logistic regression, shared by the calibration fits in this folder."""

import numpy as np


def fit(x, y, w, l2, iterations=100):
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
