"""Shared fixtures of the unsupervised tests: one generated log, written and read once."""

from __future__ import annotations

import pytest
from log_samples import MESSY_LOG

from paradigms.unsupervised.features import load_customers
from paradigms.unsupervised.generator import generate_transactions


@pytest.fixture
def messy_csv(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY_LOG)
    return path


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """A 1,200-customer generated log, its CSV and its per-customer features (read once)."""
    log = generate_transactions(1200, seed=3)
    path = log.write(tmp_path_factory.mktemp("generated") / "log.csv")
    data = load_customers(path)
    truth = log.personas.set_index("customer_id")["persona"].reindex(data.features.index)
    return log, path, data, truth
