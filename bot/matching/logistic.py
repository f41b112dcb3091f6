"""A small L2-regularised logistic regression in numpy (Newton's method), for decision.py.

A few hundred pastes times a few candidates and about thirty features: Newton's method
converges in a handful of steps, in milliseconds, with no dependency beyond numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

L2 = 1.0  # penalty on the standardised weights: the set is small, keep the model smooth
STEPS = 50
TOLERANCE = 1e-8


@dataclass(frozen=True)
class Fitted:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        rows = np.where(np.isnan(rows), self.mean, rows)  # no value: no evidence either way
        values = (rows - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(values @ self.weights + self.bias)))


def fit(rows: np.ndarray, labels: np.ndarray, l2: float = L2,
        signs: np.ndarray | None = None) -> Fitted:
    """Weights minimising log-loss + l2/2 |w|^2 over standardised rows (the bias is free).

    `signs` (+1, -1 or 0 per feature) says which way a feature may push: more evidence must
    never lower the probability, however features that say nearly the same thing (a margin and
    the margin to a rival) share the credit on a small set. A weight that comes out on the wrong
    side is held at 0 and the rest refitted (an active-set step, repeated until none is wrong).
    """
    # A NaN is a feature without a value for that row (an entry the precedents do not know):
    # it takes the feature's mean, so it neither raises nor lowers (as when predicting).
    missing = np.isnan(rows)
    mean = np.nanmean(np.where(missing.all(axis=0), 0.0, rows), axis=0) if missing.any() \
        else rows.mean(axis=0)
    rows = np.where(missing, mean, rows)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0  # a constant feature: leave it at 0 after centring
    standard = (rows - mean) / scale
    signs = np.zeros(rows.shape[1]) if signs is None else np.asarray(signs, dtype=np.float64)
    active = np.ones(rows.shape[1], dtype=bool)
    while True:
        weights, bias = _newton(standard[:, active], labels, l2)
        full = np.zeros(rows.shape[1])
        full[active] = weights
        wrong = (full * signs) < 0
        if not wrong.any():
            return Fitted(mean, scale, full, bias)
        active &= ~wrong


def _newton(standard: np.ndarray, labels: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    values = np.hstack([standard, np.ones((len(standard), 1))])
    penalty = np.full(values.shape[1], l2)
    penalty[-1] = 0.0
    theta = np.zeros(values.shape[1])
    for _ in range(STEPS):
        predicted = 1.0 / (1.0 + np.exp(-(values @ theta)))
        gradient = values.T @ (predicted - labels) + penalty * theta
        curvature = predicted * (1.0 - predicted)
        hessian = (values * curvature[:, None]).T @ values + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if float(np.abs(step).max()) < TOLERANCE:
            break
    return theta[:-1], float(theta[-1])
