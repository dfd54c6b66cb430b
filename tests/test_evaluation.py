import base64
import io
import json

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from paradigms import DatasetInfo, Evaluation, Measure, Picture
from paradigms.errors import ConfigError, DataError
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
    with pytest.raises(ConfigError, match="nope.json: no such evaluation file"):  # exit 2: the path is wrong
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


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, format=kind)
    return buffer.getvalue()


def test_pictures_and_figure_data_round_trip():
    gif = Picture("rollout", "image/gif", _image("GIF"), caption="the agent", details={"length": np.int64(500)})
    original = make_evaluation(pictures=(gif,), figure_data={"projection": {"x": np.array([0.5, 1.5])}})
    again = Evaluation.from_json(original.to_json())
    assert again.pictures == (Picture("rollout", "image/gif", gif.data, "the agent", {"length": 500}),)
    assert again.figure_data == {"projection": {"x": [0.5, 1.5]}}
    assert again.to_json() == original.to_json()


def test_a_picture_must_be_what_it_says():
    with pytest.raises(ValueError, match="not a image/gif file"):
        Picture("rollout", "image/gif", _image("PNG"))
    with pytest.raises(ValueError, match="not one of"):
        Picture("x", "image/jpeg", _image("JPEG"))
    data = make_evaluation().to_dict()
    data["pictures"] = [{"name": "broken", "mime": "image/png", "data_base64": "%%%"}]
    with pytest.raises(ValueError, match="no readable base64"):
        Evaluation.from_dict(data)


def _legacy_dict(**metrics):
    """An evaluation as files were written before figure_data and pictures existed."""
    data = make_evaluation(metrics={"accuracy": 0.9, "misclassified_count": 3, **metrics}).to_dict()
    del data["figure_data"], data["pictures"]
    return data


def test_a_legacy_file_moves_pictures_and_figure_material_out_of_metrics():
    gif, png = _image("GIF"), _image("PNG")
    data = _legacy_dict(
        rollout={"gif_base64": base64.b64encode(gif).decode(), "episode_return": 500.0, "length": 500},
        heatmap="data:image/png;base64," + base64.b64encode(png).decode(),
        misclassified=[{"pixels": [[0, 255]], "label": 3}],
        projection={"x": [0.1], "y": [0.2]},
        k_selection={"k": [2, 3]},
        profiles={"columns": ["segment"], "data": [[0]]},
        profile_z={"z": [[0.5]]},
        note="a short word",
    )
    ev = Evaluation.from_dict(data)
    assert [(p.name, p.mime, p.data, p.details) for p in ev.pictures] == [
        ("rollout", "image/gif", gif, {"episode_return": 500.0, "length": 500}),
        ("heatmap", "image/png", png, {}),
    ]
    assert set(ev.figure_data) == {"misclassified", "projection", "k_selection", "profiles", "profile_z"}
    assert ev.figure_data["misclassified"] == [{"pixels": [[0, 255]], "label": 3}]
    assert ev.metrics == {"accuracy": 0.9, "misclassified_count": 3, "note": "a short word"}
    # once saved, the file is a current one and loads the same way again
    assert Evaluation.from_json(ev.to_json()).to_json() == ev.to_json()


def test_files_with_empty_new_fields_are_migrated_and_filled_ones_are_not():
    gif = base64.b64encode(_image("GIF")).decode()
    empty = {**_legacy_dict(agent_gif=gif), "figure_data": {}, "pictures": []}
    assert [p.name for p in Evaluation.from_dict(empty).pictures] == ["agent_gif"]
    current = {**_legacy_dict(agent_gif=gif, projection={"x": [1]}), "figure_data": {"other": 1}, "pictures": []}
    ev = Evaluation.from_dict(current)
    assert ev.pictures == () and ev.figure_data == {"other": 1}
    assert ev.metrics["agent_gif"] == gif and ev.metrics["projection"] == {"x": [1]}


def test_legacy_keys_holding_a_number_and_text_that_only_looks_like_base64_stay_metrics():
    ev = Evaluation.from_dict(_legacy_dict(profiles=4, banner="R0lGODlh but not base64 at all!"))
    assert ev.pictures == () and ev.figure_data == {}
    assert ev.metrics["profiles"] == 4 and ev.metrics["banner"].startswith("R0lGODlh")
