"""Data augmentation: new training examples made from old ones, for free labels.

A digit moved a pixel or two is still the same digit. :class:`RandomShift` moves
every image of a batch by its own random offset (up to ``max_shift`` pixels in
each direction), filling the uncovered border with the background value. The
network then cannot rely on exact pixel positions and generalizes better.
Validation and test images are never shifted.

Speed: the training images are padded once (:meth:`RandomShift.prepare`); a batch
is then cut out of the padded images with one slice per offset (at most
``(2 * max_shift + 1) ** 2`` of them), with no per-image Python.

>>> import torch
>>> shift = RandomShift((3, 3), max_shift=1, fill=0.0)
>>> image = torch.zeros(1, 9); image[0, 4] = 1.0  # one lit pixel in the middle of a 3x3 image
>>> moved, order = shift.take(shift.prepare(image), torch.tensor([0]), torch.Generator().manual_seed(0))
>>> moved.shape, moved.sum().item(), order.tolist()
(torch.Size([1, 9]), 1.0, [0])
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


class RandomShift:
    """Translate each flattened ``(height, width)`` training image by a random offset."""

    def __init__(self, image_shape: tuple[int, int], max_shift: int, fill: float) -> None:
        self.height, self.width = (int(v) for v in image_shape)
        self.max_shift = int(max_shift)
        self.fill = float(fill)

    def prepare(self, x: torch.Tensor) -> torch.Tensor:
        """``(n, height * width)`` images -> ``(n, height + 2s, width + 2s)``, padded with ``fill``."""
        s = self.max_shift
        return F.pad(x.reshape(len(x), self.height, self.width), (s, s, s, s), value=self.fill).contiguous()

    def take(
        self, padded: torch.Tensor, batch: torch.Tensor, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(shifted images ``(len(batch), height * width)``, ``batch`` in their order).

        The images come grouped by offset, so the labels must be taken in the
        returned order; within a batch, order does not matter to the gradient.
        """
        side = 2 * self.max_shift + 1
        offset = torch.randint(0, side * side, (len(batch),), generator=generator)
        order = torch.argsort(offset)
        counts = torch.bincount(offset, minlength=side * side).tolist()
        batch = batch[order.to(batch.device)]
        parts, start = [], 0
        for code, count in enumerate(counts):
            if count:
                dy, dx = divmod(code, side)
                window = padded[batch[start : start + count], dy : dy + self.height, dx : dx + self.width]
                parts.append(window.reshape(count, -1))
                start += count
        return torch.cat(parts), batch
