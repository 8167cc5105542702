"""Several instances on one PostgreSQL: one leader, hot standbys, fail-over.

Real `python -m bot run` processes, the fake Bot API (each instance talks to
it under its own URL prefix, so every accepted message is tagged with the
instance that sent it), a local feed server, and a PostgreSQL database named
by AJEL_TEST_POSTGRES_URL (each test in its own schema). Without that
variable the PostgreSQL tests are skipped, saying so; the SQLite one runs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.storage import Store
from tests.bot_harness import EMPTY_FEED
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import ROOT, SEED_FEED
from tests.pg_schema import empty_schema
from tests.test_metrics import free_port

PG_URL = os.environ.get("AJEL_TEST_POSTGRES_URL", "")
needs_pg = pytest.mark.skipif(
    not PG_URL, reason="fail-over tests need a live PostgreSQL: set AJEL_TEST_POSTGRES_URL (as .ci/run does)"
)

SUBSCRIBERS = 500
RATE = 100  # messages per second: the fake's limit and the bot's
TOPIC = ("الملف النووي", "ملف نووي")
WEBHOOK_SECRET = "failover-secret_1"


# --------------------------------------------------------------------------- the fake, tagged by instance


class TaggedFake(FakeTelegram):
    """The fake Bot API; an instance using base URL .../<tag>/bot has its sends recorded as (tag, chat, time)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.tagged: list[tuple[str, int, float]] = []
        self.tagged_paths: list[tuple[str, str]] = []
        self._tag = threading.local()

    def base_url_for(self, tag: str) -> str:
        return f"http://127.0.0.1:{self.port}/{tag}/bot"

    def _serve(self, handler: Any) -> None:
        tag, sep, rest = handler.path.lstrip("/").partition("/")
        if sep and not tag.startswith("bot"):
            handler.path = "/" + rest
        else:
            tag = "?"
        self._tag.value = tag
        with self._cond:
            self.tagged_paths.append((tag, handler.path.split("?", 1)[0]))
        super()._serve(handler)

    def _send_message(self, params: Any) -> Any:
        message = super()._send_message(params)
        with self._cond:
            self.tagged.append((getattr(self._tag, "value", "?"), int(message["chat"]["id"]), time.monotonic()))
        return message

    def requests_by_tag(self, method: str) -> list[tuple[str, str]]:
        return [(t, p) for t, p in list(self.tagged_paths) if p.lower().endswith("/" + method.lower())]

    def sends_by(self, tag: str) -> list[float]:
        return [at for t, _, at in list(self.tagged) if t == tag]


# --------------------------------------------------------------------------- processes


@dataclass
class Instance:
    tag: str
    popen: subprocess.Popen[bytes]
    log: Path
    metrics_port: int

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def lines(self, needle: str) -> list[str]:
        return [ln for ln in self.output().splitlines() if needle in ln]

    def alive(self) -> bool:
        return self.popen.poll() is None

    def metric(self, name: str) -> float | None:
        body = urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5).read().decode()
        for line in body.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return None

    def healthz(self) -> int:
        try:
            return int(urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/healthz", timeout=5).status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    def stop(self) -> int:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(30)


@dataclass
class Cluster:
    tmp: Path
    fake: TaggedFake
    feed_url: str
    instances: list[Instance] = field(default_factory=list)

    def start(self, tag: str, database_url: str, *, extra: str = "", args: tuple[str, ...] = ()) -> Instance:
        cdir = self.tmp / f"config-{tag}"
        cdir.mkdir(exist_ok=True)
        port = free_port()
        # The same settings for every instance; only the metrics port differs (one machine here).
        (cdir / "settings.toml").write_text(
            f'[storage]\ndatabase_url = "sqlite:///{self.tmp / "unused.db"}"\n'
            f"[telegram]\nadmins = []\n[telegram.limits]\nglobal_per_second = {RATE}\n"
            '[alerts]\ntimezone = "Asia/Riyadh"\nmax_item_age_hours = 0\n'
            f'[metrics]\nlisten = "127.0.0.1:{port}"\n' + extra,
            encoding="utf-8",
        )
        (cdir / "feeds.toml").write_text(
            f'[[feed]]\nid = "news"\nname = "الأخبار"\nurl = "{self.feed_url}"\ninterval = 0.5\n', encoding="utf-8"
        )
        (cdir / "concepts.toml").write_text("", encoding="utf-8")  # no concepts: one alert per subscriber (see write_config)
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": self.fake.token, "TELEGRAM_BASE_URL": self.fake.base_url_for(tag),
               "DATABASE_URL": database_url}
        log = self.tmp / f"{tag}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(cdir), "run", *args], cwd=ROOT, env=env,
                                     stdout=out, stderr=out)
        inst = Instance(tag, popen, log, port)
        self.instances.append(inst)
        return inst

    def kill_all(self) -> None:
        for inst in self.instances:
            if inst.alive():
                inst.popen.kill()
                inst.popen.wait(10)


def wait_until(predicate: Callable[[], object], timeout: float, what: str, *, logs: list[Instance] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {i.tag}\n{i.output()[-3000:]}" for i in logs or [])
            pytest.fail(f"timed out after {timeout:g}s waiting for {what}\n{tails}")
        time.sleep(0.02)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections see only a new, empty schema (dropped afterwards)."""
    with empty_schema(PG_URL, "f_") as url:
        yield url


@pytest.fixture
def cluster(tmp_path: Path, feed_server: FeedServer) -> Iterator[Cluster]:
    feed_server.route("/news.xml", EMPTY_FEED)
    with TaggedFake(rate_per_second=RATE, per_chat_per_second=1.0) as fake:
        c = Cluster(tmp_path, fake, feed_server.url("/news.xml"))
        try:
            yield c
        finally:
            c.kill_all()
            for inst in c.instances:
                assert "123456:TEST-TOKEN" not in inst.output(), f"{inst.tag} logged the token"


def subscribe(url: str) -> tuple[Store, range]:
    store = Store(url)
    chats = range(70_001, 70_001 + SUBSCRIBERS)
    for chat in chats:
        store.upsert_chat(chat, "private", "ar")
        store.add_topic(chat, *TOPIC)
    return store, chats


def start_pair(c: Cluster, url_a: str, url_b: str) -> tuple[Instance, Instance]:
    """A starts and leads; then B starts and stays standby."""
    a = c.start("A", url_a)
    wait_until(lambda: a.lines("event=leader "), 30, "A to lead", logs=[a])
    b = c.start("B", url_b)
    wait_until(lambda: b.lines("event=standby"), 30, "B to start as a standby", logs=[a, b])
    return a, b


def breaking_news(feed_server: FeedServer) -> None:
    feed_server.route("/news.xml", SEED_FEED.read_bytes())


def per_chat(fake: TaggedFake, chats: range) -> list[int]:
    counts = dict.fromkeys(chats, 0)
    for _, chat, _ in list(fake.tagged):
        if chat in counts:
            counts[chat] += 1
    return list(counts.values())


# --------------------------------------------------------------------------- (a) SIGKILL mid fan-out


@needs_pg
def test_sigkill_leader_mid_fanout_standby_takes_over(cluster: Cluster, feed_server: FeedServer, pg_url: str) -> None:
    store, chats = subscribe(pg_url)
    try:
        a, b = start_pair(cluster, pg_url, pg_url)
        assert b.alive() and b.lines("event=standby"), b.output()[-2000:]
        fake = cluster.fake
        breaking_news(feed_server)
        wait_until(lambda: len(fake.sends_by("A")) >= SUBSCRIBERS // 3, 30, "a third of the fan-out", logs=[a, b])
        a.popen.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        a.popen.wait(10)
        time.sleep(0.3)  # requests the fake had already read are answered even though A is gone
        accepted_at_kill = len(fake.sends_by("A"))
        marked_at_kill = store.outbox_counts().get("sent", 0)
        in_flight = accepted_at_kill - marked_at_kill
        wait_until(lambda: fake.sends_by("B"), 15, "B to send", logs=[b])
        took_over = fake.sends_by("B")[0] - killed_at
        wait_until(lambda: min(per_chat(fake, chats)) >= 1, 30, "every subscriber", logs=[b])
        wait_until(lambda: store.outbox_counts().get("pending", 0) == 0, 30, "an empty outbox", logs=[b])
        counts = per_chat(fake, chats)
        duplicates = sum(n - 1 for n in counts)
        print(f"\nSIGKILL of the leader after {accepted_at_kill} of {SUBSCRIBERS} sends; {marked_at_kill} recorded; "
              f"in flight at the kill: {in_flight}; standby's first send {took_over:.2f}s after the kill; "
              f"duplicates: {duplicates}; B sent {len(fake.sends_by('B'))}")
        assert took_over < 10.0
        assert min(counts) == 1, "a subscriber lost the alert"
        assert duplicates <= in_flight
        assert len(b.lines("event=leader ")) == 1 and b.alive()
        assert b.stop() == 0, b.output()[-2000:]
    finally:
        store.close()


# --------------------------------------------------------------------------- (b) partition


class Blackhole:
    """A TCP proxy to PostgreSQL (its own asyncio loop on a thread) that can silently drop everything.

    `cut()`: bytes in both directions are swallowed and new connections hang,
    as in a network partition (nothing is closed, nobody is told). `heal()`:
    the connections that lived through the cut are closed (they would be
    dead by then), new ones are forwarded again.
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.loop = asyncio.new_event_loop()
        self.cut_now = False
        self.conns: list[dict[str, Any]] = []
        self.port = 0
        ready = threading.Event()
        self.thread = threading.Thread(target=self._main, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait(10)

    def _main(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn: dict[str, Any] = {"doomed": self.cut_now, "writers": [writer]}
        self.conns.append(conn)
        if not conn["doomed"]:
            try:
                up_r, up_w = await asyncio.open_connection(*self.upstream)
            except OSError:
                writer.close()
                return
            conn["writers"].append(up_w)
            conn["task"] = asyncio.ensure_future(self._pipe(up_r, writer, conn))
        await self._pipe(reader, conn["writers"][1] if len(conn["writers"]) > 1 else None, conn)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter | None, conn: dict[str, Any]) -> None:
        try:
            while data := await reader.read(65536):
                if conn["doomed"] or writer is None:
                    continue  # swallowed by the partition
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            for w in conn["writers"]:
                w.close()

    def cut(self) -> None:
        def do() -> None:
            self.cut_now = True
            for conn in self.conns:
                conn["doomed"] = True
        self.loop.call_soon_threadsafe(do)

    def heal(self) -> None:
        def do() -> None:
            self.cut_now = False
            for conn in self.conns:
                if conn["doomed"]:
                    for w in conn["writers"]:
                        w.close()
            self.conns = [c for c in self.conns if not c["doomed"]]
        self.loop.call_soon_threadsafe(do)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@needs_pg
def test_partition_leader_fences_itself_before_the_standby_sends_then_rejoins(
    cluster: Cluster, feed_server: FeedServer, pg_url: str
) -> None:
    store, chats = subscribe(pg_url)
    url = make_url(pg_url)
    proxy = Blackhole((url.host or "127.0.0.1", url.port or 5432))
    try:
        a, b = start_pair(cluster, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), pg_url)
        fake = cluster.fake
        breaking_news(feed_server)
        wait_until(lambda: len(fake.sends_by("A")) >= SUBSCRIBERS // 3, 30, "a third of the fan-out", logs=[a, b])
        proxy.cut()
        cut_at = time.monotonic()
        wait_until(lambda: a.lines("reason='lease not renewed in time'"), 10, "A to fence itself", logs=[a])
        fenced_after = time.monotonic() - cut_at
        accepted_at_fence = len(fake.sends_by("A"))
        in_flight = accepted_at_fence - store.outbox_counts().get("sent", 0)  # sent by A, not recorded (cut off)
        wait_until(lambda: fake.sends_by("B"), 15, "B to send", logs=[a, b])
        last_a, first_b = max(fake.sends_by("A")), min(fake.sends_by("B"))
        time.sleep(max(0.0, 15.0 - (time.monotonic() - cut_at)))
        proxy.heal()
        healed_at = time.monotonic()
        wait_until(lambda: min(per_chat(fake, chats)) >= 1, 30, "every subscriber", logs=[a, b])
        wait_until(lambda: a.lines("event=lease_reachable"), 15, "A to reach the database again", logs=[a])
        rejoined = time.monotonic() - healed_at
        wait_until(lambda: store.outbox_counts().get("pending", 0) == 0, 30, "an empty outbox", logs=[a, b])
        assert a.alive() and b.alive()
        assert a.metric("ajel_leader") == 0.0 and b.metric("ajel_leader") == 1.0
        assert max(fake.sends_by("A")) == last_a, "A sent again after the cut"
        counts = per_chat(fake, chats)
        print(f"\npartition: A's last send {last_a - cut_at:+.2f}s from the cut, A fenced after {fenced_after:.2f}s, "
              f"B's first send {first_b - cut_at:+.2f}s; A back as standby {rejoined:.2f}s after the heal; "
              f"A sent {len(fake.sends_by('A'))} ({in_flight} not recorded when it fenced itself), B sent {len(fake.sends_by('B'))}, "
              f"duplicates {sum(n - 1 for n in counts)}")
        assert last_a < first_b, "two senders at once"
        assert min(counts) == 1
        assert sum(n - 1 for n in counts) <= in_flight
        # The old leader rejoined: when B stops cleanly, A leads again.
        assert b.stop() == 0, b.output()[-2000:]
        assert b.lines("event=lease_released")
        wait_until(lambda: len(a.lines("event=leader ")) == 2, 5, "A to lead again", logs=[a])
        wait_until(lambda: a.metric("ajel_leader") == 1.0, 5, "A's gauge")
        assert len(a.lines("event=standby holder")) == 2  # starting, and fenced
        assert a.stop() == 0, a.output()[-2000:]
        if os.environ.get("AJEL_TEST_SHOW_LOGS"):
            print(a.output(), b.output(), sep="\n--- B\n")
    finally:
        proxy.close()
        store.close()


# --------------------------------------------------------------------------- (c) a second instance


@needs_pg
def test_second_instance_on_postgresql_is_a_standby(cluster: Cluster, pg_url: str) -> None:
    Store(pg_url).close()
    a, b = start_pair(cluster, pg_url, pg_url)
    time.sleep(3)  # several election rounds: B must stay standby, and running
    assert a.alive() and b.alive()
    assert a.metric("ajel_leader") == 1.0 and b.metric("ajel_leader") == 0.0
    assert a.healthz() == 200 and b.healthz() == 200
    assert b.lines("event=standby") and not b.lines("event=leader ")
    assert not b.lines("another instance")
    # getUpdates comes from the leader only (Telegram allows one consumer).
    polls = [tag for tag, _ in cluster.fake.requests_by_tag("getUpdates")]
    assert polls and set(polls) == {"A"}
    assert b.stop() == 0 and a.stop() == 0


@needs_pg
def test_instances_starting_together_migrate_one_at_a_time(pg_url: str) -> None:
    stores: list[Store] = []
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            stores.append(Store(pg_url))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for st in stores:
        st.close()
    assert not errors, errors
    assert sorted(st.upgraded_from for st in stores)[0] == 0 and len(stores) == 3


@needs_pg
def test_webhook_mode_every_instance_answers_commands_only_the_leader_sends(cluster: Cluster, pg_url: str) -> None:
    Store(pg_url).close()
    hooks = {}
    for tag in ("A", "B"):
        port = free_port()
        hooks[tag] = (f"http://127.0.0.1:{port}/hook",
                      f'[telegram.webhook]\nurl = "http://127.0.0.1:{port}/hook"\nlisten = "127.0.0.1:{port}"\npath = "hook"\n'
                      f'secret = "{WEBHOOK_SECRET}"\n')
    fake = cluster.fake
    a = cluster.start("A", pg_url, extra=hooks["A"][1], args=("--webhook",))
    wait_until(lambda: a.lines("event=leader "), 30, "A to lead", logs=[a])
    b = cluster.start("B", pg_url, extra=hooks["B"][1], args=("--webhook",))
    wait_until(lambda: b.lines("event=webhook_listening"), 30, "B's webhook", logs=[a, b])
    wait_until(lambda: fake.webhook and fake.webhook["url"] == hooks["B"][0], 10, "B's setWebhook")
    for chat, tag in ((81_001, "B"), (81_002, "A")):  # as a load balancer would: either instance gets updates
        fake._set_webhook({"url": hooks[tag][0], "secret_token": WEBHOOK_SECRET})
        fake.send_user_message(chat, "/start")
        fake.wait_for_messages(chat, 1, timeout=15)
    assert set(fake.webhook_statuses) == {200}
    assert {t for t, _ in fake.requests_by_tag("getUpdates")} == set()
    assert {t for t, _ in fake.requests_by_tag("sendMessage")} == {"A", "B"}  # each replied to its own update
    assert b.lines("event=standby") and not b.lines("event=leader ")
    assert b.stop() == 0 and a.stop() == 0


def test_run_webhook_without_webhook_settings_is_one_line(cluster: Cluster) -> None:
    a = cluster.start("A", f"sqlite:///{cluster.tmp / 'bot.db'}", args=("--webhook",))
    assert a.popen.wait(30) == 2
    out = a.output().strip().splitlines()
    assert len(out) == 1 and "run --webhook" in out[0] and "[telegram.webhook]" in out[0], out


def test_second_instance_on_sqlite_is_refused_with_one_line(cluster: Cluster) -> None:
    url = f"sqlite:///{cluster.tmp / 'bot.db'}"
    a = cluster.start("A", url)
    wait_until(lambda: a.lines("event=started"), 30, "A to start", logs=[a])
    b = cluster.start("B", url)
    code = b.popen.wait(30)
    out = b.output()
    assert code == 2, out
    assert len([ln for ln in out.splitlines() if "another instance" in ln]) == 1, out
    assert len(out.strip().splitlines()) == 1, out
    assert a.alive() and a.stop() == 0
