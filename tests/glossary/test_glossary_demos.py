"""Every demo shows what the lesson says it shows, and its sentence follows its numbers.

Each demo runs once with its default settings (cached for the whole module); the
claims the lesson makes are asserted on those numbers, over several seeds where a
single run could mislead, and each sentence is checked against the numbers it reads.
"""

import math
from functools import cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import torch
from matplotlib.figure import Figure

import glossary
from glossary import DemoResult, all_terms, get_term
from paradigms.errors import ConfigError


@cache
def result(slug: str) -> DemoResult:
    return get_term(slug).demo()


# -- what every result has in common -------------------------------------------------------


@pytest.mark.parametrize("slug", [t.slug for t in all_terms()])
def test_result_has_numbers_table_finding_and_plot(slug):
    before = plt.get_fignums()
    r = result(slug)
    assert r.term is get_term(slug)
    assert r.numbers and all(type(v) in (int, float, bool, str) for v in r.numbers.values()), "plain Python values only"
    assert len(r.table) > 0
    assert len(r.finding) > 40
    fig = r.plot()
    assert isinstance(fig, Figure) and fig.axes
    assert r.plot() is not fig, "plot() draws a fresh figure each time"
    assert plt.get_fignums() == before, "demos must not open pyplot figures"
    text = r.summary()
    for piece in (r.term.name, "Look for:", "Numbers:", "Table:", next(iter(r.numbers))):
        assert piece in text


@pytest.mark.parametrize("slug", ["epoch", "cost-function", "reinforcement-learning"])
def test_rich_display_shows_the_figure_and_sentence_first_and_folds_the_numbers(slug):
    r = result(slug)
    page = r._repr_html_()
    image, finding, numbers = page.index("data:image/png;base64,"), page.index("<b>" + r.finding[:30]), page.index("<details>")
    assert image < finding < numbers
    assert next(iter(r.numbers)) in page[numbers:]


def test_figure_is_a_real_png():
    png = glossary._base.figure_to_png(result("learning-rate").plot(), dpi=40)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


# -- training, validation and test sets: the effect holds for several seeds ---------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_peeking_at_the_test_set_overstates_and_the_honest_estimate_matches_new_data(seed):
    n = get_term("test-set").demo(seed=seed).numbers
    # Tuning on the test set: the report is too high, clearly (the whole 95% interval above +2 points) ...
    assert n["tuned_on_test_optimism"] - n["tuned_on_test_optimism_interval"] > 0.02
    assert n["tuned_on_test_overstated_share"] > 0.75
    # ... while chosen on validation, reported on test: no bias beyond a point, and 0 inside the interval.
    assert abs(n["honest_optimism"]) < 0.01
    assert abs(n["honest_optimism"]) <= n["honest_optimism_interval"]
    # Peeking does not pick a better model: the two choices do about equally well on new data.
    assert abs(n["tuned_minus_honest_new_data"]) < 0.01
    assert n["training_optimism"] - n["training_optimism_interval"] > 0.02


def test_set_sentences_follow_their_numbers():
    test, validation, training = result("test-set"), result("validation-set"), result("training-set")
    n = test.numbers
    assert f"{n['tuned_on_test_reported_accuracy']:.1%}" in test.finding
    assert "overstates the accuracy on new data" in test.finding and "did not pick a better model" in test.finding
    assert "on average an honest estimate" in validation.finding
    assert f"{100 * n['honest_error_one_split']:.1f} points either way" in validation.finding
    assert "overstates the model" in training.finding
    # Few candidates, tiny sets: the sentence must not claim an effect its interval does not show.
    few = get_term("test-set").demo(candidates=2, repeats=4)
    m = few.numbers
    claims = "overstates the accuracy" in few.finding
    assert claims == (m["tuned_on_test_optimism"] - m["tuned_on_test_optimism_interval"] > 0)


def test_the_bar_chart_starts_at_zero():
    fig = result("test-set").plot()
    bars = [ax for ax in fig.axes if ax.get_ylabel() == "accuracy"]
    assert bars and bars[0].get_ylim()[0] == 0


# -- epoch: the sentence follows the epoch of the minimum ------------------------------------------


def test_epoch_training_loss_falls_while_validation_loss_turns_up():
    r = result("epoch")
    n, table = r.numbers, r.table
    assert n["training_loss_last_epoch"] < 0.2 * n["training_loss_first_epoch"]
    assert n["best_epoch"] < len(table) - 10
    assert n["validation_loss_last_epoch"] > 1.15 * n["validation_loss_best"]
    # The rise comes largely from the deliberately wrong labels, and the demo says so.
    assert n["wrong_training_labels"] > 0 and n["clean_validation_rise"] < n["validation_rise"] - 0.1
    assert f"{n['wrong_training_labels']} of the {r.settings.train_size} training labels were deliberately made wrong" in r.finding


@pytest.mark.parametrize("epochs", [5, 50])
def test_epoch_sentence_names_the_epoch_of_the_minimum(epochs):
    r = get_term("epoch").demo(epochs=epochs)
    best = int(np.argmin(r.table["validation loss"].to_numpy())) + 1
    assert r.numbers["best_epoch"] == best
    if best == epochs:
        assert "more epochs would still help" in r.finding and "lowest after epoch" not in r.finding
    else:
        assert f"lowest after epoch {best} " in r.finding and "would still help" not in r.finding
    assert (epochs == 5) == (best == epochs), "with 5 epochs validation loss is still falling"


def test_epoch_without_label_noise_mentions_none():
    r = get_term("epoch").demo(label_noise=0.0, epochs=10)
    assert r.numbers["wrong_training_labels"] == 0 and "deliberately" not in r.finding
    assert "validation loss, all labels correct" not in r.table


# -- batch size: equal epochs, equal updates, time per epoch -----------------------------------------


def test_batch_size_at_equal_epochs_and_at_equal_updates():
    r = result("batch-size")
    n, table = r.numbers, r.table.sort_values("batch size")
    for _, row in table.iterrows():
        assert row["steps per epoch"] == math.ceil(n["N"] / row["batch size"])
    # Equal epochs: small batches make more updates and get further; 256 barely leaves the untrained level.
    assert n["training_loss_equal_epochs_batch_4"] < 0.5 < n["training_loss_equal_epochs_batch_256"]
    assert n["training_loss_equal_epochs_batch_256"] > 0.8 * math.log(10)
    assert "batch 256 barely learned" in r.finding
    # Equal updates: the large batch has read far more examples and gets further.
    assert n["training_loss_equal_updates_batch_256"] < n["training_loss_equal_updates_batch_4"]
    # An epoch of small batches costs more time (250 steps against 4).
    assert n["seconds_per_epoch_batch_4"] > 3 * n["seconds_per_epoch_batch_256"]
    # Noise, measured while every batch size learns: smaller batches jitter more, by both measures.
    assert np.all(np.diff(table["loss jitter"]) < 0) and np.all(np.diff(table["spread at fixed weights"]) < 0)
    ratio = table["spread at fixed weights"].iloc[0] / table["spread at fixed weights"].iloc[-1]
    assert 4 < ratio < 16  # the 1/sqrt(batch) law: 4 -> 256 is a factor of 8
    assert "jitters" in r.finding


def test_batch_size_never_calls_a_batch_that_barely_learned_smooth():
    r = get_term("batch-size").demo(batch_sizes=(4, 256), updates=8, epochs=1)
    assert "jitters" not in r.finding
    assert "barely learned" in r.finding


# -- the rest of the lesson's claims -----------------------------------------------------------------


def test_cost_function_punishes_confident_mistakes_far_more():
    r = result("cost-function")
    n, table = r.numbers, r.table.sort_values("p(true class)")
    assert np.all(np.diff(table["squared error"]) < 0) and np.all(np.diff(table["cross-entropy"]) < 0)
    assert n["cross_entropy_confident_mistake"] > 4 * n["squared_error_confident_mistake"]
    assert n["cross_entropy_push_confident_mistake"] > 10 * n["squared_error_push_confident_mistake"]
    p = torch.tensor(table["p(true class)"].to_numpy())
    ones = torch.ones_like(p)
    np.testing.assert_allclose(table["cross-entropy"], torch.nn.functional.binary_cross_entropy(p, ones, reduction="none"), rtol=1e-6)
    np.testing.assert_allclose(table["squared error"], torch.nn.functional.mse_loss(p, ones, reduction="none"), rtol=1e-12)
    assert "the logit (the model's raw score" in r.finding, "jargon is explained where it appears"


def test_overfitting_training_error_falls_while_validation_error_turns_up():
    r = result("overfitting")
    n, table = r.numbers, r.table
    assert n["training_error_never_rises"] and np.all(np.diff(table["training error"]) <= 1e-9)
    assert 2 <= n["best_degree"] <= n["max_degree"] - 3
    assert n["validation_error_at_max_degree"] > 2 * n["validation_error_at_best"]
    assert "learns the noise" in r.finding


def test_overfitting_sentence_follows_the_sweep_without_noise():
    r = get_term("overfitting").demo(noise=0.0)
    assert r.numbers["validation_rise"] <= 1.5  # without noise there is nothing to overfit
    assert "learns the noise" not in r.finding and "no clear overfitting" in r.finding and "no noise to learn" in r.finding
    assert "stays at about zero" in r.finding and "0.000 -> 0.000" not in r.finding


def test_underfitting_both_errors_stay_high_and_the_sentence_says_when_not():
    n = result("underfitting").numbers
    for error in (n["training_error_simple"], n["validation_error_simple"]):
        assert error > 3 * n["noise_level"] and error > 2 * n["validation_error_at_best"]
    assert "it underfits" in result("underfitting").finding
    fine = get_term("underfitting").demo(simple_degree=n["best_degree"])
    assert "it underfits" not in fine.finding and "not too simple" in fine.finding


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backpropagation_by_hand_equals_autograd_and_one_step_helps(seed):
    r = get_term("backpropagation").demo(seed=seed)
    assert r.numbers["max_abs_difference"] < 1e-6
    assert r.numbers["largest_gradient"] > 1e-3  # the comparison is not between zeros
    assert r.numbers["cost_after_step"] < r.numbers["cost_before_step"]
    assert "agree" in r.finding and "lowers the cost" in r.finding


def test_neuron_is_a_weighted_sum_and_an_activation_over_784_pixels():
    n = result("neuron").numbers
    assert n["inputs"] == 784 and n["parameters"] == n["inputs"] + 1
    assert n["weighted_sum"] == pytest.approx(n["weighted_sum_by_torch"], abs=1e-4)
    assert n["activation"] == pytest.approx(1 / (1 + math.exp(-n["weighted_sum"])))
    assert n["test_accuracy"] > n["baseline_accuracy"] + 0.03


def test_neural_network_counts_parameters_layer_by_layer():
    r = result("neural-network")
    n = r.numbers
    assert n["parameters"] == n["parameters_counted_by_torch"] == (784 + 1) * 32 + (32 + 1) * 16 + (16 + 1) * 10
    assert list(r.table["neurons"]) == [784, 32, 16, 10]
    assert n["test_accuracy"] > 0.7
    assert "the logits" in r.finding


@pytest.mark.parametrize("seed", [0, 1])
def test_deep_ten_layers_lose_to_a_shallow_network_with_as_many_parameters(seed):
    r = get_term("deep").demo(seed=seed)
    n = r.numbers
    assert n["hidden_layers_deep"] == 10 and n["parameters_deep"] == n["parameters_deep_by_layer_table"] == 88_330
    assert abs(n["parameters_shallow"] - n["parameters_deep"]) < 0.01 * n["parameters_deep"]
    assert n["test_accuracy_shallow"] > n["test_accuracy_deep"] + 0.05
    # Why: the gradient fades on its way back through ten layers, and not through one.
    assert n["gradient_weakening_deep"] > 100 > 10 * n["gradient_weakening_shallow"]
    assert "vanishing gradients" in r.finding and f"{n['test_accuracy_deep']:.1%}" in r.finding


def test_classification_answers_a_class_measured_by_accuracy():
    r = result("classification")
    n = r.numbers
    assert n["accuracy"] > 0.9 > 0.2 > n["majority_class_accuracy"]
    assert n["mean_probability_when_wrong"] < n["mean_probability_when_right"]
    assert "lower probability" in r.finding and f"{n['accuracy']:.1%}" in r.finding


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_regression_predicts_a_real_quantity(seed):
    r = get_term("regression").demo(seed=seed)
    n = r.numbers
    assert n["test_patients"] + n["training_patients"] == 442  # scikit-learn's diabetes data, bundled
    assert n["mean_absolute_error"] < 0.85 * n["baseline_mean_absolute_error"]
    assert 0.2 < n["r_squared"] < 0.8
    assert f"R² = {n['r_squared']:.2f} (the share" in r.finding, "R² is explained where it appears"


def test_learning_rate_too_small_good_and_too_large():
    r = result("learning-rate")
    n = r.numbers
    assert n["largest_stable_rate"] == pytest.approx(2.0)
    verdicts = dict(zip(r.table["learning rate"], r.table["verdict"], strict=True))
    assert verdicts[0.02].startswith("too small")
    assert verdicts[0.5] == verdicts[1.6] == "reaches the bottom"
    assert verdicts[2.1].startswith("too large")
    assert n["final_cost_rate_2.1"] > n["start_cost"] > n["final_cost_rate_0.02"] > n["final_cost_rate_1.6"]
    assert "curvature is L = 1.00 (how fast its slope changes" in r.finding


def test_mitchell_says_it_learns_only_when_p_improves_with_e():
    r = result("mitchell")
    n, curve = r.numbers, r.table["P: test accuracy"].to_numpy()
    assert n["learns"] and n["P_after_all_experience"] > n["P_before_any_experience"] + 0.5
    assert curve[-1] > curve[: len(curve) // 2].max()
    assert "the program learns" in r.finding
    stuck = get_term("mitchell").demo(learning_rate=1e-7)
    assert not stuck.numbers["learns"] and "has not learned" in stuck.finding
    evaluation = r.data["evaluation"]
    again = type(evaluation).from_json(evaluation.to_json())
    assert again.measure == evaluation.measure and again.curve.equals(evaluation.curve)


def test_supervised_learning_needs_labels():
    r = result("supervised-learning")
    n = r.numbers
    assert n["test_accuracy_true_labels"] > 0.9
    assert n["test_accuracy_shuffled_labels"] < 0.2 and "chance level" in r.finding


def test_unsupervised_learning_needs_nothing_but_the_data():
    r = result("unsupervised-learning")
    n = r.numbers
    assert n["adjusted_rand_index"] > 0.8
    assert n["silhouette"] > n["silhouette_random_labels"] + 0.3
    assert abs(n["segments_found"] - n["hidden_personas"]) <= 1
    assert r.table.iloc[:, 1:].to_numpy().sum() == r.settings.customers


def test_reinforcement_learning_needs_rewards():
    r = result("reinforcement-learning")
    n = r.numbers
    assert n["success_with_reward"] >= 0.9
    assert n["success_without_reward"] <= 0.1 and n["success_random"] <= 0.1
    assert n["largest_q_value_without_reward"] < 1e-3 < n["largest_q_value_with_reward"]
    assert "needs rewards" in r.finding


# -- the 28x28 demos use real MNIST where it is, and say which data they used --------------------------


@pytest.mark.parametrize("slug", ["neuron", "neural-network"])
def test_28x28_demos_say_they_enlarged_the_8x8_digits_when_mnist_is_absent(slug, monkeypatch, tmp_path):
    monkeypatch.setenv("LEARNING_PARADIGMS_DATA", str(tmp_path))  # an empty folder: no MNIST here
    r = get_term(slug).demo(steps=5)
    assert r.numbers["data"] == "8x8 digits enlarged" and "enlarged to 28x28" in r.finding


@pytest.mark.slow
def test_28x28_demos_use_real_mnist_where_it_is(mnist_dir, monkeypatch):
    monkeypatch.setenv("LEARNING_PARADIGMS_DATA", str(mnist_dir))
    r = get_term("neuron").demo(steps=20)
    assert r.numbers["data"] == "MNIST" and "real MNIST (2,000 training and 1,000 test images)" in r.finding


# -- settings, seeds, side effects --------------------------------------------------------------


def _clear_shared_caches():
    glossary._splits._split_experiment.cache_clear()


def _without_timings(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in frame.columns if "seconds" in c])


@pytest.mark.parametrize(
    "slug, settings",
    [
        ("epoch", {"epochs": 4}), ("neuron", {"steps": 20}), ("test-set", {"repeats": 3}),
        ("batch-size", {"epochs": 1, "updates": 20, "batch_sizes": (16, 64)}), ("mitchell", {"examples": 200}),
        ("classification", {"steps": 20}), ("regression", {"steps": 20}), ("deep", {"epochs": 1, "depth": 3}),
        ("supervised-learning", {"epochs": 2}), ("reinforcement-learning", {"steps": 2000, "episodes": 10}),
        ("unsupervised-learning", {"customers": 120}),
    ],
)
def test_same_seed_same_numbers(slug, settings):
    demo = get_term(slug).demo
    _clear_shared_caches()
    first = demo(seed=3, **settings)
    _clear_shared_caches()
    second = demo(seed=3, **settings)
    timed = [key for key in first.numbers if "seconds" in key]
    assert {k: v for k, v in first.numbers.items() if k not in timed} == {k: v for k, v in second.numbers.items() if k not in timed}
    pd.testing.assert_frame_equal(_without_timings(first.table), _without_timings(second.table))
    assert first.finding.split(" An epoch took")[0] == second.finding.split(" An epoch took")[0]


def test_another_seed_other_numbers():
    demo = get_term("epoch").demo
    assert demo(seed=1, epochs=3).numbers != demo(seed=2, epochs=3).numbers


def test_demo_leaves_torch_threads_and_random_state_alone():
    threads = torch.get_num_threads()
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    get_term("epoch").demo(epochs=2)
    assert torch.get_num_threads() == threads
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize(
    "slug, settings, message",
    [
        ("epoch", {"epoch": 3}, "did you mean epochs"),
        ("epoch", {"epochs": 0}, "epochs = 0 is out of range"),
        ("batch-size", {"batch_sizes": (0, 4)}, "batch_sizes = 0 is out of range"),
        ("overfitting", {"max_degree": 25}, "needs more than 25 training points"),
        ("test-set", {"train_size": 1500, "validation_size": 500}, "leaves fewer than 100"),
        ("learning-rate", {"rates": "fast"}, "rates = 'fast' is not a valid"),
    ],
)
def test_bad_settings_are_config_errors(slug, settings, message):
    with pytest.raises(ConfigError, match=message):
        get_term(slug).demo(**settings)


def test_bad_seed_is_a_config_error():
    with pytest.raises(ConfigError, match="seed"):
        get_term("cost-function").demo(seed=-1)
