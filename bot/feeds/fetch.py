"""Feed-fetching edge: one HTTP GET per poll, turned into a plain value.

Everything that can go wrong on the network is reported in a
:class:`FetchResult` instead of raised, so the scheduler can treat every
poll the same way (store validators, compute the next delay, move on).
Nothing here stores or interprets feed content; :func:`parse_feed` only
hands the bytes to feedparser off the event loop.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import email.utils
import errno
import io
import os
import pickle
import re
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import feedparser  # type: ignore[import-untyped]
import httpx

from bot.feeds import guards

MAX_BODY_BYTES = 10 * 1024 * 1024

# Bounds for values a remote server controls, so one odd header cannot
# silence a feed for weeks or make us hammer it.
MAX_CACHE_SECONDS = 3600.0
MAX_RETRY_AFTER = 24 * 3600.0

_PERMANENT_REDIRECTS = frozenset({301, 308})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
_FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


# --------------------------------------------------------------------------
# Client
# --------------------------------------------------------------------------


def make_client(
    *,
    connect_timeout: float = 5.0,
    total_timeout: float = 20.0,
    user_agent: str = "AjelBot/0.1 (+breaking-news alerts)",
) -> httpx.AsyncClient:
    """Build the single shared client; the caller owns (and closes) it.

    One client means one connection pool, so polling many feeds on the same
    host reuses TCP/TLS connections instead of re-handshaking every time.
    """
    # httpx timeouts are per operation (each read, each write), not for the
    # whole request; fetch() adds the overall deadline on top.
    timeout = httpx.Timeout(total_timeout, connect=connect_timeout)
    limits = httpx.Limits(
        max_connections=64, max_keepalive_connections=16, keepalive_expiry=30.0
    )
    # Redirects are followed by fetch() itself, hop by hop, so that each target
    # is checked against the redirect policy (see bot.feeds.guards).
    return httpx.AsyncClient(
        follow_redirects=False,
        timeout=timeout,
        limits=limits,
        headers={"User-Agent": user_agent, "Accept": _FEED_ACCEPT, "Accept-Encoding": guards.ACCEPT_ENCODING},
    )


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators remembered between polls of one feed."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """Outcome of one poll. ``error is None`` exactly when status is 200/304."""

    status: int | None
    body: bytes | None
    headers: dict[str, str]
    validators: Validators
    not_modified: bool
    permanent_url: str | None
    retry_after: float | None
    max_age: float | None
    error: str | None
    elapsed: float
    repaired: int = 0  # invalid UTF-8 bytes replaced in the body (see parse_feed)
    # A permanent redirect to ANOTHER host, followed but not saved: the poller
    # adopts it only after it served a valid feed on consecutive polls.
    # (``permanent_url`` is only ever a same-host target.)
    moved_to: str | None = None

    @property
    def ok(self) -> bool:
        # A 200 whose body was rejected (too big) is not a usable result.
        return self.error is None and self.status in (200, 304)


def _failure(
    error: str,
    started: float,
    validators: Validators,
    *,
    status: int | None = None,
) -> FetchResult:
    # Failures keep the old validators so the caller can store the result's
    # validators unconditionally without forgetting what it had.
    return FetchResult(
        status=status,
        body=None,
        headers={},
        validators=validators,
        not_modified=False,
        permanent_url=None,
        retry_after=None,
        max_age=None,
        error=error,
        elapsed=time.monotonic() - started,
    )


# --------------------------------------------------------------------------
# fetch()
# --------------------------------------------------------------------------


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    validators: Validators = Validators(),
    *,
    max_bytes: int = MAX_BODY_BYTES,
    deadline: float = 20.0,
    allow_internal: bool | None = None,
    origin: str | None = None,
) -> FetchResult:
    """GET ``url`` (or read a local file) within ``deadline`` seconds overall.

    Never raises for network or HTTP trouble; see ``FetchResult.error``.

    Redirects are followed hop by hop (at most ``MAX_REDIRECTS``), each target
    checked by ``guards.redirect_refusal``: http(s) only, and never an internal
    address (loopback, private, link-local, …) unless ``allow_internal``. When
    ``allow_internal`` is None it is True exactly when the feed's configured
    URL is itself internal (local testing); that URL is ``origin`` when given
    (the poller passes ``feed.url`` while ``url`` is the stored, possibly
    moved, address), else ``url``. It is only worked out (one DNS lookup) when
    a redirect happens.

    A stored ``url`` that points inside while ``origin`` does not (saved by a
    version that followed such redirects) is not requested: ``origin`` is
    fetched instead and returned as ``permanent_url``, so the caller stores
    the configured address back.
    """
    started = time.monotonic()
    local = _local_path(url)
    try:
        # The overall deadline is what stops a server that trickles one byte
        # every few seconds: httpx's own timeouts reset on every read.
        async with asyncio.timeout(deadline):
            if local is not None:
                result = await _fetch_file(local, validators, max_bytes, started)
            else:
                policy = _RedirectPolicy(origin or url, allow_internal)
                if origin and origin != url and await policy.refusal(url):
                    result = await _fetch_http(client, origin, Validators(), max_bytes, started, policy)
                    result = replace(result, permanent_url=result.permanent_url or origin)
                else:
                    result = await _fetch_http(client, url, validators, max_bytes, started, policy)
            return await _repair_charset(result)
    except TimeoutError:
        return _failure("timeout", started, validators)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return _failure(_describe(exc), started, validators)


class _RedirectPolicy:
    """Whether a redirect target may be followed, for one fetch.

    Whether internal targets are allowed depends on the configured URL; it is
    resolved lazily, so a feed that never redirects costs no extra lookup.
    """

    def __init__(self, trusted_url: str, allow_internal: bool | None) -> None:
        self._trusted = trusted_url
        self._allow = allow_internal

    async def refusal(self, target: str) -> str | None:
        if self._allow is None:
            host = urllib.parse.urlsplit(self._trusted).hostname or ""
            self._allow = await guards.host_is_internal(host)
        return await guards.redirect_refusal(target, self._allow)


async def _fetch_http(
    client: httpx.AsyncClient,
    url: str,
    validators: Validators,
    max_bytes: int,
    started: float,
    policy: _RedirectPolicy,
) -> FetchResult:
    request_headers = _conditional_headers(validators)
    hops: list[tuple[int, str]] = []
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        # follow_redirects=False whatever the client says: every hop must pass the policy.
        async with client.stream("GET", current, headers=request_headers, follow_redirects=False) as response:
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                target = str(response.url.join(location))
                refusal = await policy.refusal(target)
                if refusal:
                    return _failure(refusal, started, validators)
                hops.append((response.status_code, target))
                current = target
                continue
            body: bytes | None = None
            error: str | None = None
            if response.status_code == 200:
                body, error = await _read_capped(response, max_bytes)
            elif response.status_code != 304:
                error = f"HTTP {response.status_code}"
            permanent, moved = _permanent_target(url, hops)
            result = _http_result(response, validators, body, error, started, permanent)
            # Another host's answer counts only when it served something usable.
            return replace(result, moved_to=moved) if moved and result.ok else result
    return _failure("too many redirects", started, validators)


def _repair_utf8(body: bytes, content_type: str | None) -> tuple[bytes, int]:
    """`guards.repair_utf8`, except for UTF-16/32 documents (a BOM, or NULs
    among the first bytes): those are not UTF-8 gone wrong; the parser reads them."""
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in body[:4]:
        return body, 0
    return guards.repair_utf8(body, content_type)


async def _repair_charset(result: FetchResult) -> FetchResult:
    """Replace invalid bytes of a UTF-8 (or undeclared) body, counting them.

    Done here, once, so the caller can log ``result.repaired``; parse_feed
    would do the same (a no-op on a body repaired already).
    """
    if result.body is None:
        return result
    content_type = result.headers.get("content-type")
    if len(result.body) > 64 * 1024:  # decoding megabytes is CPU work: not on the loop
        body, n = await asyncio.to_thread(_repair_utf8, result.body, content_type)
    else:
        body, n = _repair_utf8(result.body, content_type)
    return replace(result, body=body, repaired=n) if n else result


def _conditional_headers(validators: Validators) -> dict[str, str]:
    headers: dict[str, str] = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


async def _read_capped(
    response: httpx.Response, max_bytes: int
) -> tuple[bytes | None, str | None]:
    """Read and decode the body, giving up as soon as the DECODED size passes ``max_bytes``."""
    declared = response.headers.get("content-length", "")
    # Cheap early exit: no point downloading what we will throw away.
    if declared.isdigit() and int(declared) > max_bytes:
        return None, f"body exceeds {_human_size(max_bytes)}"
    too_big = f"body exceeds {_human_size(max_bytes)}"
    try:
        raw, coding = _raw_capped(response.aiter_raw(), max_bytes, too_big), response.headers.get("content-encoding")
        if guards.encodings(coding) == ["deflate"]:
            raw = _zlib_wrapped(raw)
        return await guards.decoded(raw, coding, max_bytes, too_big), None
    except guards.BodyError as exc:
        return None, str(exc)


async def _zlib_wrapped(raw: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """A "deflate" body as a zlib stream. Some servers send raw deflate (no
    zlib header), which httpx used to accept: give it a header. Without the
    checksum trailer the stream just ends unverified, as it did then."""
    first = True
    async for chunk in raw:
        if first and chunk:
            first = False
            if len(chunk) >= 2 and (chunk[0] & 0x0F != 8 or (chunk[0] << 8 | chunk[1]) % 31):
                yield b"\x78\x01"  # not a zlib header already: add one
        yield chunk


async def _raw_capped(raw: AsyncIterator[bytes], max_bytes: int, too_big: str) -> AsyncIterator[bytes]:
    """The raw (still encoded) chunks, capped too: bytes a server sends after
    the end of a gzip stream are not decoded, but zlib would keep them all."""
    size = 0
    async for chunk in raw:
        size += len(chunk)
        if size > max_bytes:
            raise guards.BodyError(too_big)
        yield chunk


def _http_result(
    response: httpx.Response,
    old: Validators,
    body: bytes | None,
    error: str | None,
    started: float,
    permanent_url: str | None,
) -> FetchResult:
    status = response.status_code
    headers = {k.lower(): v for k, v in response.headers.items()}
    cacheable = status in (200, 304) and error is None
    return FetchResult(
        status=status,
        body=body,
        headers=headers,
        validators=_new_validators(status, headers, old, error),
        not_modified=status == 304,
        permanent_url=permanent_url,
        retry_after=parse_retry_after(headers),
        max_age=parse_max_age(headers.get("cache-control")) if cacheable else None,
        error=error,
        elapsed=time.monotonic() - started,
    )


def _new_validators(
    status: int, headers: dict[str, str], old: Validators, error: str | None
) -> Validators:
    if status == 200 and error is None:
        # A fresh body defines fresh validators; if the server stopped
        # sending them, stop sending stale ones back.
        return Validators(headers.get("etag"), headers.get("last-modified"))
    if status == 304:
        # 304 may refresh the validators; otherwise the old ones still hold.
        return Validators(
            headers.get("etag") or old.etag,
            headers.get("last-modified") or old.last_modified,
        )
    return old


def _permanent_target(url: str, hops: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """(permanent_url, moved_to): the target of the leading run of 301/308 hops.

    A temporary hop makes everything after it temporary too. A target on the
    feed's own host is ``permanent_url`` (saved at once, as before); on another
    host it is ``moved_to``: followed but not saved, the poller adopts it only
    once it has served a valid feed more than once.
    """
    target: str | None = None
    for status, next_url in hops:
        if status not in _PERMANENT_REDIRECTS:
            break
        target = next_url
    if target is None:
        return None, None
    same_host = urllib.parse.urlsplit(target).hostname == urllib.parse.urlsplit(url).hostname
    return (target, None) if same_host else (None, target)


def _describe(exc: Exception) -> str:
    """Short, log-friendly text for an httpx failure."""
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.ConnectError):
        # httpx/anyio wrap the OS error ("All connection attempts failed"),
        # so look down the cause chain for the useful part.
        if _caused_by_refusal(exc):
            return "connection refused"
        return f"connect error: {_root_message(exc)}"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"invalid URL: {exc}"
    if isinstance(exc, httpx.DecodingError):
        return "undecodable body (bad content-encoding)"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _exception_chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if any(current is s for s in seen):
            continue
        seen.append(current)
        stack.extend(getattr(current, "exceptions", ()))  # ExceptionGroup
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)
    return seen


def _caused_by_refusal(exc: BaseException) -> bool:
    return any(
        isinstance(e, ConnectionRefusedError)
        or getattr(e, "errno", None) == errno.ECONNREFUSED
        for e in _exception_chain(exc)
    )


def _root_message(exc: BaseException) -> str:
    chain = _exception_chain(exc)
    oserrors = [e for e in chain if isinstance(e, OSError) and e.strerror]
    return str(oserrors[-1].strerror) if oserrors else str(exc) or type(exc).__name__


def _human_size(n: int) -> str:
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


# --------------------------------------------------------------------------
# Local files (seed feeds for the demo)
# --------------------------------------------------------------------------


def _local_path(url: str) -> Path | None:
    """Path for ``file://`` URLs and bare filesystem paths, else None."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file":
        return Path(urllib.request.url2pathname(parts.path))
    # No scheme, or a Windows drive letter ("C:\\feeds\\x.xml").
    if parts.scheme == "" or len(parts.scheme) == 1:
        return Path(url)
    return None


async def _fetch_file(
    path: Path, validators: Validators, max_bytes: int, started: float
) -> FetchResult:
    try:
        # Disk reads block; keep them off the event loop.
        data = await asyncio.to_thread(_read_file_capped, path, max_bytes)
    except FileNotFoundError:
        return _failure(f"file not found: {path}", started, validators)
    except _NotRegularFile as exc:
        return _failure(f"not a regular file ({exc}): {path}", started, validators)
    except OSError as exc:
        return _failure(f"file error: {exc.strerror or exc}", started, validators)
    if data is None:
        too_big = f"body exceeds {_human_size(max_bytes)}"
        return _failure(too_big, started, validators, status=200)
    return FetchResult(
        status=200,
        body=data,
        headers={},  # no headers: feedparser then trusts the XML declaration
        validators=Validators(),
        not_modified=False,
        permanent_url=None,
        retry_after=None,
        max_age=None,
        error=None,
        elapsed=time.monotonic() - started,
    )


class _NotRegularFile(Exception):
    """str() names what the path is instead (FIFO, directory, device…)."""


def _file_kind(mode: int) -> str | None:
    """None for a regular file, else what it is."""
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISDIR, "directory"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"))
    return next((name for test, name in kinds if test(mode)), "special file")


def _read_file_capped(path: Path, max_bytes: int) -> bytes | None:
    """A regular file's bytes (None when over the cap). A FIFO, device or
    directory is refused before it is opened: reading a FIFO nobody writes
    would block a worker thread forever (and with it the process's exit)."""
    kind = _file_kind(os.stat(path).st_mode)
    if kind:
        raise _NotRegularFile(kind)
    # O_NONBLOCK: a second guard if the path was swapped for a FIFO meanwhile
    # (opening one for reading then returns at once instead of waiting for a writer).
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        kind = _file_kind(os.fstat(f.fileno()).st_mode)
        if kind:
            raise _NotRegularFile(kind)
        data = f.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


# --------------------------------------------------------------------------
# Header parsing (pure)
# --------------------------------------------------------------------------


def parse_retry_after(headers: dict[str, str]) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    when = _parse_http_date(value)
    if when is None:
        return None
    # Measure against the server's own Date header when present, so a skewed
    # local clock does not turn "in 2 minutes" into "in 3 hours" (or "now").
    now = _parse_http_date(headers.get("date", "")) or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def _parse_http_date(value: str) -> datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # HTTP dates are GMT by definition
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_max_age(cache_control: str | None) -> float | None:
    """``max-age`` seconds from a Cache-Control value, None if absent/bad."""
    if not cache_control:
        return None
    for directive in cache_control.split(","):
        name, _, value = directive.strip().partition("=")
        if name.strip().lower() == "max-age":
            value = value.strip().strip('"')
            return float(value) if value.isdigit() else None
    return None


# --------------------------------------------------------------------------
# Scheduling (pure)
# --------------------------------------------------------------------------


def next_delay(
    *,
    interval: float,
    result: FetchResult,
    error_count: int,
    max_backoff: float = 3600.0,
) -> float:
    """Seconds until this feed should be polled again.

    ``error_count`` counts consecutive failures including this one (>= 1 when
    ``result`` is a failure; ignored on success).
    """
    if result.error is None:
        delay = interval
        if result.max_age:
            # Honour the server's freshness hint, but never poll *faster*
            # than configured and never go quiet for more than an hour.
            delay = max(interval, min(result.max_age, MAX_CACHE_SECONDS))
    else:
        # Cap the exponent: past ~60 doublings the cap wins anyway, and a
        # huge int * float would raise OverflowError.
        doublings = min(max(error_count, 1) - 1, 60)
        delay = min(interval * 2**doublings, max_backoff)
    if result.retry_after is not None:
        # Retry-After is the server asking us to back off; respect it, but
        # bound it so a bogus far-future date cannot disable a feed forever.
        delay = max(delay, min(result.retry_after, MAX_RETRY_AFTER))
    return delay


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


# Seconds one parse may take before the feed counts as failed. feedparser is
# quadratic in the tags of one entry (20,000 <category> took 10 s, 200,000
# more than 4 minutes); no real feed comes near a second.
PARSE_BUDGET = 10.0
# Parses run in worker processes, at most this many at once: a runaway parse
# can then be killed (a thread cannot), and it never holds the GIL the event
# loop needs.
PARSE_WORKERS = 2
_WORKER_START_TIMEOUT = 60.0  # a cold start on a loaded machine, imports included
_WORKER_MAX_PARSES = 200  # then it is replaced, so a big feed's memory is given back
_READY = "ready"


class ParseError(Exception):
    """The document was refused or took too long; str() is the feed's error line."""


class FeedParseProblem(Exception):
    """Stands for a ``bozo_exception`` that cannot cross the process boundary
    (expat's SAXParseException holds a closed file); same str()."""


async def parse_feed(result: FetchResult, *, budget: float = PARSE_BUDGET) -> feedparser.FeedParserDict:
    """Parse a 200 result with feedparser in a worker process, within ``budget`` seconds.

    In the worker, a document the parser would choke on is refused first
    (`screen`), and a UTF-8 body with invalid bytes has just those
    bytes replaced (`_repair_utf8`), so one bad byte cannot turn the
    whole feed into mojibake. A parse still running after ``budget`` seconds
    is stopped by killing its worker, which is replaced on the next parse.

    Raises ParseError for a refused, too slow or crashed parse, ValueError
    when ``result`` has no body (304 or failure): parsing one is a caller
    bug, not a network problem.
    """
    if result.body is None:
        raise ValueError(f"nothing to parse (status={result.status}, error={result.error})")
    call = _ParseCall(result.body, _feedparser_headers(result.headers), budget)
    try:
        outcome = await asyncio.to_thread(_POOL.run, call)
    except asyncio.CancelledError:
        call.abandon()  # kill the worker: the waiting thread returns at once
        raise
    if isinstance(outcome, str):
        raise ParseError(outcome)
    return outcome


def repaired_bytes(result: FetchResult) -> int:
    """How many invalid UTF-8 bytes were replaced in this body (for the log).

    fetch() repairs the body and records the count in ``result.repaired``;
    for a result built elsewhere, what parse_feed will replace.
    """
    if result.repaired or result.body is None:
        return result.repaired
    content_type = {k.lower(): v for k, v in result.headers.items()}.get("content-type")
    return _repair_utf8(result.body, content_type)[1]


# Tag elements feedparser collects for one entry (or for the channel). Its
# cost is quadratic in this count per entry, linear across entries: 1,000
# in one entry take 0.06 s, 20,000 took 10 s. Counted per entry, not per
# document, so a long feed with a few tags on each item is never refused.
MAX_TAGS_PER_ENTRY = 1_000
_ENTRY_OR_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(item|entry|category|subject)[\s/>]", re.IGNORECASE)


def screen(body: bytes) -> str | None:
    """Why this document is refused before parsing, or None (a cheap scan, in the worker).

    Only a shortcut for the known slow shape: anything else slow (one
    keywords element with 50,000 comma-separated terms, say) is stopped by
    the time budget.
    """
    tags = 0
    for match in _ENTRY_OR_TAG.finditer(body):
        if match.group(1).lower() in (b"item", b"entry"):
            tags = 0
        else:
            tags += 1
            if tags > MAX_TAGS_PER_ENTRY:
                return f"refused: an entry with more than {MAX_TAGS_PER_ENTRY:,} <category> elements"
    elements = body.count(b"<")
    if elements > guards.MAX_ELEMENTS:
        return f"refused: {elements:,} elements (at most {guards.MAX_ELEMENTS:,})"
    return None


def _parse_document(body: bytes, headers: dict[str, str]) -> Any:
    """In the worker: the FeedParserDict, or a refusal line (str)."""
    refusal = screen(body)
    if refusal:
        return refusal
    body, _ = _repair_utf8(body, headers.get("content-type"))
    # BytesIO, not raw bytes: given bytes, feedparser first tries
    # open(body) as a *file path*, so a body like b"/etc/passwd" from a
    # hostile server would make it read a local file. A file-like object
    # skips that guess entirely.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    problem = parsed.get("bozo_exception")
    if problem is not None:
        try:
            pickle.dumps(problem)
        except Exception:  # noqa: BLE001 - any reason it cannot be sent: send its text
            parsed["bozo_exception"] = FeedParseProblem(str(problem))
    return parsed


def _parse_worker_main() -> None:
    """Entry point of a parse worker process (see _ParseWorker); argv[1] is its socket."""
    # Ctrl-C is for the bot, which stops its workers itself: a worker must
    # not die first with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _parse_worker(Connection(int(sys.argv[1])))


def _parse_worker(conn: Connection) -> None:
    """Main loop of a parse worker process: (body, headers) in, outcome out."""
    conn.send(_READY)
    while True:
        try:
            body, headers = conn.recv()
        except (EOFError, OSError):
            return  # the bot is gone
        try:
            outcome = _parse_document(body, headers)
        except Exception as exc:  # noqa: BLE001 - one hostile document must not end the worker
            outcome = f"parser failed: {type(exc).__name__}: {exc!s:.160}"
        try:
            conn.send(outcome)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send(f"parse result could not be returned: {exc!s:.160}")


class _ParseWorker:
    """One worker process: a fresh interpreter that imports this module.

    Not multiprocessing's fork (the bot has threads; a fork copies their
    locks) nor its spawn (which re-runs the parent's __main__ script in the
    child, and fails when there is none, as with ``python -``). It talks
    over one socket pair with multiprocessing's Connection framing, and sees
    EOF, so exits, when the bot goes away however it ends.
    """

    def __init__(self) -> None:
        mine, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PROJECT_ROOT, env.get("PYTHONPATH")) if p)
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from bot.feeds.fetch import _parse_worker_main; _parse_worker_main()",
                 str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env,
                start_new_session=True,  # a terminal's Ctrl-C goes to the bot only
            )
        self.conn = Connection(mine.detach())
        self.ready = False
        self.parses = 0

    def parse(self, body: bytes, headers: dict[str, str], budget: float) -> Any:
        """Blocking. TimeoutError past the budget; EOFError or OSError if the worker died."""
        if not self.ready:
            if not self.conn.poll(_WORKER_START_TIMEOUT) or self.conn.recv() != _READY:
                raise _WorkerDidNotStart
            # The budget counts from here, not from the worker's imports.
            self.ready = True
        self.parses += 1
        self.conn.send((body, headers))
        if not self.conn.poll(budget):
            raise TimeoutError
        return self.conn.recv()

    def kill(self) -> None:
        """Safe from any thread: a signal only; a thread waiting on it then sees EOF."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()

    def close(self) -> None:
        self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.conn.close()


class _WorkerDidNotStart(Exception):
    pass


class _ParseCall:
    """One parse request; lets the awaiting task kill its worker on cancellation."""

    def __init__(self, body: bytes, headers: dict[str, str], budget: float) -> None:
        self.body, self.headers, self.budget = body, headers, budget
        self.worker: _ParseWorker | None = None
        self.abandoned = False

    def abandon(self) -> None:
        self.abandoned = True
        if self.worker is not None:
            self.worker.kill()


class _ParsePool:
    """Up to ``size`` worker processes, started on first use, reused, replaced when killed.

    Shared by every event loop of the process (the CLI and the tests run
    several), so it uses thread primitives only: ``run`` is called in a thread.
    """

    def __init__(self, size: int) -> None:
        self._idle: list[_ParseWorker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)

    def run(self, call: _ParseCall) -> Any:
        with self._slots:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            if worker is None:
                try:
                    worker = _ParseWorker()
                except OSError as exc:  # out of processes or file descriptors
                    return f"cannot start the parser: {exc.strerror or exc}"
            call.worker = worker
            if call.abandoned:
                worker.kill()
            try:
                outcome = worker.parse(call.body, call.headers, call.budget)
            except TimeoutError:
                worker.close()
                return f"parsing took more than {call.budget:g} s (stopped)"
            except _WorkerDidNotStart:
                worker.close()
                return "the parser process did not start"
            except Exception as exc:  # noqa: BLE001 - the worker died or sent garbage: replace it
                worker.close()
                return f"parser process failed ({type(exc).__name__})"
            if worker.parses >= _WORKER_MAX_PARSES:
                worker.close()
            else:
                with self._lock:
                    self._idle.append(worker)
            return outcome

    def shutdown(self) -> None:
        """Stop the idle workers (at exit; busy ones end with their parse or their EOF)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()


_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
_POOL = _ParsePool(PARSE_WORKERS)
atexit.register(_POOL.shutdown)


def _feedparser_headers(headers: dict[str, str]) -> dict[str, str]:
    """Headers shaped the way feedparser's charset detection needs them.

    feedparser looks up ``headers.get('content-type')`` with that exact
    lower-case key (its dict is a plain dict, not case-insensitive); with
    'Content-Type' it silently ignores the HTTP charset and mis-decodes
    windows-1256 Arabic as Latin-1 mojibake. So keys are lower-cased here
    even though fetch() already does it, in case a caller builds its own.

    Second trap: when headers are non-empty but carry no Content-Type,
    feedparser assumes ISO-8859-1 for documents whose XML declaration names
    no encoding. Latin-1 never fails to decode, so UTF-8 Arabic turns into
    mojibake with no fallback. XML's own default is UTF-8, which is what
    feedparser uses for a generic XML media type, so say exactly that.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    if lowered and "content-type" not in lowered:
        lowered["content-type"] = "application/xml"
    return lowered
