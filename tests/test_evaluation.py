import json
import math

import numpy as np
import pandas as pd
import pytest

from paradigms import DatasetInfo, Evaluation, Measure
from paradigms.errors import DataError
from paradigms.evaluation import JSON_FIELDS, write_atomic


def make_evaluation(**changes):
    values = dict(
        paradigm="supervised",
        task="classify digits",
        experience="epochs",
        measure=Measure(name="test accuracy", value=0.91, baseline=0.1, best=1.0, curve_label="validation accuracy"),
        curve=pd.DataFrame(
            {
                "experience": [1, 2, 3],
                "performance": [0.5, 0.8, 0.91],
                "val_loss": [1.2, np.nan, 0.3],
                "note": ["a", "b", "c"],
            }
        ),
        dataset=DatasetInfo(name="MNIST", source="files", sizes={"train": 60000}, checksums={"x": "ab"}),
        seed=3,
        metrics={"per_class_f1": np.array([0.9, 0.8]), "n": np.int64(4), "missing": float("nan")},
        config={"epochs": 3, "hidden": (256, 128)},
        timings={"fit_seconds": 1.5},
    )
    values.update(changes)
    return Evaluation(**values)


def test_normalized_score_is_zero_at_baseline_and_one_at_best():
    assert make_evaluation().normalized_score == pytest.approx((0.91 - 0.1) / 0.9)
    at_chance = make_evaluation(measure=Measure(name="acc", value=0.1, baseline=0.1, best=1.0))
    assert at_chance.normalized_score == 0.0
    lower_better = Measure(name="loss", value=1.0, baseline=2.0, best=0.0, higher_is_better=False)
    assert lower_better.normalized == pytest.approx(0.5)


def test_json_has_exactly_the_documented_names():
    data = json.loads(make_evaluation().to_json())
    assert tuple(data) == JSON_FIELDS
    assert set(data["measure"]) >= {"name", "value", "baseline", "best", "higher_is_better"}


def test_json_round_trip_is_lossless():
    original = make_evaluation()
    text = original.to_json()
    again = Evaluation.from_json(text)
    assert again.to_json() == text
    assert again.measure == original.measure
    assert again.dataset == original.dataset
    pd.testing.assert_frame_equal(again.curve, original.curve)
    assert again.metrics["per_class_f1"] == [0.9, 0.8]
    assert again.metrics["missing"] is None  # NaN is stored as null, valid JSON
    assert again.config["hidden"] == [256, 128]
    assert again.seed == 3 and again.timings == {"fit_seconds": 1.5}
    assert "numpy" in again.manifest["packages"] and again.manifest["python"]


def test_json_is_strict_json_without_nan():
    text = make_evaluation().to_json()
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), None, "high"])
def test_a_bad_measure_value_fails_at_construction(value):
    with pytest.raises(ValueError, match="test accuracy"):
        Measure(name="test accuracy", value=value, baseline=0.1, best=1.0)


def test_a_missing_measure_or_curve_column_fails_at_construction():
    with pytest.raises(ValueError, match="measure"):
        make_evaluation(measure=None)
    with pytest.raises(ValueError, match="performance"):
        make_evaluation(curve=pd.DataFrame({"experience": [1]}))
    with pytest.raises(ValueError, match="baseline"):
        Measure(name="x", value=1, baseline=1, best=1)
    with pytest.raises(ValueError, match="missing"):
        Evaluation.from_dict({"paradigm": "x"})


def test_save_and_load_atomically(tmp_path):
    ev = make_evaluation()
    path = ev.save(tmp_path / "sub" / "supervised.json")
    assert Evaluation.load(path).measure == ev.measure
    assert [p.name for p in path.parent.iterdir()] == ["supervised.json"]  # no temp file left
    assert path.stat().st_mode & 0o044  # readable by others, like any file the user writes


def test_load_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(DataError, match="bad.json"):
        Evaluation.load(bad)
    with pytest.raises(DataError, match="nope.json"):
        Evaluation.load(tmp_path / "nope.json")


def test_write_atomic_leaves_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old")

    class Boom(Exception):
        pass

    def fail_replace(src, dst):
        raise Boom

    monkeypatch.setattr("os.replace", fail_replace)
    with pytest.raises(Boom):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_unserializable_metric_is_refused():
    with pytest.raises(TypeError, match="object"):
        make_evaluation(metrics={"bad": object()})
    assert math.isfinite(make_evaluation().measure.value)
