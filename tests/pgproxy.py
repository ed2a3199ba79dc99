"""A TCP proxy between the app and PostgreSQL that can drop connections.

Fault-injection tests point the app's ``DATABASE_URL`` at the proxy and then
make the database vanish on purpose:

- ``cut()`` closes every open connection at once and refuses new ones (they
  are accepted and closed straight away, as a database that is down);
- ``restore()`` forwards new connections again;
- ``cut_on(pattern)`` arms a cut in the middle of a conversation: the next
  client-to-server chunk that contains ``pattern`` is not forwarded, and both
  sockets of that connection are closed. Everything sent before it reached
  the server, so a transaction dies half done. With ``from_server=True`` it
  is the server's answer that is lost: the statement ran (a COMMIT took
  effect) but the client never hears so.

Clients must connect with ``sslmode=disable``: the protocol then stays plain,
and psycopg2 sends each statement's full SQL text (it interpolates the
parameters itself), so a statement can be recognised by its text. A pattern
split over two chunks is still found, but the part in the first chunk was
already forwarded: the server then sees half a message and the end of the
connection, which is the same fault.

Only the standard library: one thread accepts, one thread per connection
pair moves the bytes both ways. All threads are daemons and ``close()`` joins
them, so a failing test leaks neither threads nor sockets.
"""

import selectors
import socket
import threading

# How long a blocked thread waits before it looks at the flags again.
POLL_SECONDS = 0.1
CHUNK = 65536
# The longest pattern ``cut_on`` takes: that much of the previous chunk is
# kept to find a pattern that straddles two chunks.
MAX_PATTERN = 1024
JOIN_SECONDS = 5


class _Pair:
    """One client connection and its connection to the server."""

    def __init__(self, proxy: "PgProxy", client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server: socket.socket | None = None
        self._stop = threading.Event()
        self.thread = threading.Thread(
            target=self._run, name=f"pgproxy-pair-{client.fileno()}", daemon=True
        )

    def stop(self) -> None:
        """Close both ends now (from any thread); the pair's thread cleans up.

        ``shutdown`` sends the end of the stream to both peers at once and
        wakes the thread, which alone closes the file descriptors: closing
        them here could close a number another thread reuses.
        """
        self._stop.set()
        for sock in (self.client, self.server):
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # not connected (any more)

    def _run(self) -> None:
        try:
            self.server = socket.create_connection(
                self.proxy.target, timeout=JOIN_SECONDS
            )
            if self._stop.is_set():  # cut while we were connecting
                return
            self.server.settimeout(None)
            self.client.settimeout(None)
            self._pump()
        except OSError:
            pass  # either side went away: the pair ends
        finally:
            for sock in (self.client, self.server):
                if sock is not None:
                    sock.close()
            self.proxy._forget(self)

    def _pump(self) -> None:
        # The end of what each side sent last, to find a pattern cut in two.
        tails = {self.client: b"", self.server: b""}
        with selectors.DefaultSelector() as selector:
            selector.register(self.client, selectors.EVENT_READ, self.server)
            selector.register(self.server, selectors.EVENT_READ, self.client)
            while not self._stop.is_set():
                for key, _events in selector.select(POLL_SECONDS):
                    source, target = key.fileobj, key.data
                    data = source.recv(CHUNK)
                    if not data:
                        return
                    window = tails[source] + data
                    if self.proxy._should_cut(
                        window,
                        new_from=len(tails[source]),
                        from_server=source is self.server,
                    ):
                        return
                    tails[source] = window[-MAX_PATTERN:]
                    target.sendall(data)


class PgProxy:
    """Forward 127.0.0.1:<port> to ``target``; see the module docstring."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        self._lock = threading.Lock()
        self._pairs: set[_Pair] = set()
        self._refusing = False
        self._pattern: bytes | None = None
        self._pattern_from_server = False
        self._tripped = threading.Event()
        self._closing = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(POLL_SECONDS)
        self.port: int = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(
            target=self._accept_loop, name="pgproxy-accept", daemon=True
        )
        self._acceptor.start()

    def __enter__(self) -> "PgProxy":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    @property
    def tripped(self) -> bool:
        """Whether an armed ``cut_on`` has cut a connection."""
        return self._tripped.is_set()

    def cut(self) -> None:
        """Close every open connection and refuse new ones until ``restore()``."""
        with self._lock:
            self._refusing = True
            pairs = list(self._pairs)
        self._stop_and_join(pairs)

    def restore(self) -> None:
        """Forward new connections again."""
        with self._lock:
            self._refusing = False

    def cut_on(self, pattern: bytes, *, from_server: bool = False) -> None:
        """Cut the connection that next sends ``pattern``, instead of passing it.

        The client's chunks are watched, or the server's with ``from_server``.
        """
        if not pattern or len(pattern) > MAX_PATTERN:
            raise ValueError(f"a pattern has 1 to {MAX_PATTERN} bytes")
        with self._lock:
            self._pattern = pattern
            self._pattern_from_server = from_server
            self._tripped.clear()

    def close(self) -> None:
        """Stop accepting, close every connection and join every thread."""
        self._closing.set()
        self._acceptor.join(JOIN_SECONDS)
        with self._lock:
            self._refusing = True
            pairs = list(self._pairs)
        self._stop_and_join(pairs)

    def _stop_and_join(self, pairs: list[_Pair]) -> None:
        for pair in pairs:
            pair.stop()
        for pair in pairs:
            pair.thread.join(JOIN_SECONDS)

    def _accept_loop(self) -> None:
        try:
            while not self._closing.is_set():
                try:
                    client, _address = self._listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                with self._lock:
                    refused = self._refusing or self._closing.is_set()
                    if not refused:
                        # Registered under the lock, so a cut() that runs now
                        # either sees this pair or made us refuse it.
                        pair = _Pair(self, client)
                        self._pairs.add(pair)
                        pair.thread.start()
                if refused:
                    client.close()
        finally:
            self._listener.close()

    def _forget(self, pair: _Pair) -> None:
        with self._lock:
            self._pairs.discard(pair)

    def _should_cut(self, window: bytes, *, new_from: int, from_server: bool) -> bool:
        """Whether the armed pattern ends in ``window[new_from:]``; disarms it.

        A pattern wholly inside the already forwarded part does not count: it
        went through before the cut was armed.
        """
        with self._lock:
            pattern = self._pattern
            if pattern is None or from_server != self._pattern_from_server:
                return False
            if window.find(pattern, max(0, new_from - len(pattern) + 1)) < 0:
                return False
            self._pattern = None
        self._tripped.set()
        return True
