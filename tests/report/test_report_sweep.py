"""The sweep report: the chosen cell on the validation measure with P beside it, what each setting
does (figures, heat map, sentences), failed runs with their errors, and results.json round trips."""

import json

import numpy as np
import pandas as pd
from report_helpers import EVIL, TERMS, make_evaluation

from paradigms.execution import Axis, Cell, Failure, Grid
from paradigms.report import Comparison, build
from paradigms.report.comparison import SweepInfo
from paradigms.report.sweep_summary import summarize_sweep


def _grid(axes: dict, selection: str | None = "curve") -> Grid:
    built = tuple(Axis(name, tuple(values)) for name, values in axes.items())
    combos = [{}]
    for axis in built:
        combos = [{**c, axis.setting: v} for c in combos for v in axis.values]
    cells = tuple(Cell(f"{i + 1}-cell", values, {"epochs": 5, **values}) for i, values in enumerate(combos))
    return Grid("alpha", built, cells, selection=selection)


def _run(cell: Cell, seed: int, *, validation: float, test: float, seconds: float, updates: int):
    ev = make_evaluation("alpha", seed, value=test)
    curve = pd.DataFrame({"experience": [1, 2, 3], "performance": [0.5, validation + 0.001 * seed, validation - 0.01]})
    return ev.with_updates(
        curve=curve, measure=ev.measure.__class__(**{**ev.measure.__dict__, "value": test + 0.001 * seed}),
        timings={"fit_seconds": seconds, "total_seconds": seconds + 1}, config=cell.config,
        metrics={**ev.metrics, "updates_per_epoch": updates},
    )


def _batch_sweep(failures: bool = False) -> Comparison:
    """Small batches: more updates per epoch and more time; the test score would pick 32, validation picks 128."""
    grid = _grid({"batch_size": [32, 128, 512]})
    numbers = {32: (0.95, 0.99, 30.0, 1700), 128: (0.97, 0.96, 12.0, 430), 512: (0.93, 0.94, 5.0, 108)}
    evaluations, cells, fails, fail_cells = [], [], [], []
    for cell in grid.cells:
        validation, test, seconds, updates = numbers[cell.values["batch_size"]]
        for seed in (0, 1, 2):
            if failures and cell.values["batch_size"] == 512 and seed == 2:
                fails.append(Failure("alpha", seed, "MemoryError: out of memory", "Traceback: the batch was too big"))
                fail_cells.append(cell.id)
                continue
            evaluations.append(_run(cell, seed, validation=validation, test=test, seconds=seconds, updates=updates))
            cells.append(cell.id)
    return Comparison.create(evaluations, fails, run={"seeds": [0, 1, 2]},
                             sweep=SweepInfo(grid, tuple(cells), tuple(fail_cells)))


def test_the_cell_is_chosen_on_validation_and_the_page_says_so(tmp_path):
    comparison = _batch_sweep()
    summary = summarize_sweep(comparison)
    assert summary.chosen.cell.values == {"batch_size": 128}  # not 32, whose test score is best
    assert summary.chooser_name == "best validation accuracy"
    page = build(comparison, tmp_path, terms=TERMS).read_text()
    markdown = (tmp_path / "report.md").read_text()
    assert "What does batch_size do?" in page and "What does batch\\_size do?" in markdown
    for text in (page, markdown):
        assert "Chosen on best validation accuracy, not on test accuracy" in text
        assert "never used to choose" in text
    assert "★ 128" in markdown
    # the lesson in words: smaller batches, more updates per epoch and more time per epoch
    assert "from 32 to 512: best validation accuracy 0.951 → 0.931; test accuracy 0.991 → 0.941" in markdown
    assert "seconds per epoch 10 → 1.667; updates per epoch 1,700 → 108." in markdown
    for figure in ("sweep-measure.png", "sweep-cost.png", "sweep-curves.png"):
        assert (tmp_path / "figures" / figure).exists() and f"figures/{figure}" in markdown
    assert not (tmp_path / "figures" / "sweep-heat-map.png").exists()  # one setting: no heat map


def test_a_two_setting_grid_gets_a_heat_map(tmp_path):
    grid = _grid({"batch_size": [32, 512], "lr": [0.1, 0.01]})
    evaluations, cells = [], []
    for index, cell in enumerate(grid.cells):
        for seed in (0, 1):
            evaluations.append(_run(cell, seed, validation=0.9 + 0.01 * index, test=0.9, seconds=2.0, updates=10))
            cells.append(cell.id)
    comparison = Comparison.create(evaluations, sweep=SweepInfo(grid, tuple(cells)))
    build(comparison, tmp_path)
    assert (tmp_path / "figures" / "sweep-heat-map.png").exists()
    assert "What do batch\\_size and lr do?" in (tmp_path / "report.md").read_text()
    assert summarize_sweep(comparison).chosen.cell.values == {"batch_size": 512, "lr": 0.01}


def test_failed_runs_are_shown_with_their_errors_and_the_others_kept(tmp_path):
    comparison = _batch_sweep(failures=True)
    page = build(comparison, tmp_path).read_text()
    assert "Some runs failed" in page and "Failed runs" in page
    assert "batch_size=512, seed 2" in page and "MemoryError: out of memory" in page
    assert "Traceback: the batch was too big" in page
    assert "2 (1 failed)" in (tmp_path / "report.md").read_text()


def test_a_paradigm_without_a_validation_measure_is_chosen_on_p_and_says_so(tmp_path):
    grid = _grid({"k": [3, 4]}, selection=None)
    evaluations = [_run(cell, 0, validation=0.5, test=0.6 + 0.1 * i, seconds=1.0, updates=1)
                   for i, cell in enumerate(grid.cells)]
    comparison = Comparison.create(evaluations, sweep=SweepInfo(grid, tuple(c.id for c in grid.cells)))
    assert summarize_sweep(comparison).chosen.cell.values == {"k": 4}
    build(comparison, tmp_path)
    assert "Chosen on test accuracy itself" in (tmp_path / "report.md").read_text()


def test_text_from_grid_values_is_escaped(tmp_path):
    grid = _grid({"name": [EVIL, "plain"]})
    evaluations = [_run(cell, 0, validation=0.9, test=0.9, seconds=1.0, updates=1) for cell in grid.cells]
    comparison = Comparison.create(evaluations, sweep=SweepInfo(grid, tuple(c.id for c in grid.cells)))
    page = build(comparison, tmp_path).read_text()
    assert EVIL not in page and "&lt;script&gt;" in page


def test_results_json_keeps_the_sweep_and_older_files_still_load_as_comparisons(tmp_path):
    comparison = _batch_sweep(failures=True)
    comparison.save(tmp_path)
    again = Comparison.load(tmp_path)
    assert again.sweep.grid.same_axes(comparison.sweep.grid)
    assert again.sweep.failure_cells == comparison.sweep.failure_cells
    assert np.isclose(summarize_sweep(again).chosen.score.mean, summarize_sweep(comparison).chosen.score.mean)
    older = tmp_path / "older"
    older.mkdir()
    document = json.loads((tmp_path / "results.json").read_text())
    del document["sweep"]
    document["version"] = 1
    (older / "results.json").write_text(json.dumps(document))
    assert Comparison.load(older).sweep is None


def test_seconds_per_unit_reads_each_paradigms_own_experience_words():
    """Every paradigm's E, as its runs write it, makes a short unit for "seconds per ..." (a qualifier such as
    "over labelled training images" or a parenthesis is not part of the unit)."""
    import dataclasses

    from paradigms.reinforcement.settings import EXPERIENCE as STEPS
    from paradigms.reinforcement.settings import GUESSING_EXPERIENCE
    from paradigms.supervised.settings import EXPERIENCE as EPOCHS
    from paradigms.supervised.settings import TABLE_EXPERIENCE
    from paradigms.unsupervised.settings import DIGITS_EXPERIENCE, ROWS_EXPERIENCE
    from paradigms.unsupervised.settings import EXPERIENCE as CUSTOMERS

    summary = summarize_sweep(_batch_sweep())
    units = {words: dataclasses.replace(summary, experience=words).unit()
             for words in (EPOCHS, TABLE_EXPERIENCE, STEPS, GUESSING_EXPERIENCE, CUSTOMERS, ROWS_EXPERIENCE,
                           DIGITS_EXPERIENCE)}
    assert units == {EPOCHS: "epoch", TABLE_EXPERIENCE: "epoch", STEPS: "environment step", GUESSING_EXPERIENCE: "guess",
                     CUSTOMERS: "customer", ROWS_EXPERIENCE: "row", DIGITS_EXPERIENCE: "unlabelled training image"}
