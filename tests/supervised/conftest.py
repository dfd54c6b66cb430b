"""Fixtures of the supervised tests: never the real network, never the real user cache."""

from __future__ import annotations

import functools
import http.server
import socket
import threading

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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def serve(tmp_path):
    """serve(folder) -> base URL of a local HTTP server for that folder."""
    servers = []

    def start(folder):
        handler = functools.partial(_Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
