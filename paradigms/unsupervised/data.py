"""The run's data: the user's file or a generated log, read the same way, and the groups known.

Without ``--data`` a seeded generator (:mod:`.generator`) writes a year of a
gift shop as a CSV in the online-retail layout; that file then goes through
exactly the path a user's file takes (:func:`~.features.load_customers`: read
and clean with a data-quality summary, per-customer features). The generator's
hidden personas, or a label column the user names, are the known groups the
segments are scored against; they are never used for fitting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..evaluation import DatasetInfo
from ..files import sha256_of
from ..progress import Progress
from .features import CustomerData, load_customers
from .generator import PERSONAS, generate_transactions
from .settings import UnsupervisedSettings

GENERATED_FILE = "generated_transactions.csv"
PERSONAS_FILE = "generated_personas.csv"
#: Files larger than this are not checksummed (reading them twice would cost more than it tells).
CHECKSUM_LIMIT = 4 << 30


@dataclass(frozen=True)
class RunData:
    """What one run learns from: the customers, the groups known about them (if any), where they came from."""

    customers: CustomerData
    truth: pd.Series | None
    truth_source: str | None
    dataset: DatasetInfo
    timings: dict[str, float]


def load_run_data(
    settings: UnsupervisedSettings, seed: int, folder: Path, progress: Progress
) -> RunData:
    """Generate a log into ``folder`` (without ``settings.data``), read the file, describe it.

    The generated log (and its personas, when ``output_dir`` is set) is written
    into ``folder``: the output folder (``paradigms.run`` stages it, and points
    every path at where the files end up), or a temporary one the caller removes.
    """
    timings: dict[str, float] = {}
    personas = None
    if settings.data is None:
        start = time.perf_counter()
        progress.note(f"generating a transaction log of {settings.customers:,} customers")
        log = generate_transactions(settings.customers, seed=seed)
        path = log.write(folder / GENERATED_FILE)
        if settings.output_dir is not None:
            (folder / PERSONAS_FILE).write_text(log.personas.to_csv(index=False), encoding="utf-8")
        timings["generate_seconds"] = time.perf_counter() - start
        personas = log.personas.set_index("customer_id")["persona"]
        name = f"generated online-retail log ({len(PERSONAS)} hidden personas)"
        source = f"paradigms.unsupervised.generator, seed {seed}, {settings.customers:,} customers, read back from CSV"
    else:
        path = Path(settings.data).expanduser()
        name, source = path.name, str(path)
    start = time.perf_counter()
    data = load_customers(
        path, kind=settings.kind, columns=settings.columns, date_format=settings.date_format,
        id_column=settings.id_column, label_column=settings.label_column, features=settings.feature_list(),
        engine=settings.engine, memory_limit=settings.memory_limit, spill_dir=folder, progress=progress,
    )
    timings["read_features_seconds"] = time.perf_counter() - start
    if settings.data is None:  # name the file where it stays (or say it is temporary)
        shown = f"{GENERATED_FILE} (temporary)" if settings.output_dir is None else str(folder / GENERATED_FILE)
        data = replace(data, quality=replace(data.quality, source=shown))
    truth, truth_source = None, None
    if settings.label_column:
        truth, truth_source = data.labels, settings.label_column
    elif personas is not None:
        truth, truth_source = personas.reindex(data.features.index), "generator personas"
    quality = data.quality
    dataset = DatasetInfo(
        name=name,
        source=source,
        sizes={"rows_read": quality.rows_read, "rows_used": quality.rows_used, "customers": data.n_customers,
               "features": data.features.shape[1]},
        checksums={path.name: sha256_of(path)} if path.stat().st_size < CHECKSUM_LIMIT else {},
        notes="; ".join([quality.kind, *(f"{i.name}: {i.rows:,}" for i in quality.issues if i.rows),
                         *([data.reader] if data.reader else [])]),
    )
    return RunData(data, truth, truth_source, dataset, timings)
