import hashlib
import warnings

import numpy as np
import pytest
from fake_mnist import write_fake_mnist

from paradigms.cli import main
from paradigms.datasets.digits import (
    MNIST_FILES,
    DownloadError,
    cache_dir,
    download_mnist,
    find_files,
    import_mnist,
    load_digit_data,
    load_mnist,
    locate_mnist,
)
from paradigms.datasets.idx import write_idx
from paradigms.errors import ConfigError, DataError


def test_download_verifies_and_writes_into_the_cache(tmp_path, serve):
    remote = tmp_path / "remote"
    specs = write_fake_mnist(remote)
    dest = download_mnist(mirrors=[serve(remote)], files=specs)
    assert dest == cache_dir()
    for spec in specs.values():
        assert hashlib.sha256((dest / spec.name).read_bytes()).hexdigest() == spec.sha256
    assert not [p for p in dest.iterdir() if p.name.startswith(".")], "no temporary files left"


def test_download_skips_a_dead_mirror(tmp_path, serve):
    remote = tmp_path / "remote"
    specs = write_fake_mnist(remote)
    dead = "http://127.0.0.1:9/"  # the discard port: nothing listens
    dest = download_mnist(tmp_path / "dest", mirrors=[dead, serve(remote)], files=specs, timeout=2)
    assert find_files(dest) is not None


def test_checksum_mismatch_is_refused_and_nothing_is_cached(tmp_path, serve):
    remote = tmp_path / "remote"
    specs = write_fake_mnist(remote)
    tampered = tmp_path / "tampered"
    write_fake_mnist(tampered, seed=1)  # same names, other bytes
    with pytest.raises(DownloadError) as info:
        download_mnist(mirrors=[serve(tampered)], files=specs)
    message = str(info.value)
    assert "\n" not in message and "does not match the published" in message and "refused" in message
    assert not cache_dir().exists() or not any(cache_dir().iterdir())


def test_a_good_mirror_after_a_bad_one_wins(tmp_path, serve):
    remote, tampered = tmp_path / "remote", tmp_path / "tampered"
    specs = write_fake_mnist(remote)
    write_fake_mnist(tampered, seed=1)
    dest = download_mnist(mirrors=[serve(tampered), serve(remote)], files=specs)
    assert (dest / specs["test_labels"].name).read_bytes() == (remote / specs["test_labels"].name).read_bytes()


def test_missing_file_on_every_mirror(tmp_path, serve):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DownloadError, match="404"):
        download_mnist(mirrors=[serve(empty)])


def test_locate_order_data_dir_then_env_then_cache(tmp_path, monkeypatch):
    explicit, shared = tmp_path / "explicit", tmp_path / "shared"
    write_fake_mnist(explicit)
    write_fake_mnist(shared / "mnist")
    write_fake_mnist(cache_dir())
    monkeypatch.setenv("LEARNING_PARADIGMS_DATA", str(shared))
    files, source = locate_mnist(explicit)
    assert files["train_images"].parent == explicit and "--data-dir" in source
    files, source = locate_mnist()
    assert files["train_images"].parent == shared / "mnist" and "LEARNING_PARADIGMS_DATA" in source
    monkeypatch.delenv("LEARNING_PARADIGMS_DATA")
    files, source = locate_mnist()
    assert files["train_images"].parent == cache_dir() and "cache" in source


def test_env_pointing_nowhere_warns_and_moves_on(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARNING_PARADIGMS_DATA", str(tmp_path / "nothing-here"))
    with pytest.warns(UserWarning, match="holds no MNIST files"):
        assert locate_mnist() is None


def test_bad_data_dir_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such folder"):
        locate_mnist(tmp_path / "absent")
    (tmp_path / "half").mkdir()
    write_idx(tmp_path / "half" / "train-images-idx3-ubyte.gz", np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ConfigError, match="missing train-labels-idx1-ubyte.gz"):
        locate_mnist(tmp_path / "half")


def test_unverified_files_are_read_but_named_so(tmp_path):
    write_fake_mnist(tmp_path)
    data = load_mnist(tmp_path)
    assert data.train_images.shape == (30, 28, 28) and len(data.test_labels) == 10
    assert data.info.name != "MNIST" and "differ from the published checksums" in data.info.notes
    assert set(data.info.checksums) == {f"{s.name} (sha256)" for s in MNIST_FILES.values()}


def test_raw_files_and_dotted_names_are_found(tmp_path):
    write_fake_mnist(tmp_path)
    for spec in MNIST_FILES.values():
        (tmp_path / spec.name).rename(tmp_path / spec.raw_name.replace("-idx", ".idx"))
        # still gzipped content under a raw name: read by content
    assert load_mnist(tmp_path).train_labels.tolist()[:3] == [0, 1, 2]


def test_mismatched_counts_in_a_data_dir(tmp_path):
    write_fake_mnist(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(7, np.uint8))
    with pytest.raises(DataError, match="10 images but .*7 labels"):
        load_mnist(tmp_path)


def test_offline_without_files_falls_back_to_the_8x8_digits(no_real_mnist):
    with pytest.warns(UserWarning, match="using scikit-learn's 8x8 digits"):
        data = load_digit_data()
    assert data.info.fallback and "8x8" in data.info.name
    assert data.train_images.shape[1:] == (8, 8) and data.train_images.dtype == np.uint8
    assert len(data.train_labels) + len(data.test_labels) == 1797
    assert data.train_images.max() == 255


def test_unreachable_mirrors_fall_back_quickly(no_real_mnist, monkeypatch):
    monkeypatch.delenv("LEARNING_PARADIGMS_OFFLINE")
    monkeypatch.setenv("LEARNING_PARADIGMS_MNIST_MIRRORS", "http://127.0.0.1:9/,http://127.0.0.1:9/x/")
    with pytest.warns(UserWarning, match="unavailable"):
        data = load_digit_data()
    assert data.info.fallback and "could not download" in data.info.notes


def test_corrupt_file_is_an_error_not_a_fallback(tmp_path):
    write_fake_mnist(tmp_path)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:100])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError, match="train-images-idx3-ubyte.gz: the gzip file is truncated"):
            load_digit_data(tmp_path)


def test_import_refuses_files_that_are_not_mnist(tmp_path):
    write_fake_mnist(tmp_path / "mine")
    with pytest.raises(DataError, match="matches neither published SHA-256"):
        import_mnist(tmp_path / "mine", tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_cli_fetch_with_a_tampered_mirror_exits_1_and_caches_nothing(tmp_path, serve, monkeypatch, capsys):
    tampered = tmp_path / "tampered"
    write_fake_mnist(tampered)
    monkeypatch.delenv("LEARNING_PARADIGMS_OFFLINE")
    monkeypatch.setenv("LEARNING_PARADIGMS_MNIST_MIRRORS", serve(tampered))
    assert main(["data", "fetch", "mnist", "--data-dir", str(tmp_path / "dest")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "does not match the published" in err
    assert not (tmp_path / "dest").exists() or not any((tmp_path / "dest").iterdir())


@pytest.mark.parametrize(
    "argv, message",
    [
        (["data", "fetch", "mnist"], "LEARNING_PARADIGMS_OFFLINE is set"),
        (["data", "fetch", "mnist", "--from", "/no/such/dir"], "--from /no/such/dir: no such folder"),
        (["data", "fetch", "fashion"], "invalid choice"),
    ],
)
def test_cli_fetch_usage_errors(argv, message, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_cli_info_reports_missing_mnist(no_real_mnist, capsys):
    assert main(["data", "info", "mnist"]) == 1
    assert "not found" in capsys.readouterr().out
