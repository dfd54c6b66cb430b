"""The report removes or replaces only files the program wrote (its manifest), never a user's own."""

import warnings

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
