"""Saved agents: JSON settings plus NumPy weights; nothing unpickled; hostile files refused in one line."""

import io
import json
import os
import zipfile
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paradigms.errors import ConfigError, DataError, UserError
from paradigms.reinforcement import DQNAgent, PPOAgent, QLearningAgent, SACAgent, load_agent


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


# -- hostile files (issue 14): bounded before reading, refused in one line naming file and field ----------


def _write_npz(path, members: dict[str, bytes], compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(f"{name}.npy", data)


def _npy(array=None, *, header_shape=None, dtype="<f8") -> bytes:
    stream = io.BytesIO()
    if array is not None:
        np.lib.format.write_array(stream, np.asarray(array), allow_pickle=False)
    else:
        header = {"descr": dtype, "fortran_order": False, "shape": header_shape}
        np.lib.format.write_array_header_1_0(stream, header)
        stream.write(b"\0" * 64)
    return stream.getvalue()


def _load_error(folder) -> str:
    with pytest.raises(UserError) as error:
        load_agent(folder)
    message = str(error.value)
    assert "\n" not in message and str(folder) in message, message
    return message


def test_a_zip_bomb_is_refused_before_it_is_expanded(saved):
    _, folder = saved  # a 16 x 4 table takes 512 bytes; this entry expands to 8 MB of zeros
    _write_npz(folder / "weights.npz", {"q_table": _npy(np.zeros((1024, 1024)))}, zipfile.ZIP_DEFLATED)
    assert (folder / "weights.npz").stat().st_size < 100_000
    assert "expands to 8388736 bytes" in _load_error(folder)


def test_a_zip_entry_claiming_more_than_deflate_can_expand_is_refused(saved):
    _, folder = saved
    path = folder / "weights.npz"
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")  # the central directory's entry: uncompressed size at +24
    data[central + 24 : central + 28] = (2**31).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert "claims to expand to 2147483648 bytes" in _load_error(folder)


def test_an_npy_header_claiming_a_huge_array_is_refused_before_its_data(saved):
    _, folder = saved
    _write_npz(folder / "weights.npz", {"q_table": _npy(header_shape=(10**12, 4))})
    assert "has shape (1000000000000, 4)" in _load_error(folder)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_q_table_with_nan_or_inf_is_refused(saved, bad):
    agent, folder = saved
    table = agent.q_table_.copy()
    table[3, 1] = bad
    np.savez(folder / "weights.npz", q_table=table)
    assert "'q_table' holds NaN or infinite values" in _load_error(folder)


def test_network_weights_with_nan_are_refused(tmp_path):
    folder = PPOAgent("CartPole-v1", seed=0).save(tmp_path / "ppo")
    with np.load(folder / "weights.npz") as data:
        weights = data["networks"].copy()
    weights[7] = np.nan
    np.savez(folder / "weights.npz", networks=weights)
    assert "'networks' holds NaN" in _load_error(folder)


def test_arrays_the_agent_does_not_expect_are_refused(saved):
    agent, folder = saved
    np.savez(folder / "weights.npz", q_table=agent.q_table_, payload=np.zeros(3))
    assert "'payload' not expected" in _load_error(folder)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"params": {"env": "FrozenLake-v1", "max_episode_steps": -5}}, "max_episode_steps = -5 must be"),
        ({"params": {"env": "FrozenLake-v1", "seed": -1}}, "seed = -1 must be"),
        ({"params": {"env": "FrozenLake-v1", "env_kwargs": [1, 2]}}, "env_kwargs = [1, 2] must be a mapping"),
        ({"params": {"env": "FrozenLake-v1", "learning_rate": "NaN"}}, "learning_rate = nan is not a finite number"),
        ({"params": ["env", "FrozenLake-v1"]}, "field 'params' must be a JSON object"),
        ({"trained": {"steps": -1, "episodes": 0}}, "trained.steps = -1 must be"),
        ({"trained": {"steps": 10, "episodes": 1e30}}, "trained.episodes = 1e+30 must be"),
    ],
)
def test_nonsense_in_agent_json_is_refused_naming_the_field(saved, change, needle):
    _, folder = saved
    meta = json.loads((folder / "agent.json").read_text())
    (folder / "agent.json").write_text(json.dumps({**meta, **change}))
    assert needle in _load_error(folder)


def test_a_tiny_weights_file_cannot_make_us_build_huge_networks(tmp_path):
    folder = DQNAgent("CartPole-v1", seed=0, hidden=(8,)).save(tmp_path / "dqn")
    meta = json.loads((folder / "agent.json").read_text())
    meta["params"]["hidden"] = [4096, 4096, 4096]
    (folder / "agent.json").write_text(json.dumps(meta))
    assert "needs at least 134217728 bytes of weights" in _load_error(folder)


def test_oversized_or_deeply_nested_agent_json_is_refused(saved):
    _, folder = saved
    (folder / "agent.json").write_text("[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in _load_error(folder)
    (folder / "agent.json").write_text(" " * 2_000_000 + "{}")
    assert "more than the 1,000,000 a saved agent may hold" in _load_error(folder)


def test_a_fifo_or_a_folder_where_a_file_belongs_is_refused_without_reading(saved):
    _, folder = saved
    (folder / "weights.npz").unlink()
    (folder / "weights.npz").mkdir()
    with pytest.raises(ConfigError, match="weights.npz: is a folder"):
        load_agent(folder)
    (folder / "agent.json").unlink()
    os.mkfifo(folder / "agent.json")  # reading it would wait forever
    with pytest.raises(ConfigError, match="agent.json: is a special file"):
        load_agent(folder)


#: One small trained agent of every kind: the table, DQN, PPO (Gaussian, with its saved
#: observation statistics) and SAC (twin critics and their targets).
AGENT_FILES = {
    "qlearning": lambda: QLearningAgent("FrozenLake-v1", seed=0).learn(300),
    "dqn": lambda: DQNAgent("CartPole-v1", seed=0, learning_starts=100).learn(300),
    "ppo": lambda: PPOAgent("Pendulum-v1", seed=0, n_envs=2, n_steps=64, batch_size=64,
                            normalize_observations=True).learn(256),
    "sac": lambda: SACAgent("Pendulum-v1", seed=0, learning_starts=100, batch_size=32).learn(300),
}


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory):
    files = {}
    for kind, train in AGENT_FILES.items():
        folder = train().save(tmp_path_factory.mktemp("valid") / kind)
        files[kind] = {name: (folder / name).read_bytes() for name in ("agent.json", "weights.npz")}
    return files


@settings(max_examples=160, deadline=timedelta(seconds=5), database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(AGENT_FILES)),
    which=st.sampled_from(["agent.json", "weights.npz"]),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_mutated_agent_files_load_or_fail_in_one_line(valid_files, tmp_path, kind, which, edits, cut):
    """Flipped bytes and truncations of a valid saved agent of each kind: an agent or a one-line UserError."""
    folder = tmp_path / "mutant"
    folder.mkdir(exist_ok=True)
    files = dict(valid_files[kind])
    data = bytearray(files[which])
    for where, value in edits:
        data[min(int(where * len(data)), len(data) - 1)] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    files[which] = bytes(data)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    try:
        agent = load_agent(folder)
    except UserError as error:
        assert "\n" not in str(error)
    else:
        assert all(np.isfinite(weights).all() for weights in agent._weights().values())
        if kind != "qlearning":  # a loaded network answers a (zero) observation with finite actions
            actions = agent.predict(np.zeros((1, agent.spaces_.obs_dim), dtype=np.float32))
            assert np.isfinite(np.asarray(actions, dtype=float)).all()


#: ``agent.json`` as the code before EnvSpec wrote it (the environment as three constructor arguments:
#: ``env``, ``env_kwargs``, ``max_episode_steps``), for an agent that has trained 300 steps.
AGENT_JSON_BEFORE_ENV_SPEC = {
    "format": "learning-paradigms/agent",
    "version": 1,
    "agent": "qlearning",
    "params": {
        "env": "FrozenLake-v1", "epsilon_start": 1.0, "epsilon_end": 0.05, "exploration_fraction": 0.5,
        "learning_rate": 0.1, "gamma": 0.99, "env_kwargs": {"is_slippery": False, "map_name": "4x4"},
        "max_episode_steps": 40, "seed": 3,
    },
    "spaces": {"observation": "Discrete(16)", "action": "Discrete(4)"},
    "trained": {"steps": 300, "episodes": 38},
}


def test_an_agent_saved_before_env_spec_loads_with_its_options_and_episode_cap(tmp_path):
    from paradigms.reinforcement import EnvSpec

    folder = tmp_path / "old-agent"
    folder.mkdir()
    (folder / "agent.json").write_text(json.dumps(AGENT_JSON_BEFORE_ENV_SPEC, indent=2))
    q_table = np.zeros((16, 4))
    q_table[:, 0] = 1.0  # always left: on the solid lake it walks into the wall until the cap ends the episode
    np.savez(folder / "weights.npz", q_table=q_table)
    agent = load_agent(folder)
    assert agent.env_spec == EnvSpec("FrozenLake-v1", {"is_slippery": False, "map_name": "4x4"}, 40)
    assert np.array_equal(agent.q_table_, q_table) and (agent.steps_done_, agent.episodes_done_) == (300, 38)
    assert agent.evaluate(3, seed=0).lengths.tolist() == [40] * 3
    again = json.loads((agent.save(tmp_path / "again") / "agent.json").read_text())
    assert again == AGENT_JSON_BEFORE_ENV_SPEC  # and the format written is the same
