"""Fixtures of the supervised tests: never the real network, never the real user cache."""

from __future__ import annotations

import socket

import pytest

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def isolated_data_sources(tmp_path_factory, monkeypatch):
    """Each test gets an empty user cache, downloads switched off unless a test
    switches them on, and sockets that refuse any host but this machine."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("LEARNING_PARADIGMS_OFFLINE", "1")
    monkeypatch.delenv("LEARNING_PARADIGMS_MNIST_MIRRORS", raising=False)
    real_connect = socket.socket.connect

    def local_only(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in _LOCAL_HOSTS:
            raise OSError(f"test tried to reach {address!r}: tests must not touch the network")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", local_only)


@pytest.fixture
def no_real_mnist(monkeypatch):
    """Hide the real MNIST so that runs fall back to the small 8x8 digits (fast)."""
    monkeypatch.delenv("LEARNING_PARADIGMS_DATA", raising=False)
