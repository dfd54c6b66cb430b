"""What the command line prints about runs: a few lines per evaluation, warnings on one line.

>>> import pandas as pd
>>> from paradigms.evaluation import DatasetInfo, Evaluation, Measure
>>> ev = Evaluation(
...     paradigm="coin", task="guess a coin's bias", experience="flips",
...     measure=Measure(name="1 - error", value=0.95, baseline=0.5, best=1.0),
...     curve=pd.DataFrame({"experience": [10, 20], "performance": [0.8, 0.95]}),
...     dataset=DatasetInfo(name="simulated coin", source="numpy"), seed=3)
>>> print(summarize(ev))
coin: 1 - error = 0.95 (baseline 0.5, best 1; normalized score 0.900)
  T: guess a coin's bias
  E: flips; 2 points on the learning curve
  data: simulated coin (numpy)
>>> seed_line(ev)
'coin seed 3: 1 - error = 0.95 (0.0 s)'
"""

from __future__ import annotations

from typing import Any

from .commands import PROG
from .evaluation import Evaluation
from .untrusted import safe_text

#: Control characters (C0, DEL, C1) written out before a message reaches the terminal: a file
#: name holding a newline or an ESC sequence must not break the line or retitle the window.
_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROLS.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def terminal_safe(text: str) -> str:
    """``text`` with every control character (and lone surrogate) written out, for one line on a terminal.

    >>> terminal_safe("bad\\x1b]0;owned\\x07 name\\n.csv")
    'bad\\\\x1b]0;owned\\\\x07 name\\\\n.csv'
    """
    return safe_text(str(text)).translate(_CONTROLS)


def summarize(evaluation: Evaluation) -> str:
    """A short human summary of one evaluation: P beside its floor and ceiling, T, E, the data."""
    m = evaluation.measure
    spread = f" ± {m.std:.3g}" if m.std is not None else ""
    data = evaluation.dataset
    data_line = f"{data.name} ({data.source})" + (" [FALLBACK: the real data set was unavailable]" if data.fallback else "")
    total = evaluation.timings.get("total_seconds")
    lines = [
        f"{evaluation.paradigm}: {m.name} = {m.value:.4g}{spread} "
        f"(baseline {m.baseline:.4g}, best {m.best:.4g}; normalized score {evaluation.normalized_score:.3f})",
        f"  T: {evaluation.task}",
        f"  E: {evaluation.experience}; {len(evaluation.curve)} points on the learning curve",
        f"  data: {data_line}",
    ]
    if total is not None:
        lines.append(f"  time: {total:.1f} s")
    return "\n".join(lines)


def seed_line(evaluation: Evaluation) -> str:
    """One line per run when a comparison runs several seeds."""
    total = evaluation.timings.get("total_seconds", 0.0)
    return (f"{evaluation.paradigm} seed {evaluation.seed}: {evaluation.measure.name} = "
            f"{evaluation.measure.value:.4g} ({total:.1f} s)")


def one_line_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> str:
    """Warnings on the command line read as one line, without a source excerpt
    (a replacement for :func:`warnings.formatwarning`)."""
    return f"{PROG}: warning: {terminal_safe(str(message))}\n"
