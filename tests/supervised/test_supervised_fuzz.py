"""Property-based tests of the supervised readers: whatever the bytes, a result or one line.

Random bytes, truncations and mutations of small valid IDX files (raw and
gzipped) and of a small saved model (its ``config.json`` and its ``weights.pt``)
must end in a result or a :class:`~paradigms.errors.UserError` of one line, never
another exception, each within the deadline. A model that loads answers with
finite probabilities or refuses in one line: never "0 (nan% sure)".
"""

import gzip
import hashlib
import json
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paradigms.datasets.idx import IdxFile, idx_bytes, read_idx_file
from paradigms.errors import UserError
from paradigms.supervised.estimator import DigitClassifier

IMAGES = np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4)
VALID_IDX = {
    "raw": idx_bytes(IMAGES),
    "gz": gzip.compress(idx_bytes(IMAGES), mtime=0),
    "labels.gz": gzip.compress(idx_bytes(np.array([1, 2, 3], np.uint8)), mtime=0),
}
FUZZ = settings(max_examples=50, deadline=timedelta(seconds=2), database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def _one_line_or_result(call):
    try:
        return call()
    except UserError as exc:
        assert "\n" not in str(exc) and str(exc), repr(exc)
        return exc


def _read_idx(content: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "train-images-idx3-ubyte.gz"
        path.write_bytes(content)
        outcome = _one_line_or_result(lambda: read_idx_file(path))
    if isinstance(outcome, UserError):
        assert str(path) in str(outcome)
    else:
        assert isinstance(outcome, IdxFile) and outcome.array.nbytes <= 1100 * len(content) + 4096
    return outcome


@FUZZ
@given(st.binary(max_size=300))
def test_idx_random_bytes(content):
    _read_idx(content)


@FUZZ
@given(st.sampled_from(sorted(VALID_IDX)), st.data())
def test_idx_truncations(name, data):
    valid = VALID_IDX[name]
    cut = data.draw(st.integers(0, len(valid) - 1))
    assert isinstance(_read_idx(valid[:cut]), UserError)  # every byte of an IDX file is needed


@FUZZ
@given(st.sampled_from(sorted(VALID_IDX)), st.data())
def test_idx_mutations(name, data):
    content = bytearray(VALID_IDX[name])
    for _ in range(data.draw(st.integers(1, 4))):
        content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    content += data.draw(st.binary(max_size=8))
    _read_idx(bytes(content))


# -- a saved model ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 256, (60, 8, 8), dtype=np.uint8), np.arange(60) % 3
    clf = DigitClassifier(hidden_sizes=(4,), epochs=1, batch_size=30, validation_size=0, threads=1, random_state=0)
    return clf.fit(x, y).save(tmp_path_factory.mktemp("model") / "model")


def _load(saved: Path, config: bytes | None = None, weights: bytes | None = None, *, fix_checksum: bool = False):
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "model"
        shutil.copytree(saved, model)
        if weights is not None:
            (model / "weights.pt").write_bytes(weights)
            if fix_checksum:  # past the checksum, so that torch.load itself reads the bytes
                document = json.loads((model / "config.json").read_text())
                document["weights_sha256"] = hashlib.sha256(weights).hexdigest()
                (model / "config.json").write_text(json.dumps(document))
        if config is not None:
            (model / "config.json").write_bytes(config)
        loaded = _one_line_or_result(lambda: DigitClassifier.load(model))
        if isinstance(loaded, DigitClassifier):
            probe = np.linspace(0, 255, 2 * 64).reshape(2, 8, 8).astype(np.uint8)
            proba = _one_line_or_result(lambda: loaded.predict_proba(probe))
            assert isinstance(proba, UserError) or np.isfinite(proba).all()
        return loaded


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@FUZZ
@given(st.data())
def test_model_config_field_mutations(saved_model, data):
    config = json.loads((saved_model / "config.json").read_text())
    fields = sorted(config) + [f"params.{k}" for k in sorted(config["params"])]
    for name in data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3)):
        target, _, key = name.rpartition(".") if "." in name else ("", "", name)
        holder = config[target] if target else config
        if isinstance(holder, dict):  # "params" itself may have been replaced already
            holder[key] = data.draw(JSON_VALUES)
    text = json.dumps(config, allow_nan=True)
    _load(saved_model, config=text.encode())


@FUZZ
@given(st.data())
def test_model_config_bytes(saved_model, data):
    valid = (saved_model / "config.json").read_bytes()
    cut = data.draw(st.integers(0, len(valid)))
    _load(saved_model, config=valid[:cut] + data.draw(st.binary(max_size=20)))


@FUZZ
@given(st.data())
def test_model_weights_mutations(saved_model, data):
    weights = bytearray((saved_model / "weights.pt").read_bytes())
    if data.draw(st.booleans()):
        weights = weights[: data.draw(st.integers(0, len(weights)))]
    for _ in range(data.draw(st.integers(0, 6))):
        if weights:
            weights[data.draw(st.integers(0, len(weights) - 1))] = data.draw(st.integers(0, 255))
    _load(saved_model, weights=bytes(weights), fix_checksum=data.draw(st.booleans()))
