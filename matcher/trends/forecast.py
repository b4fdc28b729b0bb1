"""Short-term forecast of a skill's share of vacancies, with prediction intervals.

Exponential smoothing with an additive, damped trend (Holt's method in the ETS(A,Ad,N) state
space form of statsmodels): it follows recent levels and slopes, and the damping keeps the
trend from running on unchecked beyond the next few periods. The prediction interval is the
model's analytical one; shares are clipped to [0, 1].
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from matcher.trends.counting import PeriodKind, period_label

MIN_PERIODS = 6  # five parameters (level, slope, alpha, beta, phi) need a few more points


@dataclass(frozen=True)
class Forecast:
    """Forecast shares for the periods after the data.

    Attributes:
        periods: labels of the forecast periods ("2025Q1", ...).
        mean: expected share of vacancies (0..1) per period.
        low, high: bounds of the ``level`` prediction interval per period.
        level: e.g. 0.95.
        method: the model, e.g. "ETS(A,Ad,N)".
    """

    periods: tuple[str, ...]
    mean: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    level: float
    method: str

    def to_dict(self) -> dict[str, object]:
        return {
            "periods": list(self.periods),
            "mean": list(self.mean),
            "low": list(self.low),
            "high": list(self.high),
            "level": self.level,
            "method": self.method,
        }


def forecast_share(
    shares: np.ndarray,
    last_period: str,
    by: PeriodKind,
    horizon: int = 4,
    level: float = 0.95,
) -> Forecast:
    """Forecast ``horizon`` periods of a share series.

    Args:
        shares: (T,) share of vacancies per period; NaN for periods without vacancies
            (carried forward from the last known value).
        last_period: label of the last period of ``shares`` ("2024Q4" or "2024-12").
        by: "month" or "quarter".

    Raises:
        ValueError: fewer than ``MIN_PERIODS`` periods, or a horizon below 1.
    """
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = np.asarray(shares, dtype=float)
    if horizon < 1:
        raise ValueError(f"forecast horizon must be at least 1 period, got {horizon}")
    if len(y) < MIN_PERIODS:
        raise ValueError(
            f"a forecast needs at least {MIN_PERIODS} periods, the data has {len(y)} "
            "(use --by month, or a feed that spans more time)"
        )
    series = pd.Series(y).ffill().bfill().fillna(0.0)
    method = "ETS(A,Ad,N)"
    with warnings.catch_warnings():
        # short series often end the optimiser at a bound; the fit is still usable
        warnings.simplefilter("ignore")
        try:
            fit = ETSModel(series, error="add", trend="add", damped_trend=True).fit(disp=False)
        except (ValueError, np.linalg.LinAlgError):
            method = "ETS(A,N,N)"
            fit = ETSModel(series, error="add").fit(disp=False)
        frame = fit.get_prediction(start=len(y), end=len(y) + horizon - 1).summary_frame(
            alpha=1 - level
        )
    first = _period_number(last_period, by) + 1

    def clip(column: str) -> tuple[float, ...]:
        return tuple(float(v) for v in np.clip(frame[column].to_numpy(), 0.0, 1.0))

    return Forecast(
        periods=tuple(period_label(first + h, by) for h in range(horizon)),
        mean=clip("mean"),
        low=clip("pi_lower"),
        high=clip("pi_upper"),
        level=level,
        method=method,
    )


def _period_number(label: str, by: PeriodKind) -> int:
    if by == "month":
        year, month = label.split("-")
        return int(year) * 12 + int(month) - 1
    year, quarter = label.split("Q")
    return int(year) * 4 + int(quarter) - 1
