"""The files a run writes: staged and moved into place only on success, safe to open in a spreadsheet;
settings that can never work are refused before anything starts."""

import pandas as pd
import pytest

import paradigms
from paradigms.cli import main
from paradigms.outputs import own_files
from paradigms.unsupervised import training
from paradigms.unsupervised.settings import UnsupervisedSettings

RUN_FILES = ("customer_segments.csv", "segment_profiles.csv", "generated_transactions.csv", "generated_personas.csv")


@pytest.fixture
def earlier_run(tmp_path):
    """A folder holding a finished run's files (a tiny generated shop), and their bytes."""
    out = tmp_path / "out"
    argv = ["run", "unsupervised", "--quick", "--customers", "60", "--k", "3", "--curve-points", "2", "--out", str(out)]
    assert main(argv) == 0
    return out, {name: (out / name).read_bytes() for name in (*RUN_FILES, "unsupervised.json")}


def test_a_successful_run_records_its_files_as_its_own(earlier_run):
    out, _ = earlier_run
    assert set(RUN_FILES) <= own_files(out)
    assert not list(out.glob(".staging-*"))


def test_a_run_that_fails_midway_leaves_the_earlier_files_as_they_were(earlier_run, monkeypatch, capsys):
    out, before = earlier_run

    def broken(*args, **kwargs):
        raise paradigms.DataError("the learning curve broke")  # after the new log was generated and read

    monkeypatch.setattr(training, "learning_curve", broken)
    argv = ["run", "unsupervised", "--quick", "--customers", "80", "--k", "3", "--seed", "5", "--out", str(out)]
    assert main(argv) == 1
    assert "the learning curve broke" in capsys.readouterr().err
    assert {name: (out / name).read_bytes() for name in before} == before  # nothing half-replaced
    assert not list(out.glob(".staging-*"))


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--k", "1"], "k = 1 is out of range: must be >= 2"),
        (["--k", "70"], "k = 70 is above customers = 60"),
        (["--k-min", "5", "--k-max", "3"], "k_min = 5 is above k_max = 3"),
        (["--customers", "10000000"], "customers = 10000000 is out of range: must be <= 100000"),
        (["--silhouette-sample", "1000000"], "silhouette_sample = 1000000 is out of range: must be <= 50000"),
        (["--curve-draws", "0"], "curve_draws = 0 is out of range: must be >= 1"),
    ],
)
def test_settings_that_can_never_work_are_refused_before_the_run(earlier_run, capsys, extra, message):
    out, before = earlier_run
    argv = ["run", "unsupervised", "--quick", "--customers", "60", "--out", str(out), *extra]
    if "--customers" in extra:
        argv.remove("60"), argv.remove("--customers")
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1, err
    assert {name: (out / name).read_bytes() for name in before} == before


def test_settings_check_k_against_the_generated_shop_only():
    with pytest.raises(paradigms.ConfigError, match="k_min = 30 needs more than 25 customers"):
        UnsupervisedSettings(customers=25, k_min=30, k_max=40)
    assert UnsupervisedSettings(data="shop.csv", customers=25, k=40).k == 40  # a user's file: checked once read


def test_csv_files_written_from_user_data_cannot_run_as_spreadsheet_formulas(tmp_path):
    ids = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "plain"] * 8
    frame = pd.DataFrame({"id": [f"{v}{i}" if i >= 5 else v for i, v in enumerate(ids)],
                          "x": range(40), "y": [i % 4 for i in range(40)]})
    path = tmp_path / "table.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    assert main(["run", "unsupervised", "--data", str(path), "--id-column", "id", "--k", "2",
                 "--curve-points", "2", "--out", str(out)]) == 0
    written = pd.read_csv(out / "customer_segments.csv", dtype=str, keep_default_na=False)
    assert set(written["customer_id"].head(5)) == {"'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "plain"}
    assert not written["customer_id"].str.match(r"^[=+\-@\t\r]").any()
