"""Every demo shows what the lesson says it shows, with numbers; and every result behaves alike.

Each demo runs once with its default settings (cached for the whole module);
the claims below are the issue's list, asserted on those numbers.
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
    assert isinstance(r, DemoResult) and r.term is get_term(slug)
    assert r.numbers and all(isinstance(v, (int, float, bool, str)) for v in r.numbers.values())
    assert all(type(v) in (int, float, bool, str) for v in r.numbers.values()), "plain Python values only"
    assert isinstance(r.table, pd.DataFrame) and len(r.table) > 0
    assert len(r.finding) > 40
    fig = r.plot()
    assert isinstance(fig, Figure) and fig.axes
    assert r.plot() is not fig, "plot() draws a fresh figure each time"
    assert plt.get_fignums() == before, "demos must not open pyplot figures"
    text = r.summary()
    assert str(r) == text
    for piece in (r.term.name, r.term.definition[:30], "Look for:", "Numbers:", "Table:", next(iter(r.numbers))):
        assert piece in text.replace("\n", " ") or piece in text


@pytest.mark.parametrize("slug", ["epoch", "cost-function", "reinforcement-learning"])
def test_rich_display_has_definition_numbers_table_and_inline_figure(slug):
    r = result(slug)
    page = r._repr_html_()
    assert "<img" in page and "data:image/png;base64," in page
    assert "<table" in page and r.term.name in page
    assert next(iter(r.numbers)) in page


def test_figure_is_a_real_png():
    png = glossary._base.figure_to_png(result("learning-rate").plot(), dpi=40)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


# -- the lesson's claims, with numbers -------------------------------------------------------


def test_cost_function_punishes_confident_mistakes_far_more():
    r = result("cost-function")
    n, table = r.numbers, r.table.sort_values("p(true class)")
    assert np.all(np.diff(table["squared error"]) < 0) and np.all(np.diff(table["cross-entropy"]) < 0)
    assert n["cross_entropy_confident_mistake"] > 4 * n["squared_error_confident_mistake"]
    assert n["cross_entropy_mistake_vs_unsure"] > 1.5 * n["squared_error_mistake_vs_unsure"]
    assert n["cross_entropy_push_confident_mistake"] > 10 * n["squared_error_push_confident_mistake"]
    # The formulas agree with PyTorch's losses.
    p = torch.tensor(table["p(true class)"].to_numpy())
    ones = torch.ones_like(p)
    bce = torch.nn.functional.binary_cross_entropy(p, ones, reduction="none").numpy()
    mse = torch.nn.functional.mse_loss(p, ones, reduction="none").numpy()
    np.testing.assert_allclose(table["cross-entropy"], bce, rtol=1e-6)
    np.testing.assert_allclose(table["squared error"], mse, rtol=1e-12)


def test_batch_size_steps_per_epoch_and_noise():
    r = result("batch-size")
    table = r.table.sort_values("batch size")
    n = r.numbers["N"]
    for _, row in table.iterrows():
        assert row["steps per epoch"] == math.ceil(n / row["batch size"])
        assert row["total steps"] == row["steps per epoch"] * r.numbers["epochs"]
    # Smaller batches: more updates per epoch and a noisier loss, by both measures.
    assert np.all(np.diff(table["steps per epoch"]) < 0)
    assert np.all(np.diff(table["loss spread"]) < 0)
    assert np.all(np.diff(table["spread at fixed weights"]) < 0)
    assert table["loss spread"].iloc[0] > 3 * table["loss spread"].iloc[-1]
    # At fixed weights the spread follows 1/sqrt(batch): 4 -> 256 is a factor of 8.
    ratio = table["spread at fixed weights"].iloc[0] / table["spread at fixed weights"].iloc[-1]
    assert 4 < ratio < 16


def test_epoch_training_loss_falls_while_validation_loss_turns_up():
    r = result("epoch")
    n, table = r.numbers, r.table
    assert n["training_loss_last_epoch"] < 0.2 * n["training_loss_first_epoch"]
    assert table["training loss"].iloc[-10:].mean() < table["training loss"].iloc[:10].mean() / 3
    assert n["best_epoch"] < len(table) - 10
    assert n["validation_loss_last_epoch"] > 1.15 * n["validation_loss_best"]
    assert table["examples seen"].iloc[-1] == len(table) * r.settings.train_size


@pytest.mark.parametrize("slug", ["training-set", "validation-set", "test-set"])
def test_choose_on_validation_report_on_test_and_tuning_on_test_is_optimistic(slug):
    n = result(slug).numbers
    assert n["tuned_on_test_optimism"] > 0.015
    assert n["tuned_on_test_optimism"] > n["honest_optimism"] + 0.015
    assert abs(n["honest_optimism"]) < 0.025
    assert n["training_optimism"] > 0.02


def test_overfitting_training_error_falls_while_validation_error_turns_up():
    r = result("overfitting")
    n, table = r.numbers, r.table
    assert n["training_error_never_rises"] and np.all(np.diff(table["training error"]) <= 1e-9)
    assert 2 <= n["best_degree"] <= n["max_degree"] - 3
    assert n["training_error_at_max_degree"] < n["training_error_at_best"]
    assert n["validation_error_at_max_degree"] > 2 * n["validation_error_at_best"]


def test_underfitting_both_errors_stay_high():
    n = result("underfitting").numbers
    for error in (n["training_error_simple"], n["validation_error_simple"]):
        assert error > 3 * n["noise_level"] and error > 2 * n["validation_error_at_best"]
    assert abs(n["validation_error_simple"] - n["training_error_simple"]) < 0.5 * n["training_error_simple"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backpropagation_by_hand_equals_autograd_and_one_step_helps(seed):
    r = get_term("backpropagation").demo(seed=seed)
    assert r.numbers["max_abs_difference"] < 1e-6
    assert r.numbers["largest_gradient"] > 1e-3  # the comparison is not between zeros
    assert r.numbers["cost_after_step"] < r.numbers["cost_before_step"]


def test_neuron_is_a_weighted_sum_and_an_activation_over_784_pixels():
    n = result("neuron").numbers
    assert n["inputs"] == 784 and n["parameters"] == 785
    assert n["weighted_sum"] == pytest.approx(n["weighted_sum_by_torch"], abs=1e-4)
    assert n["activation"] == pytest.approx(1 / (1 + math.exp(-n["weighted_sum"])))
    assert n["test_accuracy"] > n["baseline_accuracy"] + 0.03


def test_neural_network_counts_parameters_layer_by_layer():
    r = result("neural-network")
    n = r.numbers
    assert n["parameters"] == n["parameters_counted_by_torch"] == (784 + 1) * 32 + (32 + 1) * 16 + (16 + 1) * 10
    assert list(r.table["neurons"]) == [784, 32, 16, 10]
    assert n["test_accuracy"] > 0.8


def test_deep_is_the_lessons_ten_layered_network():
    n = result("deep").numbers
    assert n["hidden_layers"] == 10 and n["layers_with_weights"] == 11
    expected = (784 + 1) * 64 + 9 * (64 + 1) * 64 + (64 + 1) * 10
    assert n["parameters"] == n["parameters_counted_by_torch"] == expected == 88_330


def test_classification_and_regression_same_inputs_different_answers():
    c, r = result("classification"), result("regression")
    assert c.numbers == r.numbers  # one experiment, read two ways
    n = c.numbers
    assert n["classification_accuracy"] > 0.9 and n["chance_accuracy"] == 0.1
    assert n["regression_mean_absolute_error"] < 0.6 * n["regression_baseline_mean_absolute_error"]
    assert n["regression_r_squared"] > 0.5
    assert n["regression_rounded_accuracy"] < n["classification_accuracy"] - 0.3
    assert c.table["classification: class"].dtype.kind == "i" and r.table["regression: value"].dtype.kind == "f"


def test_learning_rate_too_small_good_and_too_large():
    r = result("learning-rate")
    n = r.numbers
    assert n["largest_stable_rate"] == pytest.approx(2.0)
    verdicts = dict(zip(r.table["learning rate"], r.table["verdict"], strict=True))
    assert verdicts[0.02].startswith("too small")
    assert verdicts[0.5] == verdicts[1.6] == "reaches the bottom"
    assert verdicts[2.1].startswith("too large")
    assert n["final_cost_rate_2.1"] > n["start_cost"] > n["final_cost_rate_0.02"] > n["final_cost_rate_1.6"]


def test_mitchell_performance_improves_with_experience():
    r = result("mitchell")
    n, curve = r.numbers, r.table["P: test accuracy"].to_numpy()
    assert n["P_improved"] and n["P_after_all_experience"] > n["P_before_any_experience"] + 0.5
    assert n["P_after_all_experience"] > 0.8 and n["chance_level"] == 0.1
    assert curve[-1] > curve[: len(curve) // 2].max()
    evaluation = r.data["evaluation"]
    again = type(evaluation).from_json(evaluation.to_json())
    assert again.measure == evaluation.measure and again.curve.equals(evaluation.curve)


def test_supervised_learning_needs_labels():
    n = result("supervised-learning").numbers
    assert n["test_accuracy_true_labels"] > 0.9
    assert n["test_accuracy_shuffled_labels"] < 0.25


def test_unsupervised_learning_needs_nothing_but_the_data():
    r = result("unsupervised-learning")
    n = r.numbers
    assert n["labels_used"] == 0
    assert n["adjusted_rand_index"] > 0.8
    assert n["silhouette"] > n["silhouette_random_labels"] + 0.3
    assert abs(n["segments_found"] - n["hidden_personas"]) <= 1
    assert r.table.iloc[:, 1:].to_numpy().sum() == r.settings.customers


def test_reinforcement_learning_needs_rewards():
    n = result("reinforcement-learning").numbers
    assert n["success_with_reward"] >= 0.9
    assert n["success_without_reward"] <= 0.1 and n["success_random"] <= 0.1
    assert n["largest_q_value_without_reward"] < 1e-3 < n["largest_q_value_with_reward"]


# -- settings, seeds, side effects --------------------------------------------------------------


def _clear_shared_caches():
    glossary._splits._split_experiment.cache_clear()
    glossary._same_inputs.run_same_inputs.cache_clear()


@pytest.mark.parametrize(
    "slug, settings",
    [
        ("epoch", {"epochs": 4}), ("neuron", {"steps": 20}), ("test-set", {"repeats": 2}),
        ("batch-size", {"epochs": 1, "batch_sizes": (16, 64)}), ("mitchell", {"examples": 200}),
        ("classification", {"steps": 20}), ("supervised-learning", {"epochs": 2}),
        ("reinforcement-learning", {"steps": 2000, "episodes": 10}), ("unsupervised-learning", {"customers": 120}),
    ],
)
def test_same_seed_same_numbers(slug, settings):
    demo = get_term(slug).demo
    _clear_shared_caches()
    first = demo(seed=3, **settings)
    _clear_shared_caches()
    second = demo(seed=3, **settings)
    assert first.numbers == second.numbers
    pd.testing.assert_frame_equal(first.table, second.table)


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


def test_module_level_usage_from_the_issue():
    from glossary import epoch

    r = epoch.demo(epochs=3)
    assert isinstance(r.plot(), Figure)
    assert epoch.TERM.slug == "epoch"
