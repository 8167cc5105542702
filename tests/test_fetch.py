"""Tests for bot.feeds.fetch against a real local HTTP server (tests/feedserver.py).

Plain sync tests driving coroutines with asyncio.run(): no pytest-asyncio.
"""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bot.feeds.fetch import (
    MAX_BODY_BYTES,
    FetchResult,
    Validators,
    fetch,
    make_client,
    next_delay,
    parse_feed,
    parse_max_age,
    parse_retry_after,
)

T = TypeVar("T")

FEED_TITLE = "أخبار عاجلة"
ITEM_TITLE = "عاجل: زلزال بقوة 5 درجات يضرب المنطقة"


def rss(title: str = FEED_TITLE, item: str = ITEM_TITLE, decl: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return (
        f"{decl}\n<rss version=\"2.0\"><channel><title>{title}</title>"
        "<link>https://example.test/</link><description>d</description>"
        f"<item><title>{item}</title><link>https://example.test/1</link>"
        "<guid>https://example.test/1</guid></item></channel></rss>"
    )


RSS = rss().encode("utf-8")
LAST_MODIFIED = "Mon, 24 Nov 2025 10:00:00 GMT"


def run(make: Callable[[httpx.AsyncClient], Awaitable[T]]) -> T:
    """Run ``make(client)`` with a fresh shared client on a fresh loop."""

    async def go() -> T:
        async with make_client() as client:
            return await make(client)

    return asyncio.run(go())


def get(url: str, validators: Validators = Validators(), **kw: Any) -> FetchResult:
    return run(lambda c: fetch(c, url, validators, **kw))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def result(**overrides: Any) -> FetchResult:
    """A FetchResult with harmless defaults, for the pure functions."""
    fields: dict[str, Any] = dict(
        status=200, body=RSS, headers={}, validators=Validators(),
        not_modified=False, permanent_url=None, retry_after=None,
        max_age=None, error=None, elapsed=0.0,
    )
    fields.update(overrides)
    return FetchResult(**fields)


# --------------------------------------------------------------------------
# 200 / 304 / validators
# --------------------------------------------------------------------------


def test_200_returns_body_headers_and_validators(feed_server):
    feed_server.route("/feed", RSS, etag='"v1"', last_modified=LAST_MODIFIED)
    r = get(feed_server.url("/feed"))
    assert (r.status, r.ok, r.error, r.not_modified) == (200, True, None, False)
    assert r.body == RSS
    assert r.validators == Validators(etag='"v1"', last_modified=LAST_MODIFIED)
    assert r.headers["content-type"].startswith("application/rss+xml")
    assert r.permanent_url is None
    sent = feed_server.last_headers("/feed")
    assert "rss+xml" in sent["accept"] and sent["user-agent"].startswith("AjelBot/")
    assert "if-none-match" not in sent


def test_second_fetch_with_validators_gets_304_and_keeps_validators(feed_server):
    feed_server.route("/feed", RSS, etag='"v1"', last_modified=LAST_MODIFIED)

    async def twice(client: httpx.AsyncClient) -> tuple[FetchResult, FetchResult]:
        first = await fetch(client, feed_server.url("/feed"))
        return first, await fetch(client, feed_server.url("/feed"), first.validators)

    first, second = run(twice)
    assert second.status == 304 and second.not_modified and second.ok
    assert second.body is None and second.error is None
    assert second.validators == first.validators
    sent = feed_server.last_headers("/feed")
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == LAST_MODIFIED
    assert feed_server.hits("/feed") == 2


def test_304_without_etag_header_keeps_stored_etag(feed_server):
    # Server only knows Last-Modified, so its 304 carries no ETag: the
    # stored ETag must survive rather than be wiped.
    feed_server.route("/feed", RSS, last_modified=LAST_MODIFIED)
    old = Validators(etag='"client-side"', last_modified=LAST_MODIFIED)
    r = get(feed_server.url("/feed"), old)
    assert r.not_modified and r.validators == old


def test_changed_feed_returns_200_with_new_etag(feed_server):
    feed_server.route("/feed", RSS, etag='"v1"')
    new_body = rss(item="عاجل: خبر جديد").encode()
    feed_server.set_body("/feed", new_body)
    r = get(feed_server.url("/feed"), Validators(etag='"v1"'))
    assert r.status == 200 and r.body == new_body
    assert r.validators.etag == feed_server.current_etag("/feed") != '"v1"'


def test_http_500_is_error_and_keeps_old_validators(feed_server):
    feed_server.route("/boom", b"oops", status=500)
    old = Validators(etag='"old"', last_modified=LAST_MODIFIED)
    r = get(feed_server.url("/boom"), old)
    assert (r.status, r.error, r.ok, r.body) == (500, "HTTP 500", False, None)
    assert r.validators == old


# --------------------------------------------------------------------------
# Deadlines and size cap
# --------------------------------------------------------------------------


def test_slow_response_times_out_within_deadline(feed_server):
    feed_server.route("/slow", RSS, delay=5.0)
    r = get(feed_server.url("/slow"), deadline=0.5)
    assert (r.error, r.status, r.body) == ("timeout", None, None)
    assert 0.4 <= r.elapsed < 1.5


def test_trickling_body_is_cut_by_overall_deadline(feed_server):
    # 4000 bytes at 16 bytes / 50 ms would take 12.5 s; each read is quick,
    # so only the overall deadline (not httpx's read timeout) can stop it.
    feed_server.route("/trickle", b"x" * 4000, chunk_delay=0.05, chunk_size=16)
    r = get(feed_server.url("/trickle"), deadline=0.5)
    assert r.error == "timeout" and r.body is None
    assert r.elapsed < 1.5
    assert 0 < feed_server.bytes_sent("/trickle") < 4000


@pytest.mark.parametrize("send_length", [True, False], ids=["content-length", "no-length"])
def test_body_over_cap_is_rejected_without_downloading_it(feed_server, send_length):
    total = 64 * 1024 * 1024
    feed_server.route_large("/huge", total, send_length=send_length)
    r = get(feed_server.url("/huge"))
    assert r.error == "body exceeds 10 MiB"
    assert (r.status, r.body, r.ok) == (200, None, False)
    assert r.elapsed < 3.0
    assert feed_server.wait_idle("/huge"), "server still streaming after client gave up"
    # Client hung up early: far less than the full body left the server
    # (the margin covers loopback socket buffers).
    assert feed_server.bytes_sent("/huge") < MAX_BODY_BYTES + 16 * 1024 * 1024 < total


def test_declared_oversize_rejected_before_reading(feed_server):
    # Content-Length claims 11 MiB but the body trickles: only the early
    # Content-Length check can answer before the deadline.
    feed_server.route(
        "/liar", b"x" * 64, chunk_delay=1.0,
        headers={"Content-Length": str(11 * 1024 * 1024)},
    )
    r = get(feed_server.url("/liar"), deadline=2.0)
    assert r.error == "body exceeds 10 MiB" and r.elapsed < 1.0


def test_small_cap_message_uses_the_cap(feed_server):
    feed_server.route("/feed", b"x" * 2048, headers={"Content-Length": None})
    r = get(feed_server.url("/feed"), max_bytes=1024)
    assert r.error == "body exceeds 1 KiB" and r.body is None


# --------------------------------------------------------------------------
# Redirects
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, permanent",
    [(301, True), (308, True), (302, False), (303, False), (307, False)],
    ids=["301-remembered", "308-remembered", "302-not", "303-not", "307-not"],
)
def test_single_redirect(feed_server, status, permanent):
    feed_server.route("/new", RSS)
    feed_server.redirect("/old", "/new", status)
    r = get(feed_server.url("/old"))
    assert r.status == 200 and r.body == RSS
    assert r.permanent_url == (feed_server.url("/new") if permanent else None)


@pytest.mark.parametrize(
    "chain, expected",
    [
        ((308, 302), "/b"),  # permanent then temporary: remember the 308 target
        ((301, 301), "/c"),  # all permanent: remember the final URL
        ((302, 301), None),  # leading temporary hop: remember nothing
    ],
    ids=["308-then-302", "301-then-301", "302-then-301"],
)
def test_redirect_chain(feed_server, chain, expected):
    feed_server.redirect("/a", "/b", chain[0])
    feed_server.redirect("/b", "/c", chain[1])
    feed_server.route("/c", RSS)
    r = get(feed_server.url("/a"))
    assert r.body == RSS
    assert r.permanent_url == (feed_server.url(expected) if expected else None)


# --------------------------------------------------------------------------
# Retry-After / Cache-Control
# --------------------------------------------------------------------------


def test_retry_after_seconds_on_503(feed_server):
    feed_server.route("/busy", b"", status=503, headers={"Retry-After": "120"})
    r = get(feed_server.url("/busy"))
    assert (r.status, r.error, r.retry_after) == (503, "HTTP 503", 120.0)


def test_retry_after_http_date_on_429(feed_server):
    when = email.utils.formatdate(time.time() + 90, usegmt=True)
    feed_server.route("/limited", b"", status=429, headers={"Retry-After": when})
    r = get(feed_server.url("/limited"))
    assert r.error == "HTTP 429"
    assert r.retry_after is not None and 85 <= r.retry_after <= 91


def test_retry_after_date_measured_against_server_date_header():
    # Relative to the server's Date, so local clock skew does not matter.
    headers = {
        "retry-after": "Mon, 24 Nov 2025 10:02:00 GMT",
        "date": "Mon, 24 Nov 2025 10:00:00 GMT",
    }
    assert parse_retry_after(headers) == 120.0
    assert parse_retry_after({**headers, "retry-after": "Mon, 24 Nov 2025 09:00:00 GMT"}) == 0.0


def test_retry_after_garbage_is_ignored(feed_server):
    feed_server.route("/busy", b"", status=503, headers={"Retry-After": "soon"})
    assert get(feed_server.url("/busy")).retry_after is None


@pytest.mark.parametrize(
    "value, expected",
    [("max-age=60", 60.0), ("no-cache, MAX-AGE = 5", 5.0), ('max-age="30"', 30.0),
     ("max-age=-1", None), ("no-store", None), (None, None)],
    ids=["plain", "case-and-spaces", "quoted", "negative", "absent", "no-header"],
)
def test_parse_max_age(value, expected):
    assert parse_max_age(value) == expected


def test_cache_control_max_age_on_200_and_304(feed_server):
    feed_server.route("/feed", RSS, etag='"v1"', headers={"Cache-Control": "public, max-age=300"})
    assert get(feed_server.url("/feed")).max_age == 300.0
    assert get(feed_server.url("/feed"), Validators(etag='"v1"')).max_age == 300.0


# --------------------------------------------------------------------------
# Network failures and local files
# --------------------------------------------------------------------------


def test_connection_refused_is_reported_not_raised():
    r = get(f"http://127.0.0.1:{closed_port()}/feed")
    assert (r.status, r.error, r.ok) == (None, "connection refused", False)


def test_unsupported_scheme_is_reported_not_raised():
    r = get("ftp://127.0.0.1/feed.xml")
    assert r.status is None and r.error and r.error.startswith("invalid URL")


@pytest.mark.parametrize("as_uri", [False, True], ids=["bare-path", "file-uri"])
def test_local_file_is_read(tmp_path: Path, as_uri: bool):
    path = tmp_path / "بذرة feed.xml"  # non-ASCII + space: exercises URI decoding
    path.write_bytes(RSS)
    r = get(path.as_uri() if as_uri else str(path))
    assert (r.status, r.ok, r.body) == (200, True, RSS)


def test_missing_local_file(tmp_path: Path):
    missing = tmp_path / "nope.xml"
    r = get(str(missing))
    assert r.error == f"file not found: {missing}" and r.status is None


# --------------------------------------------------------------------------
# parse_feed: charsets, malformed XML, safety
# --------------------------------------------------------------------------

CP1256_RSS = rss(decl='<?xml version="1.0"?>').encode("windows-1256")


def test_windows_1256_feed_decoded_via_http_charset(feed_server):
    feed_server.route(
        "/cp1256", CP1256_RSS,
        headers={"Content-Type": "application/rss+xml; charset=windows-1256"},
    )
    r = get(feed_server.url("/cp1256"))
    parsed = asyncio.run(parse_feed(r))
    assert parsed.feed.title == FEED_TITLE
    assert parsed.entries[0].title == ITEM_TITLE
    assert parsed.encoding == "windows-1256" and not parsed.bozo


def test_windows_1256_with_mixed_case_header_key():
    # feedparser only sees 'content-type' (exact key); parse_feed must cope
    # with callers that pass 'Content-Type'.
    r = result(body=CP1256_RSS, headers={"Content-Type": "application/rss+xml; charset=windows-1256"})
    assert asyncio.run(parse_feed(r)).entries[0].title == ITEM_TITLE


ATOM_NO_DECL = (
    '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>أخبار</title>'
    '<entry><title>عاجل</title><id>urn:1</id><link href="https://example.test/عاجل"/>'
    '<category term="سياسة"/><author><name>محرر</name></author></entry></feed>'
).encode()


def test_utf8_feed_without_content_type_or_declared_encoding(feed_server):
    # With headers but no Content-Type, bare feedparser decodes as ISO-8859-1;
    # its latin-1 repair heuristic fixes element text but not attributes or
    # authors, so the link/category/author would come out as mojibake.
    feed_server.route("/bare", ATOM_NO_DECL, headers={"Content-Type": None})
    r = get(feed_server.url("/bare"))
    assert "content-type" not in r.headers and r.headers  # the trap's precondition
    parsed = asyncio.run(parse_feed(r))
    entry = parsed.entries[0]
    assert (entry.title, entry.link) == ("عاجل", "https://example.test/عاجل")
    assert (entry.tags[0].term, entry.author) == ("سياسة", "محرر")
    assert parsed.encoding == "utf-8" and not parsed.bozo


def test_malformed_xml_sets_bozo_without_raising(feed_server):
    broken = RSS.replace(b"</channel></rss>", b"<item><title>unclosed & bad</channel>")
    feed_server.route("/broken", broken)
    parsed = asyncio.run(parse_feed(get(feed_server.url("/broken"))))
    assert parsed.bozo
    assert parsed.entries[0].title == ITEM_TITLE  # loose parser still recovers


def test_body_that_looks_like_a_path_is_not_opened(tmp_path: Path):
    secret = tmp_path / "local.xml"
    secret.write_bytes(rss(item="LOCAL FILE LEAKED").encode())
    parsed = asyncio.run(parse_feed(result(body=str(secret).encode())))
    assert all(e.get("title") != "LOCAL FILE LEAKED" for e in parsed.entries)
    assert not parsed.entries


def test_parse_feed_refuses_result_without_body():
    with pytest.raises(ValueError):
        asyncio.run(parse_feed(result(status=304, body=None, not_modified=True)))


# --------------------------------------------------------------------------
# next_delay
# --------------------------------------------------------------------------

OK = dict(error=None)
ERR = dict(status=500, body=None, error="HTTP 500")


@pytest.mark.parametrize(
    "interval, fields, errors, max_backoff, expected",
    [
        (300, OK, 0, 3600, 300),
        (300, {**OK, "max_age": 900.0}, 0, 3600, 900),
        (300, {**OK, "max_age": 60.0}, 0, 3600, 300),
        (300, {**OK, "max_age": 0.0}, 0, 3600, 300),
        (300, {**OK, "max_age": 86400.0}, 0, 3600, 3600),
        (7200, {**OK, "max_age": 100.0}, 0, 3600, 7200),
        (300, {**OK, "retry_after": 1200.0}, 0, 3600, 1200),
        (300, {**OK, "retry_after": 10.0}, 0, 3600, 300),
        (300, ERR, 1, 3600, 300),
        (300, ERR, 2, 3600, 600),
        (300, ERR, 3, 3600, 1200),
        (300, ERR, 10, 3600, 3600),
        (300, ERR, 10, 7200, 7200),
        (300.0, ERR, 5000, 3600.0, 3600.0),
        (300, {**ERR, "retry_after": 1000.0}, 1, 3600, 1000),
        (300, {**ERR, "retry_after": 5000.0}, 10, 3600, 5000),
        (300, {**ERR, "retry_after": 1e9}, 1, 3600, 86400),
    ],
    ids=[
        "ok-plain", "ok-max-age-longer", "ok-max-age-shorter", "ok-max-age-zero",
        "ok-max-age-capped-1h", "ok-interval-above-1h", "ok-retry-after",
        "ok-retry-after-short", "err-1", "err-2", "err-3", "err-capped",
        "err-custom-cap", "err-huge-count-no-overflow", "err-retry-after",
        "err-retry-after-beats-cap", "err-retry-after-bounded-1d",
    ],
)
def test_next_delay(interval, fields, errors, max_backoff, expected):
    r = result(**fields)
    assert next_delay(interval=interval, result=r, error_count=errors, max_backoff=max_backoff) == expected
