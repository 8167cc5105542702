"""Feed-fetching edge: one HTTP GET per poll, turned into a plain value.

Everything that can go wrong on the network is reported in a
:class:`FetchResult` instead of raised, so the scheduler can treat every
poll the same way (store validators, compute the next delay, move on).
Nothing here stores or interprets feed content; :func:`parse_feed` only
hands the bytes to feedparser off the event loop.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import io
import os
import stat
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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
) -> FetchResult:
    """GET ``url`` (or read a local file) within ``deadline`` seconds overall.

    Never raises for network or HTTP trouble; see ``FetchResult.error``.
    """
    started = time.monotonic()
    local = _local_path(url)
    try:
        # The overall deadline is what stops a server that trickles one byte
        # every few seconds: httpx's own timeouts reset on every read.
        async with asyncio.timeout(deadline):
            if local is not None:
                return await _fetch_file(local, validators, max_bytes, started)
            if allow_internal is None:
                # Redirects may reach internal addresses only when the feed itself is one (local testing).
                allow_internal = await guards.host_is_internal(urllib.parse.urlsplit(url).hostname or "")
            return await _fetch_http(client, url, validators, max_bytes, started, allow_internal)
    except TimeoutError:
        return _failure("timeout", started, validators)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return _failure(_describe(exc), started, validators)


async def _fetch_http(
    client: httpx.AsyncClient,
    url: str,
    validators: Validators,
    max_bytes: int,
    started: float,
    allow_internal: bool,
) -> FetchResult:
    request_headers = _conditional_headers(validators)
    hops: list[tuple[int, str]] = []
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        async with client.stream("GET", current, headers=request_headers) as response:
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                target = str(response.url.join(location))
                refusal = await guards.redirect_refusal(target, allow_internal)
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
            return _http_result(response, validators, body, error, started, _permanent_target(url, hops))
    return _failure("too many redirects", started, validators)


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
    try:
        raw, coding = response.aiter_raw(), response.headers.get("content-encoding")
        return await guards.decoded(raw, coding, max_bytes, f"body exceeds {_human_size(max_bytes)}"), None
    except guards.BodyError as exc:
        return None, str(exc)


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


def _permanent_target(url: str, hops: list[tuple[int, str]]) -> str | None:
    """Target of the leading run of 301/308 hops, when it stays on the feed's host.

    A temporary hop makes everything after it temporary too. A permanent move
    to another host is followed but not saved: the feed keeps its configured
    address, and the operator decides whether the new one is the outlet's.
    """
    target: str | None = None
    for status, next_url in hops:
        if status not in _PERMANENT_REDIRECTS:
            break
        target = next_url
    if target is None:
        return None
    same_host = urllib.parse.urlsplit(target).hostname == urllib.parse.urlsplit(url).hostname
    return target if same_host else None


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


def _read_file_capped(path: Path, max_bytes: int) -> bytes | None:
    """A regular file's bytes (None when over the cap). A FIFO, device or
    directory is refused before it is opened: reading a FIFO nobody writes
    would block a worker thread forever."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a second guard if it was swapped meanwhile
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
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


PARSE_BUDGET = 20.0  # seconds a parse may take before the feed counts as failed


class ParseError(Exception):
    """The document was refused or took too long; str() is the feed's error line."""


async def parse_feed(result: FetchResult) -> feedparser.FeedParserDict:
    """Parse a 200 result with feedparser in a worker thread, within a budget.

    A document the parser would choke on is refused first (`guards.screen`);
    a UTF-8 body with invalid bytes has just those bytes replaced, so one bad
    byte cannot turn the whole feed into mojibake. Raises ParseError for a
    refused or too slow document, ValueError when ``result`` has no body
    (304 or failure): parsing one is a caller bug, not a network problem.
    """
    if result.body is None:
        raise ValueError(f"nothing to parse (status={result.status}, error={result.error})")
    refusal = guards.screen(result.body)
    if refusal:
        raise ParseError(refusal)
    headers = _feedparser_headers(result.headers)
    body, _ = guards.repair_utf8(result.body, headers.get("content-type"))
    # BytesIO, not raw bytes: given bytes, feedparser first tries
    # open(body) as a *file path*, so a body like b"/etc/passwd" from a
    # hostile server would make it read a local file. A file-like object
    # skips that guess entirely.
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(feedparser.parse, io.BytesIO(body), response_headers=headers), PARSE_BUDGET
        )
    except TimeoutError:
        raise ParseError(f"parsing took more than {PARSE_BUDGET:.0f} s") from None


def repaired_bytes(result: FetchResult) -> int:
    """How many invalid UTF-8 bytes `parse_feed` replaces in this body (for the log)."""
    content_type = {k.lower(): v for k, v in result.headers.items()}.get("content-type")
    return guards.repair_utf8(result.body, content_type)[1] if result.body else 0


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
