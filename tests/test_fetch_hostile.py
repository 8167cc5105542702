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
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bot.core import breaking
from bot.feeds import guards
from bot.feeds.fetch import (
    PARSE_BUDGET,
    PARSE_WORKERS,
    FetchResult,
    ParseError,
    Validators,
    fetch,
    make_client,
    parse_feed,
)
from bot.feeds.items import items_from_feed
from tests.feedserver import FeedServer
from tests.helpers import ROOT

RSS_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
T = TypeVar("T")


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
    outcome: list[FetchResult] = []
    # The whole fetch (asyncio.run included, which waits for its worker
    # threads) runs in a daemon thread: a blocked open() then fails this
    # test instead of hanging the suite.
    runner = threading.Thread(target=lambda: outcome.append(get(str(fifo), deadline=5.0)), daemon=True)
    started = time.monotonic()
    runner.start()
    runner.join(3.0)
    try:
        assert not runner.is_alive(), "fetch (or its event loop's shutdown) is blocked on the FIFO"
        assert time.monotonic() - started < 1.0
        r = outcome[0]
        assert r.error == f"not a regular file (FIFO): {fifo}" and r.body is None
        time.sleep(0.1)
        assert threading.active_count() <= threads
    finally:
        if runner.is_alive():  # old behaviour: release the reader blocked in open()
            with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"):
                pass
            runner.join(5)


@pytest.mark.parametrize("kind", ["directory", "character device"])
def test_a_directory_or_a_device_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path if kind == "directory" else Path("/dev/zero")  # /dev/zero never ends: it used to be read up to the cap
    r = get(str(path))
    assert r.error == f"not a regular file ({kind}): {path}"


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


# =====================================================================================
# Second pass: the same five defects from other angles.
# =====================================================================================

# --- 1. bodies: bounded decoding ----------------------------------------------------


@pytest.mark.parametrize("coding", ["compress", "br, gzip", "zstd"])
def test_an_encoding_that_is_not_decoded_is_an_error_for_that_feed(feed_server: FeedServer, coding: str) -> None:
    feed_server.route("/odd.xml", b"\x1f\x9d whatever", headers={"Content-Encoding": coding})
    r = get(feed_server.url("/odd.xml"))
    assert r.error is not None and r.body is None
    assert "content-encoding" in r.error


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib-wrapped", "raw"])
def test_deflate_still_decodes(feed_server: FeedServer, wbits: int) -> None:
    body = RSS_HEAD + "<item><title>عاجل: خبر</title><guid>1</guid></item></channel></rss>".encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    feed_server.route("/d.xml", packer.compress(body) + packer.flush(), headers={"Content-Encoding": "deflate"})
    r = get(feed_server.url("/d.xml"))
    assert r.error is None and r.body == body  # raw deflate (no zlib header) is a server bug, but httpx read it


def test_bytes_after_the_end_of_a_gzip_stream_count_against_the_cap(feed_server: FeedServer) -> None:
    # zlib keeps whatever follows the end of the stream (unused_data): without
    # a cap on the raw bytes too, 20 MB of trailing junk would all be held.
    small = gzip.compress(RSS_HEAD + b"</channel></rss>")
    # No Content-Length, so only counting can notice.
    feed_server.route("/tail.xml", small + b"\0" * (20 * 1024 * 1024), headers={"Content-Encoding": "gzip", "Content-Length": None})
    r = get(feed_server.url("/tail.xml"))
    assert r.error == "body exceeds 10 MiB"


# --- 2. redirects: what a public feed may send us to ----------------------------------------

PUBLIC = "93.184.215.14"  # a global address; no request ever leaves the machine (see Router)
PUBLIC_2 = "93.184.215.15"
FEED_XML = RSS_HEAD + "<item><title>عاجل: خبر</title><guid>1</guid></item></channel></rss>".encode()


class Router(httpx.AsyncBaseTransport):
    """Answers for the 'public' hosts itself; anything else goes to the real network stack.

    So a public feed can redirect to the real local feed server, as a hostile
    outlet would redirect to a service on the bot's own host.
    """

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], bytes]]) -> None:
        self.routes = routes  # "host/path" -> (status, headers, body)
        self.real = httpx.AsyncHTTPTransport()
        self.seen: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = f"{request.url.host}{request.url.path}"
        self.seen.append(str(request.url))
        if request.url.host in (PUBLIC, PUBLIC_2):
            status, headers, body = self.routes.get(key, (404, {}, b"not here"))
            # stream=, not content=: a Response built with content is read at once, and fetch() streams the raw bytes.
            return httpx.Response(status, headers={**headers, "Content-Length": str(len(body))}, stream=httpx.ByteStream(body))
        return await self.real.handle_async_request(request)

    async def aclose(self) -> None:
        await self.real.aclose()


def get_routed(router: Router, url: str, **kw: Any) -> FetchResult:
    async def go() -> FetchResult:
        # follow_redirects=True, as the client was built before: fetch() must not depend on it.
        async with httpx.AsyncClient(transport=router, follow_redirects=True) as client:
            return await fetch(client, url, **kw)

    return asyncio.run(go())


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0.0.0.0"])
def test_a_public_feed_cannot_redirect_to_the_bots_own_host(feed_server: FeedServer, host: str) -> None:
    feed_server.route("/admin.xml", rss_item("سر داخلي"))
    internal = feed_server.url("/admin.xml").replace("127.0.0.1", host)
    router = Router({f"{PUBLIC}/feed.xml": (301, {"Location": internal}, b"")})
    r = get_routed(router, f"http://{PUBLIC}/feed.xml")  # allow_internal left to fetch: the feed is public
    assert r.error is not None and "internal address" in r.error
    assert (r.body, r.permanent_url, r.moved_to) == (None, None, None)
    assert feed_server.hits("/admin.xml") == 0, "the internal service was requested"


def test_a_stored_internal_url_is_dropped_for_the_configured_one(feed_server: FeedServer) -> None:
    # What an older version saved after following such a redirect: with
    # origin (the configured URL) public, the stored internal URL is never
    # requested; the configured one is, and comes back as permanent_url.
    feed_server.route("/admin.xml", rss_item("سر داخلي"))
    router = Router({f"{PUBLIC}/feed.xml": (200, {"Content-Type": "application/rss+xml"}, FEED_XML)})
    r = get_routed(router, feed_server.url("/admin.xml"), origin=f"http://{PUBLIC}/feed.xml")
    assert feed_server.hits("/admin.xml") == 0
    assert r.error is None and r.body == FEED_XML and r.permanent_url == f"http://{PUBLIC}/feed.xml"


def test_a_permanent_move_to_another_host_is_reported_not_saved() -> None:
    router = Router({
        f"{PUBLIC}/feed.xml": (301, {"Location": f"http://{PUBLIC_2}/rss"}, b""),
        f"{PUBLIC_2}/rss": (200, {"Content-Type": "application/rss+xml"}, FEED_XML),
    })
    r = get_routed(router, f"http://{PUBLIC}/feed.xml")
    assert r.error is None and r.body == FEED_XML
    assert r.permanent_url is None  # saved only after it served a valid feed more than once (the poller counts)
    assert r.moved_to == f"http://{PUBLIC_2}/rss"


@pytest.mark.parametrize(
    ("status", "final", "moved"),
    [(302, 200, False), (301, 500, False), (301, 200, True)],
    ids=["temporary", "target-fails", "permanent-and-served"],
)
def test_moved_to_only_for_a_permanent_move_that_served_the_feed(status: int, final: int, moved: bool) -> None:
    router = Router({
        f"{PUBLIC}/feed.xml": (status, {"Location": f"http://{PUBLIC_2}/rss"}, b""),
        f"{PUBLIC_2}/rss": (final, {}, FEED_XML),
    })
    r = get_routed(router, f"http://{PUBLIC}/feed.xml")
    assert r.moved_to == (f"http://{PUBLIC_2}/rss" if moved else None)
    assert r.permanent_url is None


def test_a_permanent_move_on_the_same_public_host_is_saved_at_once() -> None:
    router = Router({
        f"{PUBLIC}/feed.xml": (308, {"Location": "/v2/feed.xml"}, b""),
        f"{PUBLIC}/v2/feed.xml": (200, {}, FEED_XML),
    })
    r = get_routed(router, f"http://{PUBLIC}/feed.xml")
    assert (r.permanent_url, r.moved_to) == (f"http://{PUBLIC}/v2/feed.xml", None)


def test_no_dns_lookup_for_the_redirect_policy_when_nothing_redirects(feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = guards.host_is_internal

    async def counting(host: str) -> bool:
        calls.append(host)
        return await real(host)

    monkeypatch.setattr(guards, "host_is_internal", counting)
    feed_server.route("/plain.xml", FEED_XML)
    assert get(feed_server.url("/plain.xml")).error is None
    assert calls == []


@pytest.mark.parametrize(
    ("target", "allow_internal", "refused"),
    [
        ("http://10.0.0.7/feed", False, True),
        ("http://169.254.169.254/latest/meta-data/", False, True),  # cloud metadata
        ("http://[::1]:8080/", False, True),
        ("http://[::ffff:127.0.0.1]/", False, True),
        ("http://224.0.0.1/", False, True),
        ("http://0.0.0.0:9000/", False, True),
        (f"https://{PUBLIC}/feed", False, False),
        ("http://10.0.0.7/feed", True, False),  # the configured feed is itself internal (local testing)
        ("http://127.0.0.1:8080/", True, False),
        ("ftp://127.0.0.1/feed.xml", True, True),  # other schemes: never, whatever the feed
        ("file:///etc/passwd", True, True),
        ("gopher://10.0.0.7:70/", True, True),
    ],
)
def test_redirect_policy(target: str, allow_internal: bool, refused: bool) -> None:
    refusal = asyncio.run(guards.redirect_refusal(target, allow_internal))
    assert (refusal is not None) is refused, refusal


def test_a_redirect_to_file_or_ftp_never_reaches_the_reader(feed_server: FeedServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss_item("LOCAL FILE LEAKED"))
    feed_server.redirect("/f.xml", secret.as_uri(), status=301)
    r = get(feed_server.url("/f.xml"))
    assert r.error is not None and "refused" in r.error and r.body is None


# --- 4. one invalid byte, end to end ----------------------------------------------------


def rss_item(*titles: str) -> bytes:
    items = "".join(f"<item><title>{t}</title><guid>g{n}</guid></item>" for n, t in enumerate(titles))
    return RSS_HEAD + items.encode() + b"</channel></rss>"


def test_one_invalid_byte_served_over_http_is_repaired_and_counted(feed_server: FeedServer) -> None:
    body = rss_item("عاجل: انفجار في الميناء", "خبر ثان XX فيه بايت فاسد", "عاجل: إغلاق المطار").replace(b"XX", b"\xff")
    feed_server.route("/bad.xml", body, headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    r = get(feed_server.url("/bad.xml"))
    assert r.error is None and r.repaired == 1
    items = items_from_feed("f", asyncio.run(parse_feed(r)))
    titles = [i.title for i in items]
    assert titles[0] == "عاجل: انفجار في الميناء" and titles[2] == "عاجل: إغلاق المطار"
    assert "فيه بايت فاسد" in titles[1]
    assert sum(breaking.detect(i, "marked").is_breaking for i in items) == 2


def test_a_windows_1256_feed_declared_by_header_is_not_touched(feed_server: FeedServer) -> None:
    body = rss_item("عاجل: خبر").replace(b'encoding="UTF-8"', b"").decode().encode("cp1256")
    feed_server.route("/1256.xml", body, headers={"Content-Type": "application/rss+xml; charset=windows-1256"})
    r = get(feed_server.url("/1256.xml"))
    assert r.body == body  # not "repaired" as if it were broken UTF-8
    assert items_from_feed("f", asyncio.run(parse_feed(r)))[0].title == "عاجل: خبر"


def test_a_utf16_feed_is_not_mistaken_for_broken_utf8(tmp_path: Path) -> None:
    doc = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>t</title><item><title>عاجل: خبر</title><guid>1</guid></item></channel></rss>'
    path = tmp_path / "u16.xml"
    path.write_bytes(doc.encode("utf-16"))
    r = get(str(path))
    assert r.body == path.read_bytes()
    assert items_from_feed("f", asyncio.run(parse_feed(r)))[0].title == "عاجل: خبر"


# --- 5. the parse budget: a runaway parse is killed, the loop never waits ---------------------

# One element whose comma list feedparser turns into tags, one by one, with a
# linear duplicate check: quadratic, and invisible to any count of elements
# (guards.screen lets it through). 30,000 keywords: about 25 s of parsing.
SLOW_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
    b"<channel><title>t</title><item><title>x</title><guid>1</guid><media:keywords>"
    + b",".join(b"k%d" % i for i in range(30_000))
    + b"</media:keywords></item></channel></rss>"
)


def ok_result(body: bytes) -> FetchResult:
    return FetchResult(200, body, {}, Validators(), False, None, None, None, None, 0.0)


async def with_heartbeat(work: Awaitable[T]) -> tuple[T | BaseException, float]:
    """(outcome of work, longest event-loop stall in seconds) while it runs."""
    stalls: list[float] = [0.0]
    stop = asyncio.Event()

    async def beat() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            stalls.append(now - last - 0.01)
            last = now

    task = asyncio.create_task(beat())
    try:
        outcome: T | BaseException = await work
    except Exception as exc:  # noqa: BLE001 - the test looks at it
        outcome = exc
    stop.set()
    await task
    return outcome, max(stalls)


def test_the_default_budget_is_within_15_seconds() -> None:
    assert 0 < PARSE_BUDGET <= 15


def parse_worker_pids() -> set[int]:
    """Live parse workers of this process (from /proc; zombies count as live)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and b"_parse_worker_main" in cmdline:
            pids.add(int(entry.name))
    return pids


async def watching_workers(work: Awaitable[T], seen: set[int]) -> T:
    """Run work, noting every parse worker alive meanwhile."""
    task = asyncio.ensure_future(work)
    try:
        while not task.done():
            seen |= parse_worker_pids()
            await asyncio.wait([task], timeout=0.05)
    finally:
        task.cancel()  # cancelling this cancels the work too
    return task.result()


def test_a_runaway_parse_is_killed_at_the_budget_and_its_worker_replaced() -> None:
    seen: set[int] = set()

    async def scenario() -> tuple[object, float, float, object]:
        started = time.monotonic()
        outcome, stall = await with_heartbeat(watching_workers(parse_feed(ok_result(SLOW_FEED), budget=1.0), seen))
        elapsed = time.monotonic() - started
        after = await parse_feed(ok_result(FEED_XML))  # a fresh worker takes over
        return outcome, elapsed, stall, after

    outcome, elapsed, stall, after = asyncio.run(scenario())
    print(f"\nrunaway parse: {outcome!r} after {elapsed:.2f} s, longest loop stall {stall * 1000:.0f} ms")
    assert isinstance(outcome, ParseError) and "1 s" in str(outcome)
    assert elapsed < 3.0 and stall < 0.5
    assert items_from_feed("f", after)[0].title == "عاجل: خبر"  # type: ignore[arg-type]
    alive = parse_worker_pids()
    assert seen - alive, "the worker that ran away is still there"
    assert len(alive) <= PARSE_WORKERS


def test_200000_categories_do_not_stall_the_loop_and_other_feeds_still_parse() -> None:
    body = RSS_HEAD + b"<item><title>x</title>" + b"".join(b"<category>c%d</category>" % i for i in range(200_000)) + b"</item></channel></rss>"

    async def scenario() -> tuple[list[object], float, float]:
        started = time.monotonic()
        both = asyncio.gather(parse_feed(ok_result(body)), parse_feed(ok_result(FEED_XML)), return_exceptions=True)
        outcome, stall = await with_heartbeat(both)
        assert isinstance(outcome, list)
        return outcome, time.monotonic() - started, stall

    (bad, good), elapsed, stall = asyncio.run(scenario())
    print(f"\n200,000 categories: {bad!r} in {elapsed:.2f} s, longest loop stall {stall * 1000:.0f} ms")
    assert isinstance(bad, ParseError) and elapsed <= 15 and stall < 0.5
    assert items_from_feed("f", good)[0].title == "عاجل: خبر"  # type: ignore[arg-type]


def test_a_cancelled_parse_kills_its_worker() -> None:
    seen: set[int] = set()

    async def scenario() -> None:
        task = asyncio.create_task(watching_workers(parse_feed(ok_result(SLOW_FEED)), seen))
        await asyncio.sleep(1.0)  # the worker is busy with it by now
        before = parse_worker_pids()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        end = time.monotonic() + 2
        while time.monotonic() < end and not before - parse_worker_pids():
            await asyncio.sleep(0.05)
        assert before - parse_worker_pids(), "the busy worker was not stopped"

    started = time.monotonic()
    asyncio.run(scenario())  # asyncio.run waits for its threads: none may wait out the parse
    assert time.monotonic() - started < 5.0


def test_a_long_feed_with_a_few_categories_per_item_is_not_refused() -> None:
    # 3,000 items × 3 categories: 9,000 in the document, 3 per entry. The
    # parser's cost is quadratic per entry only, so only entries are counted.
    items = b"".join(b"<item><title>x%d</title><guid>%d</guid><category>a</category><category>b</category><category>c</category></item>" % (i, i) for i in range(3000))
    parsed = asyncio.run(parse_feed(ok_result(RSS_HEAD + items + b"</channel></rss>")))
    assert len(parsed.entries) == 3000 and len(parsed.entries[-1].tags) == 3


@pytest.mark.parametrize("tag", [b"dc:subject", b"atom:category", b"category"])
def test_one_entry_with_thousands_of_tags_is_refused_whatever_their_prefix(tag: bytes) -> None:
    body = RSS_HEAD + b"<item><title>x</title>" + b"".join(b"<%s>t%d</%s>" % (tag, i, tag) for i in range(5000)) + b"</item></channel></rss>"
    with pytest.raises(ParseError, match="more than 1,000 <category>"):
        asyncio.run(parse_feed(ok_result(body)))
