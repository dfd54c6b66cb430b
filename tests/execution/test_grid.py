"""A sweep's grid: values read as the settings read them, and every mistake refused before a run."""

import pytest

from paradigms.errors import ConfigError
from paradigms.execution import Grid, make_grid, parse_grid_options, plan_sweep


def test_the_grid_is_every_combination_with_values_converted_by_the_settings(scribe):
    grid = make_grid("scribe", parse_grid_options(["level=1,3", "widths=2;4,4"]))
    assert [cell.values for cell in grid.cells] == [
        {"level": 1, "widths": (2,)}, {"level": 1, "widths": (4, 4)},
        {"level": 3, "widths": (2,)}, {"level": 3, "widths": (4, 4)},
    ]  # list values as tuples, as the settings hold them
    assert [cell.settings.widths for cell in grid.cells][:2] == [(2,), (4, 4)]
    assert grid.cells[1].config["widths"] == [4, 4] and grid.cells[1].config["level"] == 1
    assert len({cell.id for cell in grid.cells}) == 4 and all("/" not in cell.id for cell in grid.cells)
    assert grid.selection == "curve"  # from the paradigm's spec


def test_a_grid_reads_back_from_json_as_the_same_grid(scribe):
    grid = make_grid("scribe", {"level": "1,3", "widths": "2;4,4"}, fixed={"fail_at": 7})
    again = Grid.from_dict(grid.to_dict())
    assert again.same_axes(grid) and again.fixed == {"fail_at": 7} and again.selection == "curve"
    assert [c.label for c in again.cells] == [c.label for c in grid.cells]


def test_the_real_paradigms_settings_read_grid_values(scribe):
    grid = make_grid("supervised", parse_grid_options(["learning_rate=1e-3,0.003", "hidden_sizes=128;256,128"]))
    assert grid.axes[0].values == (0.001, 0.003)
    assert grid.axes[1].values == ((128,), (256, 128))
    assert len(grid.cells) == 4


@pytest.mark.parametrize(
    "options, fixed, message",
    [
        (["levle=1,2"], {}, "unknown setting 'levle'.*did you mean level"),
        (["level=1,11"], {}, r"--grid level: level = 11 is out of range: must be <= 10"),
        (["level=1,many"], {}, "not a valid int"),
        ([], {}, "an empty grid"),
        (["level="], {}, "give one or more values"),
        (["level"], {}, "write SETTING=VALUE1,VALUE2"),
        (["level=1,1"], {}, "the value 1 is given twice"),
        (["level=1", "level=2"], {}, "given twice"),
        (["level=1,2"], {"level": 3}, "both swept .--grid. and fixed .--set."),
        (["level=1,2"], {"fail_at": -5}, "--set: fail_at = -5 is out of range"),
        (["output_dir=a,b"], {}, "the sweep sets it itself"),
    ],
)
def test_a_bad_grid_is_one_clear_error(scribe, options, fixed, message):
    with pytest.raises(ConfigError, match=message):
        make_grid("scribe", parse_grid_options(options), fixed=fixed)


def test_cells_are_checked_together_before_any_run(tmp_path):
    with pytest.raises(ConfigError, match="--grid cell k_min=6, k_max=4: k_min = 6 is above k_max = 4"):
        plan_sweep("unsupervised", ["k_min=2,6", "k_max=4,8"], out=tmp_path)
    assert not (tmp_path / "runs").exists()


def test_more_runs_than_the_maximum_need_yes(scribe, tmp_path):
    with pytest.raises(ConfigError, match=r"4 cells × 30 seeds = 120 runs, more than 100: add --yes"):
        plan_sweep("scribe", ["level=1,2,3,4"], seeds=30)
    assert len(plan_sweep("scribe", ["level=1,2,3,4"], seeds=30, yes=True).tasks) == 120


def test_a_grid_of_a_million_cells_is_refused_before_any_value_is_converted_or_cell_built(scribe, monkeypatch):
    calls = []
    original = scribe.settings.from_overrides.__func__

    def counted(cls, *args, **kwargs):
        calls.append(1)
        if len(calls) > 100:
            raise AssertionError("the grid is being built before its size was checked")
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(scribe.settings, "from_overrides", classmethod(counted))
    thousand = ",".join(str(n) for n in range(1000))
    with pytest.raises(ConfigError, match=r"1000000 cells × 1 seeds = 1000000 runs, more than 100: add --yes"):
        plan_sweep("scribe", [f"fail_at={thousand}", f"nap={thousand}"])
    assert len(calls) <= 1  # the --set check only
