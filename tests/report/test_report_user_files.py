"""The report removes or replaces only files the program wrote (its manifest), never a user's own."""

import warnings
from pathlib import Path

import pytest
from report_helpers import make_evaluation, tiny_gif

from paradigms.cli import main
from paradigms.outputs import own_files
from paradigms.report import build

PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def test_a_users_pictures_survive_rebuilds_and_the_reports_stale_ones_go(tmp_path):
    out = tmp_path / "results"
    figures = out / "figures"
    figures.mkdir(parents=True)
    (figures / "photo.png").write_bytes(PNG)
    (figures / "anim.gif").write_bytes(tiny_gif())
    build([make_evaluation("alpha"), make_evaluation("beta", gif=True)], out, terms=[])
    ours = own_files(out)
    assert "figures/beta-rollout.gif" in ours and "index.html" in ours and "figures/photo.png" not in ours

    build([make_evaluation("alpha")], out, terms=[])  # beta's animation is stale now
    assert not (figures / "beta-rollout.gif").exists() and "figures/beta-rollout.gif" not in own_files(out)
    assert (figures / "photo.png").read_bytes() == PNG and (figures / "anim.gif").read_bytes() == tiny_gif()

    # `paradigms report DIR --out OTHER` into a folder of the user's, twice
    other = tmp_path / "other"
    (other / "figures").mkdir(parents=True)
    (other / "figures" / "photo.png").write_bytes(PNG)
    for _ in range(2):
        assert main(["report", str(out), "--out", str(other)]) == 0
    assert (other / "figures" / "photo.png").read_bytes() == PNG
    assert (other / "results.json").exists() and "results.json" in own_files(other)


def test_a_users_file_with_one_of_the_reports_names_is_moved_aside_not_overwritten(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<p>my own home page</p>")
    (out / "results.json").write_text('{"mine": true}')
    with pytest.warns(UserWarning) as caught:
        build([make_evaluation("alpha")], out, terms=[])
    assert sorted(str(w.message).split(": ", 1)[1] for w in caught) == [
        "this file is not one the program wrote; kept it as index.yours.html and wrote the new index.html",
        "this file is not one the program wrote; kept it as results.yours.json and wrote the new results.json",
    ]
    assert (out / "index.yours.html").read_text() == "<p>my own home page</p>"
    assert (out / "results.yours.json").read_text() == '{"mine": true}'
    assert "Three ways to learn" in (out / "index.html").read_text()
    # the page is the program's own now: a rebuild replaces it and moves nothing more aside
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build([make_evaluation("beta")], out, terms=[])
    assert sorted(p.name for p in out.glob("*.yours*")) == ["index.yours.html", "results.yours.json"]


def test_a_figures_folder_linked_outside_the_output_is_refused_and_nothing_there_is_touched(tmp_path, capsys):
    out = tmp_path / "results"
    build([make_evaluation("alpha"), make_evaluation("beta", gif=True)], out, terms=[])
    theirs = tmp_path / "my-pictures"
    theirs.mkdir()
    (theirs / "beta-rollout.gif").write_bytes(b"my animation")  # a stale listed figure's name
    (theirs / "alpha-curve.png").write_bytes(PNG)
    for name in [p.name for p in (out / "figures").iterdir()]:
        (out / "figures" / name).unlink()
    (out / "figures").rmdir()
    (out / "figures").symlink_to(theirs, target_is_directory=True)
    page = (out / "index.html").read_text()

    with pytest.raises(Exception, match="outside the output folder"):
        build([make_evaluation("alpha")], out, terms=[])
    assert main(["report", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "outside the output folder" in err
    assert sorted(p.name for p in theirs.iterdir()) == ["alpha-curve.png", "beta-rollout.gif"]
    assert (theirs / "beta-rollout.gif").read_bytes() == b"my animation" and (theirs / "alpha-curve.png").read_bytes() == PNG
    assert (out / "index.html").read_text() == page


def test_the_manifest_helpers_refuse_paths_that_resolve_outside_the_folder(tmp_path):
    from paradigms.errors import ConfigError
    from paradigms.outputs import keep_theirs, record_own_files, remove_own_files

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (elsewhere / "a.png").write_bytes(PNG)
    (out / "figures").symlink_to(elsewhere, target_is_directory=True)
    record_own_files(out, ["figures/a.png"])
    with pytest.raises(ConfigError, match="outside the output folder"):
        remove_own_files(out, ["figures/a.png"])
    with pytest.raises(ConfigError, match="outside the output folder"):
        keep_theirs(out, ["figures/a.png"])
    assert [p.name for p in elsewhere.iterdir()] == ["a.png"]


def test_a_failure_between_the_figures_and_the_pages_leaves_the_old_report_intact(tmp_path, monkeypatch):
    import sys

    report_build = sys.modules["paradigms.report.build"]

    out = tmp_path / "results"
    build([make_evaluation("alpha")], out, terms=[])
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*_args, **_kwargs):
        raise UnicodeEncodeError("utf-8", "\udce9", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(report_build, "render_html", broken)
    with pytest.raises(UnicodeEncodeError):
        build([make_evaluation("alpha"), make_evaluation("beta", gif=True)], out, terms=[])
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # no new figure beside the old page, no staging folder left


def test_a_lone_surrogate_in_results_json_is_written_out_and_the_report_builds(tmp_path, capsys):
    import json

    out = tmp_path / "results"
    build([make_evaluation("alpha")], out, terms=[])
    results = out / "results.json"
    document = json.loads(results.read_text())
    document["evaluations"][0]["task"] = "caf\udce9 \ud800 task"
    document["evaluations"][0]["dataset"]["name"] = "caf\udce9 \ud800 task"
    results.write_text(json.dumps(document))  # ensure_ascii: the surrogates as \\udce9, \\ud800
    assert main(["report", str(out)]) == 0, capsys.readouterr().err
    from paradigms.outputs import read_json_file

    assert read_json_file(results)["evaluations"][0]["task"] == "caf\\xe9 \\ud800 task"


def test_a_class_folder_whose_name_is_not_utf8_gets_a_name_that_can_be_written(tmp_path):
    import os

    from paradigms.supervised.sources.folders import ImageQuality, _class_folders

    os.mkdir(os.fsencode(tmp_path) + b"/caf\xe9")
    (tmp_path / "dog").mkdir()
    names = sorted(_class_folders(tmp_path, ImageQuality(str(tmp_path), "one folder per class")))
    assert names == ["caf\\xe9", "dog"]
    assert all(name.encode("utf-8") for name in names)


def test_a_report_into_a_folder_that_cannot_be_written_fails_before_the_work(tmp_path, capsys, monkeypatch):
    import os

    from paradigms import outputs
    from paradigms.report.comparison import Comparison

    out = tmp_path / "results"
    build([make_evaluation("alpha")], out, terms=[])
    page = (out / "index.html").read_text()
    real_access = os.access
    monkeypatch.setattr(outputs.os, "access", lambda path, mode: False if Path(path) == out else real_access(path, mode))

    def work(*_args, **_kwargs):
        raise AssertionError("the report was built before its folder was checked")

    monkeypatch.setattr(Comparison, "load", work)
    assert main(["report", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "permission denied (cannot write into this folder)" in err[0]
    assert (out / "index.html").read_text() == page
