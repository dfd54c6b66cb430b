"""One place to seed every source of randomness.

The same seed must give the same numbers: :func:`seed_everything` seeds
Python's ``random``, NumPy's global generator and PyTorch (CPU and CUDA), and
asks PyTorch for deterministic algorithms where that costs little. Code that
draws random numbers should still take an explicit generator made by
:func:`numpy_rng` or :func:`torch_generator` from the run's seed, and
environments and data splits take the seed as an argument.

>>> seed_everything(7)
7
>>> first = np.random.random()
>>> _ = seed_everything(7)
>>> first == np.random.random()
True
>>> numpy_rng(7).random() == numpy_rng(7).random() != numpy_rng(7, 1).random()
True
"""

from __future__ import annotations

import os
import random
import sys

import numpy as np

from .errors import ConfigError

MAX_SEED = 2**32 - 1


def check_seed(seed: int) -> int:
    """Return ``seed`` as an int in [0, 2**32 - 1], or raise a ConfigError."""
    try:
        value = int(seed)
    except (TypeError, ValueError):
        raise ConfigError(f"seed = {seed!r} is not an integer") from None
    if value != seed or not 0 <= value <= MAX_SEED:
        raise ConfigError(f"seed = {seed!r} must be an integer between 0 and {MAX_SEED}")
    return value


def seed_everything(seed: int) -> int:
    """Seed Python, NumPy and PyTorch.

    PyTorch is seeded only when it is already imported: importing it costs a
    second or more, which paradigms that never use it (Q-learning, clustering)
    should not pay. Code that uses torch seeds its own generators from the run's
    seed (:func:`torch_generator`, or ``torch.manual_seed`` after its import).
    """
    seed = check_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    torch = sys.modules.get("torch")
    if torch is None:
        return seed
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    return seed


def numpy_rng(seed: int, *streams: int) -> np.random.Generator:
    """A NumPy generator for ``seed``; extra ``streams`` numbers give independent
    sub-streams (e.g. ``numpy_rng(seed, 1)`` for the evaluation environment)."""
    return np.random.default_rng([check_seed(seed), *streams])


def torch_generator(seed: int, device: str = "cpu"):
    """A ``torch.Generator`` seeded with ``seed``."""
    import torch  # start-up time: only the paradigms that compute with torch pay for it

    generator = torch.Generator(device=device)
    generator.manual_seed(check_seed(seed))
    return generator
