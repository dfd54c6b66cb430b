"""Supervised learning on MNIST, step by step, with the Python API.

    python examples/supervised_mnist.py            # the default recipe, full MNIST (seconds on a laptop)
    python examples/supervised_mnist.py --quick    # a 10,000-image subset, two epochs
    python examples/supervised_mnist.py --out DIR  # where the figures and the model go (default: results/supervised_example)

1. Load the digits: MNIST from --data-dir, $LEARNING_PARADIGMS_DATA, the user cache or a
   download; scikit-learn's 8x8 digits (with a warning) when none of those works.
2. Train a DigitClassifier (scikit-learn style: fit / predict / score) on labelled images.
3. Look at the learning curve (E = epochs, P = validation accuracy) and the test accuracy
   next to the score of a trivial program.
4. Run the whole paradigm to a T/P/E Evaluation and draw the report's figures.
5. Save the model, load it back, and read a digit from a PNG file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

import paradigms
from paradigms.supervised import DigitClassifier, load_digit_data
from paradigms.supervised.plots import figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small subset and two epochs")
    parser.add_argument("--out", type=Path, default=Path("results/supervised_example"))
    parser.add_argument("--data-dir", type=Path, default=None, help="folder holding the four MNIST files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    # 1. Data: 28x28 images, one label each. 784 pixels -> 784 input neurons.
    data = load_digit_data(args.data_dir)
    print(f"data: {data.info.name} from {data.info.source}; train {data.train_images.shape}, test {data.test_images.shape}")
    x_train, y_train = data.train_images, data.train_labels
    if args.quick:
        x_train, y_train = x_train[:10_000], y_train[:10_000]

    # 2. The estimator alone, with the paradigm's default recipe (784-256-128-10, one-cycle
    #    learning rate, early stopping; 5,000 images held out for validation); --quick: two epochs, 2,000.
    clf = DigitClassifier(epochs=2, validation_size=2000, random_state=0) if args.quick else DigitClassifier(random_state=0)
    clf.fit(x_train, y_train)

    # 3. The learning curve and the test score beside trivial baselines.
    print(clf.history_[["epoch", "examples_seen", "train_loss", "val_loss", "val_accuracy"]].round(4).to_string(index=False))
    majority = np.mean(data.test_labels == np.bincount(y_train).argmax())
    print(f"test accuracy {clf.score(data.test_images, data.test_labels):.4f} "
          f"(chance 0.10, always-the-most-common-digit {majority:.3f})")

    # 4. The same through the toolkit: an Evaluation in Mitchell's terms, and its figures.
    evaluation = paradigms.run("supervised", seed=0, quick=args.quick, data_dir=args.data_dir)
    evaluation.save(args.out / "supervised.json")
    for name, fig in figures(evaluation).items():
        fig.savefig(args.out / f"{name}.png", dpi=100)
    print(f"paradigm: {evaluation.measure.name} = {evaluation.measure.value:.4f}; figures in {args.out}")

    # 5. Save, load, and read a digit from an image file (a test digit written as a PNG here).
    clf.save(args.out / "model")
    loaded = DigitClassifier.load(args.out / "model")
    png = args.out / "a_test_digit.png"
    Image.fromarray(data.test_images[0]).save(png)
    print(f"{png.name}: the loaded model reads {loaded.predict_files([png])[0]} (label {data.test_labels[0]})")


if __name__ == "__main__":
    main()
