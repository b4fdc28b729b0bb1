"""Growth of skill demand with an uncertainty, and a false discovery rate over many skills.

The model, per skill (and group): the number of vacancies asking for the skill in period t is
Poisson with mean ``n_t · exp(a + b · x_t)``, where n_t is the number of vacancies in the period
and x_t the period's time in years. So ``exp(b)`` is the factor by which the skill's *share* of
vacancies changes per year (the annual rate ratio), independent of how many vacancies the feed
holds per period. Fitted by iteratively reweighted least squares, vectorised over all skills.

Counts vary more than Poisson when the feed is lumpy (a big employer posting a batch), so the
standard error is scaled by the Pearson dispersion (quasi-Poisson, never below 1), and the test
and confidence interval use Student's t with T - 2 degrees of freedom. Benjamini–Hochberg
q-values control the false discovery rate over all skills tested together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

_MAX_SLOPE = 20.0  # per year; beyond this the skill appears from nothing (no finite MLE)


@dataclass(frozen=True)
class GrowthFit:
    """Per-series results, each an array of shape (S,).

    Attributes:
        slope: b, log rate ratio per year.
        se: its standard error (dispersion-scaled).
        dispersion: the Pearson dispersion used (>= 1).
        p_value: two-sided, t-test of b = 0 with ``df`` degrees of freedom.
        df: residual degrees of freedom (periods with vacancies − 2).
    """

    slope: np.ndarray
    se: np.ndarray
    dispersion: np.ndarray
    p_value: np.ndarray
    df: int

    def rate_ratio(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(growth factor per year, lower, upper bound of its ``level`` confidence interval)."""
        t = stats.t.ppf(0.5 + level / 2, self.df)
        return (
            np.exp(self.slope),
            np.exp(self.slope - t * self.se),
            np.exp(self.slope + t * self.se),
        )


def fit_growth(
    counts: np.ndarray, exposure: np.ndarray, years: np.ndarray, max_iter: int = 50
) -> GrowthFit:
    """Fit the log-linear Poisson trend to every row of ``counts``.

    Args:
        counts: (S, T) vacancies asking for each of S skills in each of T periods.
        exposure: (T,) vacancies per period; periods with 0 are left out of the fit.
        years: (T,) time of each period in years (any origin).

    Raises:
        ValueError: shapes disagree, counts exceed exposure, or fewer than 3 periods have
            vacancies (no degrees of freedom left for the dispersion).
    """
    y = np.atleast_2d(np.asarray(counts, dtype=float))
    n = np.asarray(exposure, dtype=float)
    if y.shape[1] != n.shape[0] or n.shape != np.shape(years):
        raise ValueError(f"counts {y.shape}, exposure {n.shape}, years {np.shape(years)} disagree")
    if np.any(y > n[None, :]) or np.any(y < 0):
        raise ValueError("counts must lie between 0 and the number of vacancies per period")
    valid = n > 0
    df = int(valid.sum()) - 2
    if df < 1:
        raise ValueError(
            f"only {int(valid.sum())} periods have vacancies; a trend needs at least 3 "
            "(use --by month, or a feed that spans more time)"
        )
    y, n = y[:, valid], n[valid]
    x = np.asarray(years, dtype=float)[valid]
    x = x - x.mean()  # centred: a and b nearly uncorrelated, IRLS converges in a few steps
    log_n = np.log(n)
    a = np.log(np.maximum(y.sum(axis=1), 0.5) / n.sum())
    b = np.zeros(len(y))
    for _ in range(max_iter):
        eta = np.clip(log_n + a[:, None] + b[:, None] * x, -700, 700)
        mu = np.exp(eta)
        z = eta - log_n + (y - mu) / np.maximum(mu, 1e-300)
        s0, s1, s2 = mu.sum(1), (mu * x).sum(1), (mu * x * x).sum(1)
        t0, t1 = (mu * z).sum(1), (mu * x * z).sum(1)
        det = np.maximum(s0 * s2 - s1 * s1, 1e-300)
        b_new = np.clip((s0 * t1 - s1 * t0) / det, -_MAX_SLOPE, _MAX_SLOPE)
        a_new = (t0 - b_new * s1) / np.maximum(s0, 1e-300)
        step = np.max(np.abs(b_new - b)) if len(b) else 0.0
        a, b = a_new, b_new
        if step < 1e-10:
            break
    mu = np.exp(np.clip(log_n + a[:, None] + b[:, None] * x, -700, 700))
    s0, s1, s2 = mu.sum(1), (mu * x).sum(1), (mu * x * x).sum(1)
    pearson = (((y - mu) ** 2) / np.maximum(mu, 1e-300)).sum(1)
    dispersion = np.maximum(1.0, pearson / df)
    var_b = s0 / np.maximum(s0 * s2 - s1 * s1, 1e-300)
    se = np.sqrt(dispersion * var_b)
    p = 2 * stats.t.sf(np.abs(b) / np.maximum(se, 1e-300), df)
    return GrowthFit(b, se, dispersion, p, df)


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values), same shape and order as the input.

    Rejecting every hypothesis with q <= alpha keeps the expected share of false discoveries
    among the rejections at or below alpha (for independent or positively dependent tests).
    """
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out
