"""The tuned parameters of linking and extraction, read from ``extractor/data/calibration.json``.

``scripts/calibrate.py`` fits them on the development sets; without the file the defaults below
apply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CALIBRATION_PATH = Path(__file__).parent / "data" / "calibration.json"


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
