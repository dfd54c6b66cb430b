"""The report removes or replaces only files the program wrote (its manifest), never a user's own."""

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
