"""Hostile feeds (issue 12): bombs, redirects to internal services, FIFOs,
one invalid byte, and documents the parser would choke on."""

from __future__ import annotations

import asyncio
import gzip
import os
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest

from bot.feeds import guards
from bot.feeds.fetch import FetchResult, ParseError, fetch, make_client, parse_feed
from bot.feeds.items import items_from_feed
from tests.feedserver import FeedServer
from tests.helpers import ROOT

RSS_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'


def get(url: str, **kw: object) -> FetchResult:
    async def go() -> FetchResult:
        async with make_client() as client:
            return await fetch(client, url, **kw)  # type: ignore[arg-type]

    return asyncio.run(go())


# --- 1. compression bombs -------------------------------------------------------

CHILD = """
import asyncio, sys, time
sys.path.insert(0, {root!r})
from bot.feeds.fetch import fetch, make_client

async def main():
    stalls, stop = [], asyncio.Event()
    async def beat():
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter(); stalls.append(now - last - 0.01); last = now
    task = asyncio.create_task(beat())
    async with make_client() as client:
        result = await fetch(client, sys.argv[1])
    stop.set(); await task
    # VmHWM: this process's own peak (ru_maxrss would carry the forking parent's peak across exec).
    hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print(result.error, "|", hwm // 1024, "|", round(max(stalls), 3))

asyncio.run(main())
"""


def fetch_in_child(url: str) -> tuple[str, int, float]:
    """Fetch in a separate process; (error, peak RSS in MB, longest loop stall in s)."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), url], capture_output=True, text=True, timeout=120, check=True
    ).stdout.strip().splitlines()[-1]
    error, rss, stall = (x.strip() for x in out.split("|"))
    return error, int(rss), float(stall)


def gzip_of_zeros(size: int) -> bytes:
    """gzip of `size` zero bytes, built in steps (the test process never holds them)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


@pytest.fixture(scope="module")
def bombs() -> tuple[bytes, bytes]:
    inner = gzip_of_zeros(300 * 1024 * 1024)  # 300 MB of zeros in ~300 KB
    return inner, gzip.compress(inner, compresslevel=9)


def test_a_stacked_gzip_bomb_is_refused_within_bounded_memory(feed_server: FeedServer, bombs: tuple[bytes, bytes]) -> None:
    _, stacked = bombs
    feed_server.route("/bomb2.xml", stacked, headers={"Content-Encoding": "gzip, gzip"})
    error, rss, stall = fetch_in_child(feed_server.url("/bomb2.xml"))
    print(f"\nstacked bomb of {len(stacked):,} bytes: error={error!r}, peak RSS {rss} MB, longest stall {stall * 1000:.0f} ms")
    assert "stacked content-encoding" in error
    assert rss < 200 and stall < 0.5


def test_a_gzip_bomb_stops_at_the_cap_on_decoded_bytes(feed_server: FeedServer, bombs: tuple[bytes, bytes]) -> None:
    inner, _ = bombs
    feed_server.route("/bomb.xml", inner, headers={"Content-Encoding": "gzip"})
    error, rss, stall = fetch_in_child(feed_server.url("/bomb.xml"))
    print(f"\ngzip bomb of {len(inner):,} bytes: error={error!r}, peak RSS {rss} MB, longest stall {stall * 1000:.0f} ms")
    assert error == "body exceeds 10 MiB"
    assert rss < 200 and stall < 0.5


def test_an_ordinary_gzip_feed_still_decodes(feed_server: FeedServer) -> None:
    body = RSS_HEAD + "<item><title>عاجل: خبر</title><guid>1</guid></item></channel></rss>".encode()
    feed_server.route("/gz.xml", gzip.compress(body), headers={"Content-Encoding": "gzip"})
    assert get(feed_server.url("/gz.xml")).body == body


# --- 2. redirects ------------------------------------------------------------------


def test_a_redirect_to_an_internal_address_is_refused(feed_server: FeedServer) -> None:
    feed_server.route("/secret.xml", RSS_HEAD + b"</channel></rss>")
    feed_server.redirect("/moved.xml", feed_server.url("/secret.xml"), status=301)
    # The configured feed is taken as public, as a real outlet's would be.
    r = get(feed_server.url("/moved.xml"), allow_internal=False)
    assert r.error is not None and "internal address" in r.error and r.permanent_url is None
    assert feed_server.hits("/secret.xml") == 0


def test_a_redirect_to_another_scheme_is_refused(feed_server: FeedServer) -> None:
    feed_server.redirect("/ftp.xml", "ftp://example.test/feed.xml")
    feed_server.redirect("/file.xml", "file:///etc/passwd")
    for path in ("/ftp.xml", "/file.xml"):
        r = get(feed_server.url(path))
        assert r.error is not None and "refused" in r.error, path


def test_a_local_feed_may_redirect_locally(feed_server: FeedServer) -> None:
    feed_server.route("/new.xml", RSS_HEAD + b"</channel></rss>")
    feed_server.redirect("/old.xml", "/new.xml", status=301)
    r = get(feed_server.url("/old.xml"))
    assert r.error is None and r.permanent_url == feed_server.url("/new.xml")


@pytest.mark.parametrize(
    ("address", "internal"),
    [("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.9", True), ("192.168.1.1", True), ("169.254.169.254", True),
     ("::1", True), ("::ffff:127.0.0.1", True), ("0.0.0.0", True), ("8.8.8.8", False), ("2001:4860:4860::8888", False)],
)
def test_internal_addresses(address: str, internal: bool) -> None:
    assert guards.is_internal(address) is internal


# --- 3. local files ------------------------------------------------------------------


def test_a_fifo_feed_is_refused_at_once_and_leaves_no_thread_blocked(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.xml"
    os.mkfifo(fifo)
    threads = threading.active_count()
    started = time.monotonic()
    r = get(str(fifo))
    assert r.error is not None and "not a regular file" in r.error
    assert time.monotonic() - started < 1.0
    time.sleep(0.1)
    assert threading.active_count() <= threads + 1  # asyncio's default executor may keep one idle thread


def test_a_directory_is_refused(tmp_path: Path) -> None:
    r = get(str(tmp_path))
    assert r.error is not None and ("not a regular file" in r.error or "file error" in r.error)


# --- 4. one invalid byte ----------------------------------------------------------------


def test_one_invalid_utf8_byte_does_not_turn_the_feed_into_mojibake() -> None:
    body = (
        RSS_HEAD
        + "<item><title>عاجل: زلزال يضرب المنطقة</title><guid>1</guid></item>".encode()
        + "<item><title>خبر ثان ".encode() + b"\xff" + "فيه بايت فاسد</title><guid>2</guid></item>".encode()
        + b"</channel></rss>"
    )
    r = FetchResult(200, body, {"content-type": "application/rss+xml; charset=utf-8"}, None, False, None, None, None, None, 0.0)  # type: ignore[arg-type]
    items = items_from_feed("f", asyncio.run(parse_feed(r)))
    assert items[0].title == "عاجل: زلزال يضرب المنطقة"
    assert items[1].title.startswith("خبر ثان") and "فيه بايت فاسد" in items[1].title


def test_a_windows_1256_feed_still_decodes() -> None:
    body = '<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><title>t</title><item><title>عاجل: خبر</title><guid>1</guid></item></channel></rss>'.encode("cp1256")
    r = FetchResult(200, body, {}, None, False, None, None, None, None, 0.0)  # type: ignore[arg-type]
    assert items_from_feed("f", asyncio.run(parse_feed(r)))[0].title == "عاجل: خبر"


# --- 5. documents the parser would choke on ----------------------------------------------


def test_200000_categories_are_refused_before_parsing() -> None:
    body = RSS_HEAD + b"<item><title>x</title>" + b"<category>c</category>" * 200_000 + b"</item></channel></rss>"
    r = FetchResult(200, body, {}, None, False, None, None, None, None, 0.0)  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(ParseError, match="category"):
        asyncio.run(parse_feed(r))
    assert time.monotonic() - started < 2.0
