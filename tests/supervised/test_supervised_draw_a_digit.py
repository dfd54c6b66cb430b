"""Draw a digit: a digit drawn small, off-centre, thick or thin is read like one drawn big in the middle.

The model is trained here on digits framed the way MNIST's were (scikit-learn's
bundled digits, enlarged and fitted into a 20 x 20 box centred by mass in
28 x 28: no download, a few seconds); held-out digits are then drawn dark on a
large white canvas, as a phone or Paint would save them, and read from the files.
A slow test does the same with a model trained on real MNIST.
"""

import os

import numpy as np
import pytest
from PIL import Image, ImageFilter
from sklearn.datasets import load_digits

from paradigms.cli import main
from paradigms.supervised.estimator import DigitClassifier
from paradigms.supervised.sources.framing import Framing, frame_like_training

CANVAS = 400
N_DRAWN = 40


def enlarge(ink: np.ndarray, side: int) -> np.ndarray:
    """Light-on-dark ink (any scale) as a smooth ``side`` x ``side`` float picture in [0, 1]."""
    picture = Image.fromarray((ink / ink.max()).astype(np.float32), mode="F").resize((side, side), Image.Resampling.BICUBIC)
    return np.clip(np.asarray(picture), 0, 1)


@pytest.fixture(scope="module")
def mnist_like():
    """(model, held-out inks, labels): a model trained on scikit-learn's digits framed like MNIST."""
    digits = load_digits()
    framing = Framing.mnist_like((28, 28))
    images = np.stack([np.rint(255 * frame_like_training(enlarge(d, 64), framing)) for d in digits.images])
    images = images.astype(np.uint8)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(images))
    train, held = order[:-N_DRAWN], order[-N_DRAWN:]
    model = DigitClassifier(hidden_sizes=(128,), epochs=12, batch_size=64, learning_rate=3e-3, validation_size=0,
                            augment_shift=1, threads=1, random_state=0)
    model.fit(images[train], digits.target[train])
    return model, digits.images[held], digits.target[held]


def draw(ink: np.ndarray, path, *, height: int, top: int, left: int, stroke: str = "as drawn") -> str:
    """Save ``ink`` as dark strokes on a white CANVAS x CANVAS picture, ``height`` pixels tall at (top, left)."""
    canvas = Image.new("L", (CANVAS, CANVAS), 255)
    digit = Image.fromarray(np.rint(255 * (1 - enlarge(ink, height))).astype(np.uint8))
    canvas.paste(digit, (left, top))
    if stroke == "thin":  # lighter strokes: a white maximum filter eats into the dark ink
        canvas = canvas.filter(ImageFilter.MaxFilter(3))
    elif stroke == "thick":
        canvas = canvas.filter(ImageFilter.MinFilter(7))
    canvas.save(path)
    return str(path)


def accuracy(model, inks, labels, folder, name, **placement) -> float:
    paths = [draw(ink, folder / f"{name}{i}.png", **placement) for i, ink in enumerate(inks)]
    return float(np.mean(model.predict_files(paths) == labels))


def test_small_off_centre_thick_and_thin_digits_are_read_like_centred_ones(mnist_like, tmp_path):
    model, inks, labels = mnist_like
    centred = accuracy(model, inks, labels, tmp_path, "centred", height=280, top=60, left=60)
    small = accuracy(model, inks, labels, tmp_path, "small", height=48, top=310, left=20)
    thin = accuracy(model, inks, labels, tmp_path, "thin", height=200, top=150, left=170, stroke="thin")
    thick = accuracy(model, inks, labels, tmp_path, "thick", height=120, top=30, left=250, stroke="thick")
    assert centred >= 0.85
    assert small >= centred - 0.1 and thin >= centred - 0.1 and thick >= centred - 0.15
    # Without framing (the whole canvas resized, what classify did before) the small digits are lost:
    model.set_params(file_preparation="resize")
    try:
        resized = accuracy(model, inks, labels, tmp_path, "small", height=48, top=310, left=20)
    finally:
        model.set_params(file_preparation="frame")
    assert resized < small - 0.3


def test_classify_shows_the_image_the_model_sees(mnist_like, tmp_path, capsys):
    model, inks, labels = mnist_like
    model.save(tmp_path / "model")
    paths = [draw(inks[i], tmp_path / f"d{i}.png", height=60, top=300, left=300) for i in range(3)]
    assert main(["classify", str(tmp_path / "model"), *paths, "--show-preprocessed", str(tmp_path / "seen.png")]) == 0
    out = capsys.readouterr().out
    assert out.count(" sure)") == 3 and "seen.png" in out
    seen = np.asarray(Image.open(tmp_path / "seen.png"))
    assert seen.shape == (28, 3 * 28)  # the three 28 x 28 inputs side by side, as the model saw them
    np.testing.assert_array_equal(seen, np.concatenate(list(model.prepare_files(paths)), axis=1))
    first = seen[:, :28].astype(float)
    rows, cols = np.indices(first.shape)
    assert abs((rows * first).sum() / first.sum() - 14) < 1 and abs((cols * first).sum() / first.sum() - 14) < 1


def test_a_saved_model_keeps_its_framing(mnist_like, tmp_path):
    model, inks, _ = mnist_like
    loaded = DigitClassifier.load(model.save(tmp_path / "m"))
    assert loaded.framing_ == model.framing_ and loaded.file_preparation == "frame"
    path = draw(inks[0], tmp_path / "one.png", height=50, top=10, left=10)
    np.testing.assert_array_equal(loaded.prepare_files([path]), model.prepare_files([path]))


@pytest.mark.slow
def test_real_mnist_digits_drawn_small_and_off_centre(tmp_path):
    from paradigms.datasets.digits import load_mnist

    if not os.environ.get("LEARNING_PARADIGMS_DATA"):
        pytest.skip("real MNIST not found: set LEARNING_PARADIGMS_DATA")
    data = load_mnist(download=False)
    model = DigitClassifier(epochs=3, validation_size=2000, threads=1, random_state=0)
    model.fit(data.train_images[:20000], data.train_labels[:20000])
    assert model.framing_.box == pytest.approx(20, abs=1)
    inks, labels = data.test_images[:N_DRAWN].astype(float), data.test_labels[:N_DRAWN]
    centred = accuracy(model, inks, labels, tmp_path, "centred", height=300, top=50, left=50)
    small = accuracy(model, inks, labels, tmp_path, "small", height=56, top=320, left=15)
    assert centred >= 0.85 and small >= centred - 0.1
