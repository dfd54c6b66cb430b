"""The machine's load, printed beside every timing: the machine may be shared, and a figure
means little without the load it was measured under.

The scripts import it as ``from machine_load import load_line``: run as
``python benchmarks/NAME.py``, a script has this folder first on its path.

>>> load_line().startswith("load ")
True
"""

from __future__ import annotations

import os


def load_line() -> str:
    """``load 1.2 (1 min), 0.9 (5 min), 0.7 (15 min) on 2 cores``; ``load unknown ...`` where
    the platform keeps no load average."""
    cores = os.cpu_count() or 0
    try:
        one, five, fifteen = os.getloadavg()
    except (OSError, AttributeError):  # not on every platform
        return f"load unknown on {cores} cores"
    return f"load {one:.1f} (1 min), {five:.1f} (5 min), {fifteen:.1f} (15 min) on {cores} cores"
