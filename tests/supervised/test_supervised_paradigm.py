import json
import math
import subprocess
import sys
import warnings

import numpy as np
import pytest
from fake_mnist import write_fake_mnist
from matplotlib.figure import Figure

import paradigms
from paradigms.cli import main
from paradigms.datasets.digits import load_mnist
from paradigms.datasets.idx import write_idx
from paradigms.supervised.estimator import DigitClassifier
from paradigms.supervised.plots import figures
from paradigms.supervised.settings import SupervisedSettings

#: A small budget on the 8x8 fallback digits: a second or two.
TINY = dict(epochs=4, batch_size=64, hidden_sizes=(64,), learning_rate=1e-2, threads=1, misclassified=6)


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    """One tiny run on the fallback digits, shared by the tests that only read it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("LEARNING_PARADIGMS_DATA", raising=False)
        patch.setenv("LEARNING_PARADIGMS_OFFLINE", "1")
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        with pytest.warns(UserWarning, match="8x8 digits"):
            return paradigms.run("supervised", seed=3, **TINY)


def test_result_speaks_mitchell(evaluation):
    m = evaluation.measure
    assert m.value > 0.8 and m.value > m.baseline  # far above chance
    assert m.value == evaluation.metrics["test_accuracy"]
    assert evaluation.dataset.fallback and "unavailable" in evaluation.dataset.notes
    assert evaluation.dataset.sizes["validation"] == evaluation.dataset.sizes["train"] // 5
    assert "augment shift 1 -> 0" in evaluation.dataset.notes  # 1 MNIST pixel is too much for 8x8
    assert evaluation.config["augment_shift"] == 0  # the config is what ran
    curve = evaluation.curve
    assert evaluation.experience == paradigms.registry.get("supervised").experience  # one E: `paradigms list`'s and the curve's
    assert list(curve["experience"]) == list(range(1, TINY["epochs"] + 1))
    assert {"performance", "examples_seen", "train_loss", "val_loss", "seconds"} <= set(curve.columns)
    assert curve["train_loss"].iloc[-1] < curve["train_loss"].iloc[0]
    assert set(evaluation.timings) >= {"data_load_seconds", "fit_seconds", "evaluate_seconds", "total_seconds"}
    assert evaluation.manifest["device"] == "cpu" and evaluation.manifest["torch_threads"] == 1


def test_metrics_are_consistent(evaluation):
    metrics = evaluation.metrics
    confusion = np.array(metrics["confusion_matrix"])
    assert confusion.shape == (10, 10) and confusion.sum() == evaluation.dataset.sizes["test"]
    assert np.trace(confusion) / confusion.sum() == pytest.approx(evaluation.measure.value)
    per_class = metrics["per_class"]
    assert per_class["support"] == confusion.sum(axis=1).tolist()
    assert per_class["recall"][3] == pytest.approx(confusion[3, 3] / confusion[3].sum())
    assert 0 < metrics["majority_baseline_accuracy"] < 0.2
    # the majority class by name, as a table's run gives it (it was the index, an int, on digits)
    assert isinstance(metrics["majority_class"], str) and metrics["majority_class"] in metrics["class_names"]
    assert metrics["misclassified_count"] == confusion.sum() - np.trace(confusion)


def test_the_confident_mistakes_are_figure_data_with_their_pixels(evaluation):
    assert "misclassified" not in evaluation.metrics
    mistakes = evaluation.figure_data["misclassified"]
    assert 0 < len(mistakes) <= TINY["misclassified"]
    assert all(item["true"] != item["predicted"] for item in mistakes)
    assert np.array(mistakes[0]["pixels"]).shape == (8, 8)
    confidences = [item["confidence"] for item in mistakes]
    assert confidences == sorted(confidences, reverse=True)


def test_figures_draw_from_the_json_alone(evaluation, tmp_path):
    back = paradigms.Evaluation.from_json(evaluation.to_json())
    drawn = figures(back)
    assert list(drawn) == ["learning_curves", "confusion_matrix", "misclassified"]
    for name, fig in drawn.items():
        assert isinstance(fig, Figure)
        fig.savefig(tmp_path / f"{name}.png")
        assert (tmp_path / f"{name}.png").stat().st_size > 1000
    digits_drawn = [ax for ax in drawn["misclassified"].axes if ax.images]
    assert len(digits_drawn) == len(back.figure_data["misclassified"])  # one picture per mistake
    assert paradigms.get("supervised").figures(back).keys() == drawn.keys()


def test_the_fallback_digits_adapt_the_batch_you_left_alone_and_keep_the_one_you_gave(no_real_mnist):
    # The 8x8 stand-in for MNIST: a default batch shrinks to give an epoch 20 steps, the epochs stay
    # MNIST's (the stand-in shows MNIST's recipe in seconds); a batch size given explicitly is kept.
    small = {**TINY, "epochs": 1}
    del small["batch_size"]
    with pytest.warns(UserWarning, match="8x8 digits"):
        left_alone = paradigms.run("supervised", seed=0, **small)
    n_train = left_alone.dataset.sizes["train_used"]
    assert left_alone.config["batch_size"] == n_train // 20 and left_alone.config["epochs"] == 1
    assert f"batch size 512 -> {n_train // 20}" in left_alone.dataset.notes
    with pytest.warns(UserWarning, match="8x8 digits"):
        given = paradigms.run("supervised", seed=0, **small, batch_size=100)
    assert given.config["batch_size"] == 100 and given.metrics["updates_per_epoch"] == math.ceil(n_train / 100)
    assert "batch size" not in given.dataset.notes and "augment shift 1 -> 0" in given.dataset.notes


def test_same_seed_same_result_other_seed_other_result(no_real_mnist):
    runs = []
    for seed in (5, 5, 6):
        with pytest.warns(UserWarning):
            runs.append(paradigms.run("supervised", seed=seed, **{**TINY, "epochs": 2}))
    a, b, c = runs
    columns = ["experience", "performance", "train_loss", "val_loss"]
    assert a.curve[columns].equals(b.curve[columns])
    assert a.measure == b.measure and a.metrics["confusion_matrix"] == b.metrics["confusion_matrix"]
    assert a.figure_data == b.figure_data
    assert not a.curve["train_loss"].equals(c.curve["train_loss"])


def test_the_run_and_the_estimator_learn_the_same_from_the_same_seed(tmp_path):
    # One recipe, two doors: the paradigm's run and DigitClassifier.from_settings hold out the
    # same validation images and learn the same weights from the same seed.
    write_fake_mnist(tmp_path, n_train=300, n_test=50)
    settings = SupervisedSettings(hidden_sizes=(16,), epochs=2, batch_size=32, validation_size=40, threads=1,
                                  data_dir=tmp_path)
    evaluation = paradigms.run("supervised", settings=settings, seed=7)
    data = load_mnist(tmp_path)
    clf = DigitClassifier.from_settings(settings, random_state=7).fit(data.train_images, data.train_labels)
    assert clf.n_validation_examples_ == evaluation.dataset.sizes["validation"] == 40
    assert clf.history_["val_loss"].tolist() == evaluation.curve["val_loss"].tolist()
    assert clf.score(data.test_images, data.test_labels) == evaluation.measure.value


def test_cli_quick_run_writes_json_and_model(no_real_mnist, tmp_path, capsys):
    """``--out`` keeps the trained classifier under the folder, as the other paradigms keep their models."""
    model_dir = tmp_path / "supervised-classifier"
    with pytest.warns(UserWarning, match="8x8 digits"):
        code = main(["run", "supervised", "--quick", "--out", str(tmp_path), "--threads", "1"])
    assert code == 0
    out = capsys.readouterr().out
    assert "supervised: test accuracy =" in out and "FALLBACK" in out
    document = json.loads((tmp_path / "supervised.json").read_text())
    quick = SupervisedSettings.from_overrides(quick=True)
    assert document["config"]["epochs"] == quick.epochs != SupervisedSettings().epochs
    assert document["config"]["train_size"] == quick.train_size
    assert document["measure"]["value"] > 0.8  # three short epochs, still far above chance
    assert (model_dir / "weights.pt").exists() and document["metrics"]["files"] == [str(model_dir)]
    assert DigitClassifier.load(model_dir).n_epochs_ == document["metrics"]["epochs_run"]


def test_save_model_still_saves_the_model_with_a_deprecation_warning(no_real_mnist, tmp_path):
    with pytest.warns(UserWarning, match="8x8 digits"), pytest.warns(FutureWarning, match="--out DIR"):
        evaluation = paradigms.run("supervised", seed=0, save_model=tmp_path / "model", **{**TINY, "epochs": 1})
    assert (tmp_path / "model" / "weights.pt").exists() and "files" not in evaluation.metrics


def test_save_model_warns_a_python_caller_under_pythons_default_filters(no_real_mnist, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.resetwarnings()  # then Python's defaults: a DeprecationWarning is shown only where __main__ raised it
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        paradigms.run("supervised", seed=0, save_model=tmp_path / "model", **{**TINY, "epochs": 1})
    assert [str(w.message) for w in caught if "--save-model DIR) is deprecated" in str(w.message)]


def test_cli_classify_reads_png_files(no_real_mnist, tmp_path, capsys):
    from PIL import Image
    from sklearn.datasets import load_digits

    with pytest.warns(UserWarning):
        assert main(["run", "supervised", "--out", str(tmp_path),
                     *[f"--{k.replace('_', '-')}={','.join(map(str, v)) if isinstance(v, tuple) else v}"
                       for k, v in TINY.items()]]) == 0
    image = np.rint(load_digits().images[0] * 255 / 16).astype(np.uint8)  # a zero
    Image.fromarray(image).save(tmp_path / "zero.png")
    capsys.readouterr()
    assert main(["classify", str(tmp_path / "supervised-classifier"), str(tmp_path / "zero.png")]) == 0
    assert capsys.readouterr().out.startswith(f"{tmp_path / 'zero.png'}: 0 (")


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["--epochs", "-1"], 2, "epochs = -1 is out of range"),
        (["--hidden-sizes", "256,0"], 2, "hidden_sizes = 0 is out of range"),
        (["--batch-size", "0"], 2, "batch_size = 0 is out of range"),
        (["--learning-rate", "0"], 2, "learning_rate = 0.0 is out of range"),
        (["--activation", "relux"], 2, "did you mean relu"),
        (["--data-dir", "/no/such/folder"], 2, "--data-dir /no/such/folder: no such folder"),
        (["--preset", "fastest"], 2, "preset = 'fastest' is not allowed"),
    ],
)
def test_bad_settings_are_one_line_errors(argv, code, message, capsys):
    try:
        result = main(["run", "supervised", *argv])
    except SystemExit as exc:
        result = exc.code
    assert result == code
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_device_cuda_without_gpu(monkeypatch, capsys):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert main(["run", "supervised", "--device", "cuda"]) == 2
    assert "sees no CUDA GPU" in capsys.readouterr().err


def test_corrupt_file_in_data_dir_exits_1_naming_it(tmp_path, capsys):
    for name, array in [
        ("train-images-idx3-ubyte.gz", np.zeros((20, 28, 28), np.uint8)),
        ("train-labels-idx1-ubyte.gz", np.zeros(20, np.uint8)),
        ("t10k-images-idx3-ubyte.gz", np.zeros((5, 28, 28), np.uint8)),
        ("t10k-labels-idx1-ubyte.gz", np.zeros(5, np.uint8)),
    ]:
        write_idx(tmp_path / name, array)
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(b"\x00\x00\x08\x01rubbish")
    assert main(["run", "supervised", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "t10k-images-idx3-ubyte.gz" in err and "magic number" in err and len(err.splitlines()) == 1


def test_help_lists_settings_and_the_ten_layer_example(capsys):
    with pytest.raises(SystemExit):
        main(["run", "supervised", "--help"])
    out = capsys.readouterr().out
    assert "--hidden-sizes" in out and "ten-layered" in out and "--data-dir" in out and "--device" in out


def test_registering_imports_neither_torch_nor_sklearn():
    code = (
        "import sys; import paradigms.supervised.paradigm, paradigms.supervised.cli; "
        "print(sorted(m for m in ('torch', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
