"""A run's curves as TensorBoard event files, in one folder per run, written while it learns.

The writer is PyTorch's :class:`~torch.utils.tensorboard.SummaryWriter` (it needs the
``tensorboard`` package): it queues events and writes them from its own thread,
flushing every :data:`FLUSH_SECONDS`, so ``tensorboard --logdir DIR`` shows the curves
grow while the run learns and the learning loop never waits for the disk. At the end
the settings become TensorBoard's hyperparameter table (the HParams tab), with the
final P, its baseline and the normalized score as its metrics, and the run's figures
become images.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .base import last_step, result_metrics, setting_text

#: Seconds between flushes of the event file: how far behind the live curves may be.
FLUSH_SECONDS = 5


def png_pixels(png: bytes) -> Any:
    """A PNG's pixels, height x width x RGB (what TensorBoard's image summary takes)."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB"))


def hparam_value(value: Any) -> bool | int | float | str:
    """A setting as TensorBoard's HParams accept it: a number, a flag, or text."""
    if isinstance(value, (bool, int, float, str)):
        return value
    return setting_text(value)


class TensorBoardTracker:
    """Event files in ``folder`` (created), the run's own."""

    def __init__(self, folder: Path) -> None:
        from torch.utils.tensorboard import SummaryWriter

        self.folder = Path(folder)
        self.where = f"TensorBoard folder {self.folder}"
        self.writer = SummaryWriter(log_dir=str(self.folder), flush_secs=FLUSH_SECONDS)

    def log_scalars(self, step: int, values: Mapping[str, float]) -> None:
        for tag, value in values.items():
            self.writer.add_scalar(tag, value, global_step=step)

    def log_result(self, evaluation: Any, images: Mapping[str, bytes]) -> None:
        from torch.utils.tensorboard.summary import hparams

        metrics = result_metrics(evaluation)
        table = {key: hparam_value(value) for key, value in {**evaluation.config, "seed": evaluation.seed}.items()}
        # hparams() writes the table into this run's own folder (SummaryWriter.add_hparams would open another)
        file_writer = self.writer.file_writer
        assert file_writer is not None  # SummaryWriter opens it when made
        for summary in hparams(table, metrics):
            file_writer.add_summary(summary)
        last = last_step(evaluation)
        for tag, value in metrics.items():
            self.writer.add_scalar(tag, value, global_step=last)
        for name, png in images.items():
            self.writer.add_image(f"figures/{name}", png_pixels(png), global_step=last, dataformats="HWC")
        self.writer.flush()

    def close(self, failed: bool = False) -> None:
        self.writer.close()
