"""The validation slice (validation.py): one table of caps, honoured by every source."""

from fractions import Fraction

import numpy as np
import pytest

from paradigms.supervised import validation
from paradigms.supervised.validation import (
    VALIDATION_CAPS,
    holdout,
    validation_cap,
    validation_split,
)


def test_each_source_has_its_cap_and_the_cap_rounds_down():
    assert set(VALIDATION_CAPS) == {"digits", "folder", "table"}
    assert [validation_cap(99, s) for s in ("digits", "folder", "table")] == [19, 9, 19]


def test_a_count_above_the_digits_cap_shrinks_to_it_with_a_warning_and_a_note():
    with pytest.warns(UserWarning, match="too much of the training data"):
        keep, held, note = holdout(1437, 2000, seed=0)
    assert len(held) == 287 and len(keep) == 1437 - 287
    assert "shrunk from 2000 to 287" in note
    assert holdout(1437, 287, seed=0)[2] == ""  # at the cap: nothing to say


def test_own_data_is_capped_by_its_source():
    labels = np.repeat(np.arange(4), 50)  # 200 examples, four classes
    _, folder_held, note = validation_split(labels, 200, 5000, seed=0, source="folder")
    _, table_held, _ = validation_split(labels, 200, 5000, seed=0, source="table")
    assert len(folder_held) == 20 and len(table_held) == 40
    assert "at most 10%" in note
    _, few, note = validation_split(labels, 200, 8, seed=0, source="table")  # below the cap: as asked
    assert len(few) == 8 and "at most" not in note


def test_the_caps_are_read_from_the_one_table(monkeypatch):
    # No source keeps a cap of its own: changing the table changes every slice.
    monkeypatch.setitem(validation.VALIDATION_CAPS, "digits", Fraction(1, 10))
    monkeypatch.setitem(validation.VALIDATION_CAPS, "table", Fraction(1, 2))
    with pytest.warns(UserWarning):
        assert len(holdout(100, 50, seed=0)[1]) == 10
    assert len(validation_split(None, 100, 80, seed=0, source="table")[1]) == 50
