"""The guessing games: a labelled data set as a contextual bandit, and the agent that learns it.

Fast tests read scikit-learn's 8x8 digits (the fallback when MNIST is absent:
1,437 training and 360 test images); the real-MNIST figure is a slow test.
"""

import hashlib
import warnings

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from paradigms.errors import ConfigError
from paradigms.reinforcement import environments, evaluate, guessing
from paradigms.reinforcement.agents.bandit import BanditAgent
from paradigms.reinforcement.environments import EnvSpec, VectorStepper, check_env_id
from paradigms.reinforcement.evaluate import Evaluator, random_policy
from paradigms.reinforcement.guessing import Deck, GuessVectorEnv, digit_data
from paradigms.reinforcement.paradigm import run
from paradigms.reinforcement.settings import ReinforcementSettings
from paradigms.same_task import DIGIT_GUESS_ID, EXAMPLES_SEEN, TABLE_GUESS_ID, TEST_ACCURACY

SMALL = 8 * 8


@pytest.fixture(autouse=True)
def _small_digits(monkeypatch):
    """No MNIST: the 8x8 digits, without their (expected) fallback warning. The package's
    caches of environments read by id start empty and are dropped after, so that no other
    test meets the 8x8 digits' spaces under the same id."""
    monkeypatch.delenv("LEARNING_PARADIGMS_DATA", raising=False)
    monkeypatch.setattr(environments, "_DESCRIBED", {})
    monkeypatch.setattr(guessing, "_LOADED", {})
    monkeypatch.setattr(evaluate, "_IDLE", {})
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="the real MNIST is unavailable")
        yield


def weights_hash(agent):
    return hashlib.sha256(agent._flat.to_numpy().tobytes()).hexdigest()


def test_the_id_resolves_like_any_other_and_passes_gymnasiums_checker():
    assert check_env_id(DIGIT_GUESS_ID) == DIGIT_GUESS_ID
    env = gym.make(DIGIT_GUESS_ID, render_mode="rgb_array")
    check_env(env.unwrapped)
    obs, info = env.reset(seed=0)
    assert obs.shape == (SMALL,) and obs.dtype == np.float32 and 0 <= obs.min() and obs.max() <= 1 and info == {}
    frame = env.render()
    assert frame.ndim == 3 and frame.shape[2] == 3
    info = EnvSpec(DIGIT_GUESS_ID).spaces()
    assert info.obs_dim == SMALL and info.n_actions == 10 and not info.observation_problem


def test_one_guess_is_rewarded_and_the_answer_is_never_shown():
    env = EnvSpec(DIGIT_GUESS_ID).make()
    rewards = []
    for guess in range(10):
        obs, _ = env.reset(seed=3)  # the same image each time
        after, reward, terminated, truncated, info = env.step(guess)
        assert terminated and not truncated and info == {}
        assert np.array_equal(after, obs)
        rewards.append(reward)
    assert sorted(rewards) == [0.0] * 9 + [1.0]


def test_the_order_is_a_seeded_permutation_and_a_pass_shows_each_example_once():
    examples = digit_data()
    deck = Deck(examples, "train", shuffle_rewards=False)
    deck.restart(np.random.default_rng(0))
    n = len(examples.train)
    first = np.concatenate([deck.deal(7) for _ in range(n // 7)] + [deck.deal(n % 7)])
    assert sorted(first.tolist()) == list(range(n))
    second = deck.deal(n)
    assert sorted(second.tolist()) == list(range(n)) and not np.array_equal(first, second)
    env = EnvSpec(DIGIT_GUESS_ID).make()
    a, _ = env.reset(seed=5)
    b, _ = env.reset(seed=5)
    c, _ = env.reset(seed=6)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_a_batch_of_guesses_is_one_call_and_every_step_is_a_guess():
    env = EnvSpec(DIGIT_GUESS_ID).make_vector(16)
    assert isinstance(env.unwrapped, GuessVectorEnv)
    stepper = VectorStepper(env, EnvSpec(DIGIT_GUESS_ID).spaces(), seed=0)
    assert stepper.same_step
    first = stepper.observations.copy()
    step = stepper.step(np.zeros(16, dtype=np.int64))
    assert step.valid.all() and step.terminated.all() and len(step.finished_returns) == 16
    assert set(step.rewards.tolist()) <= {0.0, 1.0}
    assert np.array_equal(step.observations, first) and np.array_equal(step.next_observations, first)
    assert not np.array_equal(stepper.observations, first)  # the next batch is shown at once
    env.close()


def test_the_evaluation_plays_every_test_example_once():
    held_out = EnvSpec(DIGIT_GUESS_ID).held_out_examples()
    n = len(held_out.test)
    labels = held_out.test.labels
    with Evaluator(DIGIT_GUESS_ID, n_episodes=10, seed=0) as evaluator:
        rows = iter(range(n))

        def oracle(observations):  # reads the test labels, in order: a perfect guesser
            return np.array([labels[next(rows)] for _ in range(len(observations))])

        perfect = evaluator.run(oracle)
        chance = evaluator.run(random_policy(10, seed=0))
    assert perfect.n == n and perfect.mean == 1.0 and set(perfect.lengths.tolist()) == {1}
    assert abs(chance.mean - 0.1) < 0.06
    assert EnvSpec("CartPole-v1").held_out_examples() is None
    assert EnvSpec(DIGIT_GUESS_ID, {"split": "test"}).held_out_examples() is None


def test_the_bandit_learns_from_rewards_alone_and_shuffled_rewards_teach_nothing():
    accuracy = {}
    for shuffled in (False, True):
        agent = BanditAgent(DIGIT_GUESS_ID, env_kwargs={"shuffle_rewards": shuffled}, seed=0)
        accuracy[shuffled] = agent.learn(6_000).evaluate().mean
    assert accuracy[False] > 0.6, accuracy
    assert accuracy[True] < 0.2, accuracy  # chance is 0.1


def test_same_seed_same_weights():
    hashes = [weights_hash(BanditAgent(DIGIT_GUESS_ID, seed=s).learn(1_000)) for s in (4, 4, 5)]
    assert hashes[0] == hashes[1] != hashes[2]


def test_same_seed_same_run():
    settings = ReinforcementSettings(env=DIGIT_GUESS_ID, total_steps=1_000, render=False)
    first, again, other = (run(settings, seed, None) for seed in (2, 2, 3))
    assert first.curve[TEST_ACCURACY].tolist() == again.curve[TEST_ACCURACY].tolist()
    assert first.metrics[TEST_ACCURACY] == again.metrics[TEST_ACCURACY]
    assert first.curve[TEST_ACCURACY].tolist() != other.curve[TEST_ACCURACY].tolist()


def test_the_run_reports_test_accuracy_on_the_same_task_axis(tmp_path):
    settings = ReinforcementSettings(env=DIGIT_GUESS_ID, total_steps=3_000, output_dir=tmp_path, gif_frames=4)
    ev = run(settings, 0, None)
    assert ev.metrics["agent"] == "bandit"
    assert ev.measure.name == "test accuracy" and ev.measure.baseline == 0.1 and ev.measure.best == 1.0
    assert ev.metrics[TEST_ACCURACY] == ev.measure.value > 0.3
    assert ev.dataset.fallback and ev.dataset.sizes["test"] == 360
    curve = ev.curve
    assert curve[EXAMPLES_SEEN].tolist() == curve["experience"].tolist()
    assert curve[TEST_ACCURACY].tolist() == curve["performance"].tolist()
    assert curve[EXAMPLES_SEEN].iloc[0] == 0 and curve[EXAMPLES_SEEN].iloc[-1] == ev.metrics["train_steps"]
    assert {128, 256, 512, 1024, 2048} <= set(curve[EXAMPLES_SEEN])  # the early points, at batch boundaries
    assert ev.curve[TEST_ACCURACY].iloc[-1] == ev.measure.value  # the last policy is measured, none chosen
    assert "eval_returns" not in ev.metrics and ev.metrics["best_step"] is None
    assert ev.pictures and ev.pictures[0].mime == "image/gif"


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"split": "validation"}, "split = 'validation': choose train or test"),
        ({"data_dir": "/no/such/folder"}, "--data-dir /no/such/folder: no such folder"),
        ({"colour": "red"}, "does not accept these env_kwargs"),
    ],
)
def test_bad_options_are_one_line_errors(kwargs, needle):
    with pytest.raises(ConfigError) as error:
        EnvSpec(DIGIT_GUESS_ID, kwargs).make()
    assert needle in str(error.value) and "\n" not in str(error.value)


@pytest.mark.slow
def test_real_mnist_reaches_095_within_three_passes(mnist_dir, monkeypatch):
    monkeypatch.setenv("LEARNING_PARADIGMS_DATA", str(mnist_dir))
    agent = BanditAgent(DIGIT_GUESS_ID, env_kwargs={"data_dir": str(mnist_dir)}, seed=0)
    assert agent.spaces_.obs_dim == 784
    assert agent.learn(180_000).evaluate().mean >= 0.95


# -- the table guessing game ------------------------------------------------------------------------


@pytest.fixture
def wine(tmp_path):
    """scikit-learn's wine table (178 rows, 3 classes) as a CSV, with a column of noise to regress on."""
    from sklearn.datasets import load_wine

    frame = load_wine(as_frame=True).frame
    frame["noise"] = np.random.default_rng(0).normal(size=len(frame))
    frame["one"] = "same"
    path = tmp_path / "wine.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_table_is_a_guessing_game_tested_on_the_supervised_paradigms_test_rows(wine):
    from paradigms.datasets.splits import DEFAULT_TEST_SIZE, split_indices
    from paradigms.datasets.table_features import prepare_table
    from paradigms.datasets.tables import read_table

    kwargs = {"data": str(wine), "target": "target", "split_seed": 3}
    env = gym.make(TABLE_GUESS_ID, **kwargs)
    check_env(env.unwrapped)
    spec = prepare_table(read_table(wine).frame, source=str(wine), target="target")
    train, test = split_indices(spec.y, DEFAULT_TEST_SIZE, 3, n=spec.n_rows)
    held_out = EnvSpec(TABLE_GUESS_ID, kwargs).held_out_examples()
    assert held_out.test.labels.tolist() == spec.y[test].tolist() and held_out.n_classes == 3
    assert EnvSpec(TABLE_GUESS_ID, kwargs).spaces().obs_dim == held_out.test.n_features
    agent = BanditAgent(TABLE_GUESS_ID, env_kwargs=kwargs, seed=0)
    assert agent.learn(3_000).evaluate().mean > 0.8  # chance: 1/3


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"target": "noise"}, "target column 'noise' holds numbers to predict (a regression target)"),
        ({"target": "one"}, "target column 'one' holds one class"),
        ({"target": "proline"}, "regression target"),
        ({}, "needs a table and its column of classes"),
    ],
)
def test_a_target_that_cannot_be_a_bandit_is_a_one_line_error(wine, kwargs, needle):
    with pytest.raises(ConfigError) as error:
        EnvSpec(TABLE_GUESS_ID, {"data": str(wine), **kwargs} if kwargs else {}).make()
    assert needle in str(error.value) and "\n" not in str(error.value)


def test_more_classes_than_the_rows_can_teach_is_refused(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "many.csv"
    rows = [f"{rng.normal():.3f},{rng.normal():.3f},c{i % 20}" for i in range(300)]
    path.write_text("a,b,kind\n" + "\n".join(rows) + "\n")
    with pytest.raises(ConfigError, match=r"has 20 classes for 240 training rows \(12.0 per class\).*at least 20"):
        EnvSpec(TABLE_GUESS_ID, {"data": str(path), "target": "kind"}).make()


def test_the_bandit_records_every_guess_as_a_one_step_episode_and_its_loss():
    """What the trackers read: one length per return (each 1), and the last step's loss by name."""
    agent = BanditAgent(DIGIT_GUESS_ID, seed=0).learn(1_000)
    assert len(agent.episode_lengths_) == len(agent.episode_returns_) == agent.episodes_done_ >= 1_000
    assert set(agent.episode_lengths_) == {1}
    assert set(agent.last_losses()) == {"loss"} and 0 < agent.last_losses()["loss"] < 1


def test_a_saved_bandit_guesses_the_same(tmp_path):
    from paradigms.reinforcement import load_agent

    agent = BanditAgent(DIGIT_GUESS_ID, seed=1).learn(500)
    again = load_agent(agent.save(tmp_path / "bandit"))
    observations = EnvSpec(DIGIT_GUESS_ID).held_out_examples().test.observations()
    assert type(again) is BanditAgent and np.array_equal(again.predict(observations), agent.predict(observations))


def test_the_command_line_runs_the_guessing_game_and_refuses_bad_options_in_one_line(tmp_path, capsys):
    from paradigms.cli import main

    common = ["run", "reinforcement", "--env", DIGIT_GUESS_ID, "--out", str(tmp_path), "--no-progress"]
    assert main([*common, "--total-steps", "500", "--no-render"]) == 0
    assert "test accuracy" in capsys.readouterr().out
    assert main([*common, "--env-kwargs", "split=validation"]) == 2
    err = capsys.readouterr().err.strip()
    assert "split = 'validation': choose train or test" in err and len(err.splitlines()) == 1, err
