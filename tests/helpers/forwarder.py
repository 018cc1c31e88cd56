"""A TCP relay on loopback in front of the test's real PostgreSQL, that a test can cut.

`down()` does what a restart does to the app: every open connection is dropped and nothing
listens on the port any more (new connections are refused); `up()` listens again on the same
port. `silent()` accepts connections and never answers, as a host lost on the network does.
"""

import contextlib
import socket
import threading

import pytest
from sqlalchemy import make_url

from portal.core.extensions import db
from tests.conftest import build_app


class Forwarder:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.mode = "down"
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def up(self) -> None:
        self._stop_listening()
        self.mode = "up"
        self._listen()

    def down(self) -> None:
        self.mode = "down"
        self._stop_listening()
        self._drop_connections()

    def silent(self) -> None:
        self.down()
        self.mode = "silent"
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _stop_listening(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None

    def _drop_connections(self) -> None:
        with self._lock:
            sockets, self._open = self._open, set()
        for each in sockets:
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
            each.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped listening
            with self._lock:
                self._open.add(client)
            if self.mode != "up":
                continue  # silent: held open, never answered
            server = socket.create_connection(self.target)
            with self._lock:
                self._open.add(server)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def close(self) -> None:
        self.down()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def forwarder(backend):
    """A relay to the test's PostgreSQL, open; its app: `relayed_app(**overrides)`."""
    if backend["name"] != "postgresql":
        pytest.skip("a database that restarts is a server: this test runs on PostgreSQL")
    url = make_url(backend["url"])
    relay = Forwarder(url.host or "127.0.0.1", url.port or 5432)
    relay.up()
    yield relay
    relay.close()


@pytest.fixture
def relayed_app(app, backend, forwarder, tmp_path):
    """make(**overrides): an app reaching the same database as `app`, through the relay."""
    made = []

    def make(**overrides):
        url = make_url(backend["url"]).set(host="127.0.0.1", port=forwarder.port)
        relayed = build_app(
            url.render_as_string(hide_password=False), tmp_path / "relayed", **overrides
        )
        made.append(relayed)
        return relayed

    yield make
    for relayed in made:
        with relayed.app_context():
            db.session.remove()
            db.engine.dispose()
