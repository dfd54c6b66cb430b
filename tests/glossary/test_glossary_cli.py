"""``paradigms glossary list | show`` and ``paradigms lesson``: output, files written, one-line errors."""

import subprocess
import sys

import pytest

from glossary import all_terms
from paradigms.cli import main


def test_list_is_one_term_per_line_slug_first(capsys):
    assert main(["glossary", "list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(all_terms())
    for line, term in zip(lines, all_terms(), strict=True):
        assert line.split()[0] == term.slug
        assert term.name in line


def test_show_prints_definition_numbers_and_table(capsys):
    assert main(["glossary", "show", "cost function"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("cost function (cost-function)")
    for piece in ("Look for:", "Finding:", "Numbers:", "cross_entropy_confident_mistake", "Table:", "p(true class)", "seed=0"):
        assert piece in out


def test_show_with_settings_seed_and_plot_writes_a_png(tmp_path, capsys):
    png = tmp_path / "figures" / "epoch.png"
    page = tmp_path / "epoch.html"
    argv = ["glossary", "show", "epochs", "--seed", "2", "--set", "epochs=3", "--set", "width=16",
            "--plot", str(png), "--html", str(page)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "epochs=3" in out and "width=16" in out and "seed=2" in out
    assert f"wrote {png}" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<img" in html and "An epoch is" in html
    # The same policy as the report and the lesson: it opens from disk and reaches nothing.
    assert "Content-Security-Policy" in html and "default-src &#x27;none&#x27;" in html
    assert "<script" not in html
    assert not list(tmp_path.rglob("*.tmp")), "files are written atomically"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["glossary", "show", "epoc"], "unknown glossary term 'epoc': did you mean epoch?"),
        (["glossary", "show", "overfiting"], "did you mean overfitting"),
        (["glossary", "show", "epoch", "--set", "epochz=3"], "unknown setting 'epochz'"),
        (["glossary", "show", "epoch", "--set", "epochs=-1"], "epochs = -1 is out of range"),
        (["glossary", "show", "epoch", "--set", "nonsense"], "write SETTING=VALUE"),
        (["glossary", "show", "epoch", "--plot", "figure.jpg"], "name a file ending in .png"),
        (["glossary", "show", "epoch", "--seed", "-4"], "seed"),
        (["glossary"], "name an action"),
        (["glossary", "shout"], "invalid choice"),
        (["lesson"], "--out"),
        (["lesson", "--out", "page", "--no-runs", "--results", "res"], "exclude each other"),
        (["lesson", "--out", "page", "--results", "nowhere"], "--results nowhere: no such folder"),
        (["lesson", "--out", "page", "--seed", "-1"], "seed"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert message in err and len(err.splitlines()) == 1
    assert not list(tmp_path.iterdir()), "nothing written on a usage error"


def test_lesson_refuses_a_file_where_its_folder_should_be(tmp_path, capsys):
    blocker = tmp_path / "lesson"
    blocker.write_text("mine", encoding="utf-8")
    assert main(["lesson", "--out", str(blocker), "--no-runs"]) == 2
    assert "a file is in the way" in capsys.readouterr().err and blocker.read_text(encoding="utf-8") == "mine"


def test_console_command_runs_in_a_fresh_process():
    done = subprocess.run(
        [sys.executable, "-m", "paradigms", "glossary", "show", "learning rate", "--set", "steps=5"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "learning rate (learning-rate)" in done.stdout and "2/L" in done.stdout
