"""Property-based tests of the JSON the toolkit reads back: an evaluation file and results.json.

Random bytes, truncations and mutations of valid files (field values replaced
by any JSON) must end in a result or a :class:`~paradigms.errors.UserError` of one
line naming the file, never another exception, each within the deadline.
"""

import json
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report.report_helpers import make_evaluation

from paradigms import Evaluation
from paradigms.errors import UserError
from paradigms.report import Comparison

VALID_EVALUATION = make_evaluation("beta", gif=True).to_json(indent=None)
VALID_RESULTS = json.dumps({
    "format": "learning-paradigms/results", "version": 1,
    "evaluations": [json.loads(VALID_EVALUATION), make_evaluation("alpha").to_dict()],
    "failures": [{"paradigm": "gamma", "seed": 0, "error": "boom", "traceback": ""}],
    "paradigms": {}, "run": {"seeds": [0]},
})
FUZZ = settings(max_examples=40, deadline=timedelta(seconds=2), database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
READERS = {"evaluation.json": Evaluation.load, "results.json": Comparison.load}


def _read(name: str, content: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            return READERS[name](path)
        except UserError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc), repr(exc)
            return exc


def _paths(value, prefix=()):
    """Every place in a JSON value, as a tuple of keys and indexes."""
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, (*prefix, key))


VALID = {"evaluation.json": VALID_EVALUATION, "results.json": VALID_RESULTS}


@FUZZ
@given(st.sampled_from(sorted(READERS)), st.binary(max_size=200))
def test_random_bytes(name, content):
    assert isinstance(_read(name, content), UserError)


@FUZZ
@given(st.sampled_from(sorted(READERS)), st.data())
def test_truncations(name, data):
    valid = VALID[name].encode()
    assert isinstance(_read(name, valid[: data.draw(st.integers(0, len(valid) - 1))]), UserError)


@FUZZ
@given(st.sampled_from(sorted(READERS)), st.data())
def test_field_mutations(name, data):
    document = json.loads(VALID[name])
    places = [p for p in _paths(document) if p]
    for place in data.draw(st.lists(st.sampled_from(places), min_size=1, max_size=3)):
        holder = document
        try:
            for key in place[:-1]:
                holder = holder[key]
            holder[place[-1]] = data.draw(JSON_VALUES)
        except (KeyError, IndexError, TypeError):  # an earlier mutation replaced the way there
            continue
    _read(name, json.dumps(document, allow_nan=True).encode())
