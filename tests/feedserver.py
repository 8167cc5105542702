"""A real HTTP feed server on 127.0.0.1 for tests.

Runs the stdlib ThreadingHTTPServer on an ephemeral port in a daemon
thread, so tests exercise real sockets, real redirects and real timing
instead of mocks. Routes are registered at runtime::

    with FeedServer() as srv:
        srv.route("/feed.xml", RSS, etag='"v1"')
        url = srv.url("/feed.xml")
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BodySource = bytes | Callable[[], Iterable[bytes]]


@dataclass
class Route:
    # body is either bytes or a factory returning chunks, so huge bodies are
    # generated lazily instead of held in memory.
    body: BodySource = b""
    status: int = 200
    headers: dict[str, str | None] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    chunk_delay: float = 0.0
    chunk_size: int = 64 * 1024
    length: int | None = None  # Content-Length to send for streamed bodies


@dataclass
class _Stats:
    hits: int = 0
    active: int = 0
    bytes_sent: int = 0
    last_headers: dict[str, str] = field(default_factory=dict)


class FeedServer:
    """Local feed server; see module docstring."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._stats: dict[str, _Stats] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> FeedServer:
        handler = type("Handler", (_Handler,), {"feeds": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False  # stop() must not wait for slow handlers
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in delay/chunk_delay
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    # -- route registration -----------------------------------------------

    def route(
        self,
        path: str,
        body: BodySource = b"",
        *,
        status: int = 200,
        headers: dict[str, str | None] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        delay: float = 0.0,
        chunk_delay: float = 0.0,
        chunk_size: int | None = None,
        length: int | None = None,
    ) -> None:
        """Serve ``body`` at ``path``.

        headers: extra response headers; a value of None suppresses a default
        header (e.g. ``{"Content-Type": None}``). etag/last_modified enable
        304 answers to matching conditional requests. delay sleeps before the
        status line; chunk_delay sleeps between body chunks (trickling).
        """
        if chunk_size is None:
            chunk_size = 16 if chunk_delay else 64 * 1024
        with self._lock:
            self._routes[path] = Route(
                body, status, dict(headers or {}), etag, last_modified,
                delay, chunk_delay, chunk_size, length,
            )

    def redirect(self, path: str, to_path: str, status: int = 302) -> None:
        """Redirect ``path`` to ``to_path`` (a path on this server or a URL)."""
        assert status in (301, 302, 303, 307, 308), status
        self.route(path, b"", status=status, headers={"Location": to_path})

    def route_large(
        self, path: str, size: int, *, send_length: bool = True, chunk: int = 256 * 1024
    ) -> None:
        """Serve ``size`` bytes generated on the fly (RSS-looking prefix + padding).

        send_length=False omits Content-Length, so a client must count bytes
        itself to notice the body is too big.
        """

        def chunks() -> Iterator[bytes]:
            head = b'<?xml version="1.0" encoding="utf-8"?><rss><channel><!--'
            yield head
            remaining = size - len(head)
            block = b" " * chunk
            while remaining > 0:
                piece = block[: min(chunk, remaining)]
                remaining -= len(piece)
                yield piece

        self.route(path, chunks, length=size if send_length else None)

    def set_body(self, path: str, body: bytes) -> None:
        """Change a feed's body and bump its validators, like a real update."""
        with self._lock:
            r = self._routes[path]
            r.body = body
            if r.etag is not None:
                r.etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
            if r.last_modified is not None:
                old = _parse_date(r.last_modified) or 0.0
                # +1 s at least: HTTP dates have one-second resolution.
                r.last_modified = email.utils.formatdate(
                    max(time.time(), old + 1), usegmt=True
                )

    def current_etag(self, path: str) -> str | None:
        with self._lock:
            return self._routes[path].etag

    # -- observation -------------------------------------------------------

    def hits(self, path: str) -> int:
        with self._lock:
            return self._stats.get(path, _Stats()).hits

    def last_headers(self, path: str) -> dict[str, str]:
        """Request headers of the latest request to ``path`` (lower-case keys)."""
        with self._lock:
            return dict(self._stats.get(path, _Stats()).last_headers)

    def bytes_sent(self, path: str) -> int:
        """Body bytes actually written to the socket for ``path`` (all requests)."""
        with self._lock:
            return self._stats.get(path, _Stats()).bytes_sent

    def wait_idle(self, path: str, timeout: float = 5.0) -> bool:
        """Wait until no handler is still serving ``path``; True if it got idle."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if self._stats.get(path, _Stats()).active == 0:
                    return True
            time.sleep(0.01)
        return False

    # -- used by the handler ----------------------------------------------

    def _begin(self, path: str, headers: dict[str, str]) -> Route | None:
        with self._lock:
            stats = self._stats.setdefault(path, _Stats())
            stats.hits += 1
            stats.active += 1
            stats.last_headers = headers
            return self._routes.get(path)

    def _end(self, path: str) -> None:
        with self._lock:
            self._stats[path].active -= 1

    def _sent(self, path: str, n: int) -> None:
        with self._lock:
            self._stats[path].bytes_sent += n

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; False means 'abort'."""
        return not self._stopping.wait(seconds) if seconds > 0 else True


def _parse_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def _not_modified(route: Route, request_headers: dict[str, str]) -> bool:
    inm = request_headers.get("if-none-match")
    if inm is not None and route.etag is not None:
        # RFC 9110: If-None-Match wins over If-Modified-Since when present.
        tags = [t.strip() for t in inm.split(",")]
        return "*" in tags or route.etag in tags
    ims = _parse_date(request_headers.get("if-modified-since"))
    lm = _parse_date(route.last_modified)
    return ims is not None and lm is not None and lm <= ims


class _Handler(BaseHTTPRequestHandler):
    feeds: FeedServer  # injected by FeedServer.start()
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean

    def do_GET(self) -> None:
        # A route registered with its query ("/s/name?before=120") wins over the bare path.
        path = self.path if self.path in self.feeds._routes else self.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        route = self.feeds._begin(path, headers)
        try:
            self._serve(path, route, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # client gave up (timeout / cap)
        finally:
            self.feeds._end(path)

    def _serve(self, path: str, route: Route | None, headers: dict[str, str]) -> None:
        if route is None:
            self._simple(404, b"not found")
            return
        if not self.feeds._sleep(route.delay):
            self.close_connection = True
            return
        if _not_modified(route, headers):
            self.send_response(304)
            self._validator_headers(route)
            self._extra_headers(route, skip=frozenset({"content-type", "content-length"}))
            self.end_headers()
            return
        self._send_body(path, route)

    def _send_body(self, path: str, route: Route) -> None:
        self.send_response(route.status)
        self._validator_headers(route)
        defaults = {"content-type": "application/rss+xml; charset=utf-8"}
        length = len(route.body) if isinstance(route.body, bytes) else route.length
        user_length = _key(route.headers, "content-length")
        if user_length is None and length is not None:
            defaults["content-length"] = str(length)
        elif user_length is None or route.headers[user_length] is None:
            # No length: the body ends when the connection closes.
            defaults["connection"] = "close"
            self.close_connection = True
        for name, value in defaults.items():
            # A route header with the same name (even None = omit) wins.
            if _key(route.headers, name) is None:
                self.send_header(name, value)
        self._extra_headers(route)
        self.end_headers()
        for chunk in self._chunks(route):
            if not self.feeds._sleep(route.chunk_delay):
                self.close_connection = True
                return
            self.wfile.write(chunk)
            self.wfile.flush()
            self.feeds._sent(path, len(chunk))

    @staticmethod
    def _chunks(route: Route) -> Iterator[bytes]:
        if isinstance(route.body, bytes):
            body, size = route.body, route.chunk_size
            for i in range(0, len(body), size):
                yield body[i : i + size]
        else:
            yield from route.body()

    def _validator_headers(self, route: Route) -> None:
        if route.etag is not None:
            self.send_header("ETag", route.etag)
        if route.last_modified is not None:
            self.send_header("Last-Modified", route.last_modified)

    def _extra_headers(self, route: Route, skip: frozenset[str] = frozenset()) -> None:
        for name, value in route.headers.items():
            if value is not None and name.lower() not in skip:
                self.send_header(name, value)

    def _simple(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _key(headers: dict[str, str | None], name: str) -> str | None:
    """The actual key in ``headers`` matching ``name`` case-insensitively."""
    return next((k for k in headers if k.lower() == name), None)
