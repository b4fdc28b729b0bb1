"""The tuned parameters of linking and extraction, read from ``extractor/data/calibration.json``.

``scripts/calibrate.py`` fits them on the development sets; without the file the defaults below
apply. Scores differ between encoders, so an encoder that is not the default one has its own
file, ``extractor/data/calibration/<encoder id>.json``, where one was made (the plain
E5-small without the ESCO adapter has one); other encoders get the default's and should be
calibrated (README, "Using a bigger model").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

CALIBRATION_PATH = Path(__file__).parent / "data" / "calibration.json"
ENCODER_CALIBRATIONS = Path(__file__).parent / "data" / "calibration"


def made_for_default_encoder(encoder: object) -> bool:
    """Whether ``encoder`` is the default one (onnx E5-small with the shipped adapter), whose
    calibration is ``calibration.json`` and whose eval results are ``eval/results/results.*``."""
    from taxonomy.onnx_e5 import DEFAULT_ADAPTER

    return getattr(encoder, "adapter", None) == DEFAULT_ADAPTER


def calibration_file_for(encoder: object) -> Path:
    """Where ``scripts/calibrate.py`` writes an encoder's calibration."""
    if made_for_default_encoder(encoder):
        return CALIBRATION_PATH
    return ENCODER_CALIBRATIONS / f"{getattr(encoder, 'id', 'unknown')}.json"


def lowest_score_with_precision(
    scores: Sequence[float], right: Sequence[bool], precision: float, grid: Sequence[float]
) -> tuple[float, float, float] | None:
    """The lowest threshold in ``grid`` at which the items scoring at or above it are right at
    least ``precision`` of the time: ``(threshold, share kept, precision kept)``, or None when
    no threshold reaches it."""
    s, ok = np.asarray(scores, dtype=float), np.asarray(right, dtype=bool)
    for t in sorted(grid):
        kept = s >= t
        if kept.any() and ok[kept].mean() >= precision:
            return float(t), float(kept.mean()), float(ok[kept].mean())
    return None


def calibration_path(encoder_id: str | None = None) -> Path:
    """The calibration file for an encoder: its own where one exists, else the default's."""
    if encoder_id:
        own = ENCODER_CALIBRATIONS / f"{encoder_id}.json"
        if own.is_file():
            return own
    return CALIBRATION_PATH


F1_TIE = 0.01  # F1 within this of the best counts as a tie when choosing the threshold


def lowest_threshold_near_best(
    grid: Sequence[tuple[float, dict[str, Any]]], tie: float = F1_TIE
) -> tuple[float, dict[str, Any]]:
    """From ``(threshold, metrics)`` pairs, the lowest threshold whose ``metrics["f1"]`` is
    within ``tie`` of the best. The development gold sets are sparse (plausible skills go
    unannotated), so F1 is flat near its top; HR confirms every claim, so where it is flat the
    lower threshold (more recall) is preferred.

    Raises:
        ValueError: the grid is empty.
    """
    if not grid:
        raise ValueError("no thresholds to choose from")
    top = max(m["f1"] for _, m in grid)
    return min(((t, m) for t, m in grid if m["f1"] >= top - tie), key=lambda pair: pair[0])


@dataclass(frozen=True)
class Calibration:
    """Maps a fused link score to a confidence:
    ``sigmoid(slope * (score - threshold) + intercept)``.

    ``intercept`` is the log-odds that a semantic claim right at the threshold is correct, as
    measured on the development sets, so a confidence near the threshold reads as the
    precision HR can expect there. Fitted by ``scripts/calibrate.py``.
    """

    threshold: float = 0.93
    slope: float = 40.0
    intercept: float = 0.0
    context_weight: float = 0.3
    occupation_threshold: float = 0.88
    # concept rescoring in extractor.linking (see its docstring)
    skill_mean_weight: float = 0.2
    skill_lemma_weight: float = 0.02
    occupation_mean_weight: float = 0.4
    occupation_lemma_weight: float = 0.02

    def confidence(self, score: float) -> float:
        z = self.slope * (score - self.threshold) + self.intercept
        return float(1.0 / (1.0 + np.exp(-z)))

    @classmethod
    def load(cls, path: Path = CALIBRATION_PATH) -> Calibration:
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text())
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    @classmethod
    def for_encoder(cls, encoder: object) -> Calibration:
        """The calibration made for an encoder (see :func:`calibration_path`)."""
        return cls.load(calibration_path(getattr(encoder, "id", None)))
