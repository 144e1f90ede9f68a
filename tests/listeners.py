"""A server that accepts TCP connections and never says a word: a hung mail server or Redis, for timeout tests."""

import contextlib
import socket
import threading


class SilentListener:
    """Listening on a free loopback port; ``accepted`` holds every connection taken (how often a client tried)."""

    def __init__(self):
        self.accepted: list[socket.socket] = []
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def port(self) -> int:
        return self._socket.getsockname()[1]

    def _accept(self):
        while not self._stop.is_set():
            try:
                self.accepted.append(self._socket.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        for connection in self.accepted:
            with contextlib.suppress(OSError):
                connection.close()
        self._socket.close()
