"""Saved agents: JSON settings plus NumPy weights; nothing unpickled; clear errors."""

import json

import numpy as np
import pytest

from paradigms.errors import ConfigError, DataError
from paradigms.reinforcement import DQNAgent, QLearningAgent, load_agent


@pytest.fixture
def saved(tmp_path):
    agent = QLearningAgent("FrozenLake-v1", seed=0).learn(500)
    return agent, agent.save(tmp_path / "agent")


def test_the_folder_holds_readable_json_and_plain_arrays(saved):
    agent, folder = saved
    meta = json.loads((folder / "agent.json").read_text())
    assert meta["agent"] == "qlearning" and meta["params"]["env"] == "FrozenLake-v1"
    assert meta["trained"] == {"steps": 500, "episodes": agent.episodes_done_}
    with np.load(folder / "weights.npz", allow_pickle=False) as weights:
        assert np.array_equal(weights["q_table"], agent.q_table_)


def test_missing_folder_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no saved agent here"):
        load_agent(tmp_path / "nothing")


def test_corrupt_json_is_a_data_error(saved):
    _, folder = saved
    (folder / "agent.json").write_text("{not json")
    with pytest.raises(DataError, match="not valid JSON"):
        load_agent(folder)


def test_foreign_json_is_a_data_error(saved):
    _, folder = saved
    (folder / "agent.json").write_text(json.dumps({"format": "something else"}))
    with pytest.raises(DataError, match="not a saved agent"):
        load_agent(folder)


def test_pickled_weights_are_refused(saved):
    _, folder = saved
    np.savez(folder / "weights.npz", q_table=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(DataError, match="cannot be read"):
        load_agent(folder)


def test_weights_of_the_wrong_shape_are_refused(saved):
    _, folder = saved
    np.savez(folder / "weights.npz", q_table=np.zeros((3, 3)))
    with pytest.raises(DataError, match="shape"):
        load_agent(folder)


def test_loading_as_the_wrong_class_says_what_is_there(saved):
    _, folder = saved
    with pytest.raises(ConfigError, match="holds a qlearning agent, not a dqn one"):
        DQNAgent.load(folder)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"params": {"env": "FrozenLake-v1", "exploit_me": 1}}, "unknown setting 'exploit_me'"),
        ({"params": {"env": "FrozenLake-v1", "gamma": 7}}, "gamma = 7"),
        ({"agent": "sarsa"}, "agent named 'sarsa'"),
    ],
)
def test_hostile_or_broken_settings_are_a_data_error_naming_the_file(saved, change, needle):
    _, folder = saved
    meta = json.loads((folder / "agent.json").read_text())
    (folder / "agent.json").write_text(json.dumps({**meta, **change}))
    with pytest.raises(DataError, match=needle) as error:
        load_agent(folder)
    assert str(folder) in str(error.value)
