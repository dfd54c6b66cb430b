"""Labelled image folders: `paradigms run supervised --data DIR`, from the files to the named classes."""

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw

import paradigms
from paradigms.cli import main
from paradigms.supervised.estimator import DigitClassifier
from paradigms.supervised.plots import figures
from paradigms.supervised.settings import MIN_IMAGES_PER_CLASS
from paradigms.supervised.sources.folders import load_image_folder, read_image_folder

#: A tiny budget: the shapes are easy, the test is about the plumbing.
TINY = {"epochs": 6, "batch_size": 16, "hidden_sizes": (32,), "learning_rate": 1e-2, "threads": 1, "image_size": 16}
SHAPES = ("circle", "square", "cross")
MODES = ("RGB", "L", "RGBA", "P", "I;16")


def draw_shape(shape: str, side: int, mode: str) -> Image.Image:
    """A dark shape on white paper, ``side`` pixels, in Pillow ``mode`` (I;16 = 16-bit grey)."""
    picture = Image.new("RGB", (side, side), "white")
    pen = ImageDraw.Draw(picture)
    low, high = int(side * 0.2), int(side * 0.8)
    if shape == "circle":
        pen.ellipse([low, low, high, high], outline="black", width=max(2, side // 12))
    elif shape == "square":
        pen.rectangle([low, low, high, high], outline="black", width=max(2, side // 12))
    else:
        pen.line([low, low, high, high], fill="black", width=max(2, side // 12))
        pen.line([low, high, high, low], fill="black", width=max(2, side // 12))
    if mode == "I;16":
        return Image.fromarray(np.asarray(picture.convert("L"), dtype=np.uint16) * 257)
    return picture.convert(mode)


def make_folder(root, per_class=10, shapes=SHAPES, seed=0):
    rng = np.random.default_rng(seed)
    for shape in shapes:
        (root / shape).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            mode = MODES[i % len(MODES)]
            suffix = ".jpg" if mode in ("RGB", "L") and i % 2 else ".png"
            draw_shape(shape, int(rng.integers(24, 80)), mode).save(root / shape / f"{i:03d}{suffix}")
    return root


def run_cli(*argv):
    try:
        return main(["run", "supervised", "--no-progress", *argv])
    except SystemExit as exc:
        return exc.code


def written(folder):
    """The files under ``folder`` (none when it does not exist)."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def tiny_args():
    return [f"--{k.replace('_', '-')}={','.join(map(str, v)) if isinstance(v, tuple) else v}" for k, v in TINY.items()]


@pytest.fixture(scope="module")
def shapes_folder(tmp_path_factory):
    root = make_folder(tmp_path_factory.mktemp("shapes") / "shapes")
    (root / "circle" / "notes.txt").write_text("not a picture")
    (root / "square" / "empty.png").write_bytes(b"")
    (root / "cross" / "cut.png").write_bytes((root / "cross" / "000.png").read_bytes()[:60])
    (root / "README.md").write_text("beside the class folders")
    (root / ".DS_Store").write_bytes(b"\x00\x01")
    return root


@pytest.fixture(scope="module")
def evaluation(shapes_folder):
    with pytest.warns(UserWarning, match="4 files .* skipped"):
        return paradigms.run("supervised", data=str(shapes_folder), seed=1, **TINY)


def test_a_folder_is_read_with_its_class_names_and_a_quality_summary(shapes_folder):
    found = read_image_folder(shapes_folder, image_size=16)
    assert found.class_names == ("circle", "cross", "square")
    assert found.images["all"].shape == (30, 16, 16) and found.images["all"].dtype == np.uint8
    quality = found.quality
    assert quality.files_read == 30
    assert {reason: count for reason, (count, _) in quality.skipped.items()} == {
        "not in a class folder": 1, "not an image": 1, "empty": 1, "unreadable": 1}
    assert quality.skipped["empty"][1].endswith("square/empty.png")  # an example each, named
    assert quality.per_class["all"] == {"circle": 10, "cross": 10, "square": 10}
    summary = quality.summary()
    assert "30 images read, 4 files skipped" in summary and "cut.png" in summary


def test_every_mode_becomes_light_ink_on_dark(shapes_folder):
    images = read_image_folder(shapes_folder, image_size=16).images["all"]
    border = np.concatenate([images[:, 0], images[:, -1]], axis=1)
    assert border.mean() < 20 and images.max(axis=(1, 2)).min() > 150  # dark paper, bright strokes, in all 30


def test_the_run_names_its_classes_everywhere(evaluation, tmp_path):
    metrics = evaluation.metrics
    assert metrics["class_names"] == ["circle", "cross", "square"]
    assert np.array(metrics["confusion_matrix"]).shape == (3, 3)
    assert np.array(metrics["confusion_matrix"]).sum() == evaluation.dataset.sizes["test"] == 6  # 20% of each class
    assert evaluation.measure.baseline == pytest.approx(1 / 3) and evaluation.measure.value > 1 / 3
    assert "circle, cross, square" in evaluation.task
    assert metrics["data_quality"]["files_skipped"] == 4
    assert "skipped" in evaluation.dataset.notes and "not an image: 1" in evaluation.dataset.notes
    drawn = figures(paradigms.Evaluation.from_json(evaluation.to_json()))
    labels = [t.get_text() for t in drawn["confusion_matrix"].axes[0].get_xticklabels()]
    assert labels == ["circle", "cross", "square"]


def test_the_same_seed_splits_the_same_way(shapes_folder):
    a = load_image_folder(shapes_folder, image_size=16, seed=3)
    b = load_image_folder(shapes_folder, image_size=16, seed=3)
    c = load_image_folder(shapes_folder, image_size=16, seed=4)
    np.testing.assert_array_equal(a.test_images, b.test_images)
    assert not np.array_equal(a.test_images, c.test_images)
    assert np.bincount(a.test_labels).tolist() == [2, 2, 2]  # stratified: every class in the test set


def test_train_and_test_folders_are_used_as_given(tmp_path):
    root = tmp_path / "split"
    make_folder(root / "train", per_class=6)
    make_folder(root / "test", per_class=2, seed=1)
    data = load_image_folder(root, image_size=16)
    assert len(data.train_labels) == 18 and len(data.test_labels) == 6
    assert "test/ folder" in data.info.notes
    (root / "test" / "triangle").mkdir()
    draw_shape("cross", 30, "L").save(root / "test" / "triangle" / "t.png")
    with pytest.raises(paradigms.ConfigError, match="triangle.*no folder in"):
        load_image_folder(root, image_size=16)


def test_a_saved_folder_model_answers_with_class_names(shapes_folder, tmp_path, capsys):
    with pytest.warns(UserWarning, match="skipped"):
        assert run_cli("--data", str(shapes_folder), "--out", str(tmp_path / "out"), *tiny_args()) == 0
    model_dir = tmp_path / "out" / "supervised-classifier"
    config = json.loads((model_dir / "config.json").read_text())
    assert config["classes"] == ["circle", "cross", "square"] and config["params"]["file_preparation"] == "resize"
    capsys.readouterr()
    assert main(["classify", str(model_dir), str(shapes_folder / "cross" / "001.jpg")]) == 0
    answer = capsys.readouterr().out
    assert answer.split(": ")[1].split(" (")[0] in ("circle", "cross", "square")
    model = DigitClassifier.load(model_dir)
    assert model.prepare_files([shapes_folder / "cross" / "001.jpg"]).shape == (1, 16, 16)


@pytest.mark.parametrize(
    "layout, message",
    [
        ({"circle": 6}, "only one class (circle)"),
        ({}, "no class sub-folders"),
        ({"circle": 6, "square": MIN_IMAGES_PER_CLASS - 1}, f"square: {MIN_IMAGES_PER_CLASS - 1} readable images"),
        ({"circle": 0, "square": 0}, "no readable images"),
    ],
)
def test_folders_that_cannot_be_learned_from_are_one_line_errors(tmp_path, capsys, layout, message):
    root = tmp_path / "data"
    root.mkdir()
    for shape, count in layout.items():
        make_folder(root, per_class=count, shapes=(shape,))
        if not count:
            (root / shape / "x.txt").write_text("no")
    out = tmp_path / "out"
    assert run_cli("--data", str(root), "--out", str(out)) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and str(root) in err
    assert written(out) == []  # nothing written, no model either (the folders are checked first)


def test_a_file_where_a_folder_is_expected_and_a_bomb_are_refused(tmp_path, capsys):
    from test_supervised_images import png_header_only

    picture = tmp_path / "digits"
    picture.write_bytes(b"not a folder")
    assert run_cli("--data", str(picture), "--out", str(tmp_path / "out")) == 2
    assert "digits: is a file, not a folder of labelled images" in capsys.readouterr().err
    root = make_folder(tmp_path / "bombed", per_class=5)
    png_header_only(root / "circle" / "huge.png", 30_000, 30_000)
    assert run_cli("--data", str(root), "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err.strip()
    assert "huge.png" in err and "too large" in err and len(err.splitlines()) == 1
    assert written(tmp_path / "out") == []


def test_target_and_data_that_do_not_go_together(tmp_path, shapes_folder, capsys):
    assert run_cli("--data", str(shapes_folder), "--target", "label") == 2
    assert "is a folder of images" in capsys.readouterr().err
    assert run_cli("--target", "label") == 2
    assert "needs --data TABLE" in capsys.readouterr().err
    assert run_cli("--data", str(tmp_path / "nowhere")) == 2
    assert "no such file or folder" in capsys.readouterr().err
