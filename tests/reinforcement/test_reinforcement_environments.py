"""Environment ids, spaces and the choice of agent: the errors a user meets first."""

import numpy as np
import pytest

from paradigms.errors import ConfigError
from paradigms.reinforcement.agents import choose_agent
from paradigms.reinforcement.environments import EnvSpec, check_env_id
from paradigms.reinforcement.settings import parse_env_kwargs
from paradigms.reinforcement.spaces import encode_observations


@pytest.mark.parametrize(
    ("env_id", "suggestion"),
    [
        ("Taxi-v3", "Taxi-v4"),
        ("CliffWalking-v0", "CliffWalking-v1"),
        ("CartPol-v1", "CartPole-v1"),
        ("cartpole-v1", "CartPole-v1"),
        ("CartPole", "CartPole-v1"),
        ("FrozenLake-v0", "FrozenLake-v1"),
    ],
)
def test_unknown_or_deprecated_ids_suggest_the_registered_one(env_id, suggestion):
    with pytest.raises(ConfigError) as info:
        check_env_id(env_id)
    message = str(info.value)
    assert suggestion in message and "\n" not in message
    assert ("deprecated" in message) == (env_id in ("Taxi-v3", "CliffWalking-v0", "FrozenLake-v0"))


def test_nonsense_id_lists_examples():
    with pytest.raises(ConfigError, match="unknown environment 'Zzzqqq-v0'"):
        check_env_id("Zzzqqq-v0")


def test_registered_id_passes():
    assert check_env_id("CartPole-v1") == "CartPole-v1"


def test_continuous_actions_are_refused_by_discrete_agents_with_a_clear_message():
    info = EnvSpec("Pendulum-v1").spaces()
    with pytest.raises(ConfigError, match="continuous actions") as error:
        choose_agent(info, "dqn")
    assert "Discrete" in str(error.value) and "--agent sac" in str(error.value)
    assert choose_agent(info, "auto") == "sac"


def test_table_agent_refuses_vector_states():
    with pytest.raises(ConfigError, match="use --agent dqn or --agent ppo"):
        choose_agent(EnvSpec("CartPole-v1").spaces(), "qlearning")


def test_auto_picks_a_table_for_discrete_states_and_a_network_otherwise():
    assert choose_agent(EnvSpec("FrozenLake-v1").spaces()) == "qlearning"
    assert choose_agent(EnvSpec("CartPole-v1").spaces()) == "ppo"
    assert choose_agent(EnvSpec("CartPole-v1").spaces(), "dqn") == "dqn"
    assert choose_agent(EnvSpec("FrozenLake-v1").spaces(), "ppo") == "ppo"  # one-hot states for a network


def test_tuple_of_discrete_states_is_a_table_and_one_hot_for_networks():
    info = EnvSpec("Blackjack-v1").spaces()
    assert info.n_states == 32 * 11 * 2 and info.obs_dim == 32 + 11 + 2
    encoded = encode_observations((np.array([3, 31]), np.array([10, 0]), np.array([1, 0])), info)
    assert encoded.shape == (2, 45)
    assert encoded.sum(axis=1).tolist() == [3.0, 3.0]
    assert encoded[0, 3] == 1 and encoded[0, 32 + 10] == 1 and encoded[0, 43 + 1] == 1


def test_discrete_states_are_one_hot_encoded():
    info = EnvSpec("FrozenLake-v1").spaces()
    encoded = encode_observations(np.array([0, 15]), info)
    assert encoded.shape == (2, 16)
    assert encoded[0, 0] == 1 and encoded[1, 15] == 1 and encoded.sum() == 2


def test_env_kwargs_are_parsed_as_json_where_they_can_be():
    assert parse_env_kwargs(("is_slippery=false", "map_name=8x8", "n=3")) == {
        "is_slippery": False, "map_name": "8x8", "n": 3,
    }
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_env_kwargs(("no-equals-sign",))


def test_bad_env_kwargs_become_one_line_errors():
    with pytest.raises(ConfigError, match="does not accept these env_kwargs"):
        EnvSpec("FrozenLake-v1", {"slippery_typo": False}).make()


def test_environments_without_a_limit_get_a_cap():
    assert EnvSpec("CliffWalking-v1").episode_cap == 1000
    assert EnvSpec("CartPole-v1").episode_cap == 500
    env = EnvSpec("CliffWalking-v1").make()
    env.reset(seed=0)
    steps = 0
    truncated = terminated = False
    while not (terminated or truncated):
        _, _, terminated, truncated, _ = env.step(0)  # walking up into the wall forever
        steps += 1
    assert truncated and steps == 1000


def test_environment_options_of_unbounded_size_are_refused_before_any_environment_is_built(tmp_path):
    import json

    from paradigms.errors import ConfigError, DataError
    from paradigms.reinforcement import QLearningAgent, load_agent
    from paradigms.reinforcement.settings import ReinforcementSettings

    side = 316  # about 100,000 cells
    desc = ["S" + "F" * (side - 1)] + ["F" * side] * (side - 2) + ["F" * (side - 1) + "G"]
    with pytest.raises(ConfigError, match=r"env_kwargs: .* characters of environment options \(most in 'desc'\)"):
        ReinforcementSettings(env="FrozenLake-v1", env_kwargs=("desc=" + json.dumps(desc),))
    with pytest.raises(ConfigError, match="more than the 20,000 allowed"):
        EnvSpec("FrozenLake-v1", {"desc": desc})  # refused when made: no copy (make, make_vector) comes from it

    agent = QLearningAgent("FrozenLake-v1", env_kwargs={"is_slippery": False})
    agent.save(tmp_path / "agent")
    meta_path = tmp_path / "agent" / "agent.json"
    meta = json.loads(meta_path.read_text())
    meta["params"]["env_kwargs"] = {"desc": desc}  # under the file's 1 MB cap
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(DataError, match=r"agent.json: settings do not fit .*more than the 20,000 allowed"):
        load_agent(tmp_path / "agent")


def test_an_env_spec_is_checked_once_when_made_and_keeps_its_own_copy_of_the_options():
    with pytest.raises(ConfigError, match="use --env Taxi-v4"):
        EnvSpec("Taxi-v3")
    with pytest.raises(ConfigError, match=r"env_kwargs = \[1, 2\] must be a mapping"):
        EnvSpec("FrozenLake-v1", [1, 2])
    for cap in (0, -5, True, 2.5):
        with pytest.raises(ConfigError, match="max_episode_steps = .* must be a whole number"):
            EnvSpec("FrozenLake-v1", max_episode_steps=cap)
    options = {"is_slippery": False}
    spec = EnvSpec("FrozenLake-v1", options, 40)
    options["is_slippery"] = True  # the caller's dict changing later changes nothing
    assert spec == EnvSpec("FrozenLake-v1", {"is_slippery": False}, 40) != EnvSpec("FrozenLake-v1", options, 40)
    assert hash(spec) == hash(EnvSpec("FrozenLake-v1", {"is_slippery": False}, 40))
    assert spec.key != EnvSpec("FrozenLake-v1", {"is_slippery": False}).key  # another cap: other copies
    assert EnvSpec.of("FrozenLake-v1", {"is_slippery": False}, 40) == spec and EnvSpec.of(spec) is spec
    with pytest.raises(ConfigError, match="in the EnvSpec, not beside it"):
        EnvSpec.of(spec, max_episode_steps=10)


def test_every_copy_made_from_one_spec_has_its_options_and_its_cap():
    from paradigms.reinforcement import QLearningAgent, evaluate_policy
    from paradigms.reinforcement.render import record_rollout

    spec = EnvSpec("FrozenLake-v1", {"is_slippery": False}, max_episode_steps=7)
    left = lambda obs: np.zeros(len(obs), dtype=np.int64)  # noqa: E731 - into the wall forever
    single = spec.make()
    vector = spec.make_vector(3)
    try:
        assert single.unwrapped.spec.kwargs["is_slippery"] is False and single.spec.max_episode_steps == 7
        vector.reset(seed=0)
        for _ in range(7):
            _, _, terminated, truncated, _ = vector.step(np.zeros(3, dtype=np.int64))
        assert truncated.all() and not terminated.any()
    finally:
        single.close()
        vector.close()
    assert evaluate_policy(left, spec, n_episodes=4, seed=0).lengths.tolist() == [7] * 4
    assert record_rollout(left, spec, seed=0, max_frames=4).length == 7
    agent = QLearningAgent(spec, seed=0, epsilon_start=0.0, epsilon_end=0.0).learn(50)
    assert agent.env_spec == spec and max(agent.episode_lengths_) <= 7
    assert agent.evaluate(3, seed=0).lengths.max() <= 7
    same = QLearningAgent("FrozenLake-v1", env_kwargs={"is_slippery": False}, max_episode_steps=7, seed=0)
    assert same.get_params() == QLearningAgent(spec, seed=0).get_params()
    assert same.get_params()["env_kwargs"] == {"is_slippery": False} and same.get_params()["max_episode_steps"] == 7


def test_the_settings_name_their_environment_as_one_spec():
    from paradigms.reinforcement.settings import ReinforcementSettings

    settings = ReinforcementSettings(env="FrozenLake-v1", env_kwargs=("is_slippery=false",), max_episode_steps=30)
    assert settings.env_spec == EnvSpec("FrozenLake-v1", {"is_slippery": False}, 30)
