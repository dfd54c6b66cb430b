import json
import subprocess
import sys
from dataclasses import dataclass

import numpy as np
import pytest
import torch

from paradigms import ConfigError, Settings, seed_everything, setting
from paradigms.seeding import check_seed, numpy_rng


@dataclass(frozen=True)
class Example(Settings):
    epochs: int = setting(5, "passes over the data", min=1, quick=1)
    lr: float = setting(0.01, "learning rate", min=0, min_inclusive=False)
    hidden: tuple[int, ...] = setting((64, 32), "hidden widths", min=1)
    optimizer: str = setting("adam", "optimizer", choices=("adam", "sgd"))
    shuffle: bool = setting(True, "shuffle each epoch")
    limit: int | None = setting(None, "use at most this many examples", min=1)


def test_strings_from_the_command_line_are_converted():
    s = Example.from_overrides({"epochs": "3", "lr": "1e-3", "hidden": "128,64,10", "shuffle": "no", "limit": "none"})
    assert (s.epochs, s.lr, s.hidden, s.shuffle, s.limit) == (3, 1e-3, (128, 64, 10), False, None)


def test_quick_values_then_overrides():
    assert Example.from_overrides(quick=True).epochs == 1
    assert Example.from_overrides({"epochs": 7}, quick=True).epochs == 7


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"epochs": "0"}, "epochs = 0 is out of range"),
        ({"epochs": "2.5"}, "not a valid int"),
        ({"lr": "0"}, "must be > 0"),
        ({"lr": "fast"}, "not a valid float"),
        ({"optimizer": "adma"}, "did you mean adam"),
        ({"hidden": "64,0"}, "hidden = 0 is out of range"),
        ({"hidden": "64,x"}, "hidden = 'x' is not a valid int"),
        ({"epoch": "3"}, "did you mean epochs"),
    ],
)
def test_nonsense_settings_get_a_clear_message(overrides, message):
    with pytest.raises(ConfigError, match=message):
        Example.from_overrides(overrides)


def test_settings_become_plain_json_and_the_report_s_table():
    s = Example.from_overrides({"hidden": "128,64", "limit": "5"})
    assert json.loads(json.dumps(s.to_dict())) == {
        "epochs": 5, "lr": 0.01, "hidden": [128, 64], "optimizer": "adam", "shuffle": True, "limit": 5,
    }
    rows = {row["name"]: row for row in Example.describe()}
    assert list(rows) == ["epochs", "lr", "hidden", "optimizer", "shuffle", "limit"]
    assert (rows["hidden"]["type"], rows["limit"]["type"]) == ("int,...", "int|none")
    assert rows["epochs"]["help"] == "passes over the data" and rows["hidden"]["default"] == (64, 32)


def test_same_seed_same_numbers():
    seed_everything(11)
    first = (np.random.rand(3), torch.rand(3), numpy_rng(11).random(3))
    seed_everything(11)
    second = (np.random.rand(3), torch.rand(3), numpy_rng(11).random(3))
    np.testing.assert_array_equal(first[0], second[0])
    assert torch.equal(first[1], second[1])
    np.testing.assert_array_equal(first[2], second[2])
    assert not np.array_equal(numpy_rng(11, 1).random(3), numpy_rng(11).random(3))


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "x"])
def test_bad_seed_is_refused(bad):
    with pytest.raises(ConfigError, match="seed"):
        check_seed(bad)


def test_seeding_does_not_import_torch_for_paradigms_that_do_not_use_it():
    code = "import sys; from paradigms import seed_everything; seed_everything(1); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_infinite_values_and_endless_lists_are_refused_saying_what_is_wrong():
    from paradigms.supervised.settings import SupervisedSettings

    with pytest.raises(ConfigError, match=r"weight_decay = inf is not a finite number: give a number \(L2 penalty"):
        SupervisedSettings.from_overrides({"weight_decay": "inf"})
    with pytest.raises(ConfigError, match="learning_rate = -inf is not a finite number"):
        SupervisedSettings.from_overrides({"learning_rate": "-inf"})
    with pytest.raises(ConfigError, match="hidden_sizes has 1,000 values: give at most 256"):
        SupervisedSettings.from_overrides({"hidden_sizes": ",".join(["8"] * 1000)})
    for name, value in (("hidden_sizes", "10000000"), ("epochs", "1e9"), ("batch_size", "1e8"), ("threads", "1e6")):
        with pytest.raises(ConfigError, match=f"{name} = {int(float(value))} is out of range: must be <="):
            SupervisedSettings.from_overrides({name: value})
