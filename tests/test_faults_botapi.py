"""End to end: faults of the Bot API itself, and of running the bot, against the fake Bot API.

Each test is one failure of an earlier version (af0550e), asserting the fixed
behaviour: the real python-telegram-bot client reaches tests/fake_telegram.py
over HTTP, with the bot either in-process (tests.bot_harness.start_bot) or as
a real `python -m bot --config DIR run` process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from bot.delivery.worker import MAX_UNKNOWN_ATTEMPTS
from bot.storage import Store
from bot.storage.schema import metadata
from bot.telegram.fast_sender import HttpSender
from tests.bot_harness import EMPTY_FEED, start_bot, write_config
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import ROOT, seed_only_feed

TOPIC = "الملف النووي"  # the seed article matches it
DEFAULT_TOKEN = FakeTelegram().token


# --------------------------------------------------------------------------- helpers


def wait_until(predicate: Callable[[], object], timeout: float, what: str | Callable[[], str]) -> None:
    """`what` may be a callable: it then describes the state at the moment of the timeout."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what() if callable(what) else what}"
        time.sleep(0.05)


@dataclass
class BotProcess:
    """`python -m bot --config DIR run`, with stdout and stderr each in its own file."""

    popen: subprocess.Popen[bytes]
    out: Path
    err: Path

    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8", errors="replace")

    def output(self) -> str:
        return self.stdout() + self.stderr()

    def alive(self) -> bool:
        return self.popen.poll() is None

    def terminate(self, timeout: float = 30) -> int:
        self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Callable[..., BotProcess]]:
    """Starts bot processes; any still running at the end of the test is killed."""
    started: list[BotProcess] = []

    def start(cdir: Path, *, base_url: str, token: str = DEFAULT_TOKEN) -> BotProcess:
        n = len(started)
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_BASE_URL": base_url}
        env.pop("DATABASE_URL", None)
        out, err = tmp_path / f"bot{n}.out", tmp_path / f"bot{n}.err"
        with out.open("wb") as o, err.open("wb") as e:
            popen = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(cdir), "run"], cwd=ROOT, env=env, stdout=o, stderr=e)
        started.append(BotProcess(popen, out, err))
        return started[-1]

    yield start
    for p in started:
        if p.alive():
            p.popen.kill()
            p.popen.wait(10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _config(feed_server: FeedServer, tmp_path: Path, **kw: str) -> Path:
    feed_server.route("/news.xml", EMPTY_FEED)
    return write_config(tmp_path, feed_server.url("/news.xml"), **kw)


async def _until(predicate: Callable[[], object], timeout: float, what: str | Callable[[], str]) -> None:
    """wait_until off the loop: the bot runs on this loop meanwhile."""
    await asyncio.to_thread(wait_until, predicate, timeout, what)


def _tail(text: str, n: int = 3000) -> str:
    return text[-n:]


# --------------------------------------------------------------------------- 6a


def test_6a_unreachable_bot_api_at_startup_is_retried_with_one_line_per_attempt_then_served(
    feed_server: FeedServer, tmp_path: Path, processes: Callable[..., BotProcess]
) -> None:
    cdir = _config(feed_server, tmp_path)
    port = _free_port()  # nothing listens here yet: connection refused
    bot = processes(cdir, base_url=f"http://127.0.0.1:{port}/bot")
    wait_until(lambda: bot.stderr().count("event=bot_api_unreachable") >= 2 or not bot.alive(), 30, "two failed attempts")
    assert bot.alive(), f"the bot exited (status {bot.popen.returncode}) while the Bot API was unreachable:\n{_tail(bot.output())}"
    with FakeTelegram(per_chat_per_second=None, port=port) as fake:  # the Bot API comes up on that port
        fake.send_user_message(1001, "/start")
        (welcome,) = fake.wait_for_messages(1001, 1, timeout=30)
        assert welcome.plain
        assert bot.terminate() == 0, _tail(bot.output())
    err = bot.stderr()
    assert "Traceback" not in err, _tail(err)
    attempts = [int(m) for m in re.findall(r"event=bot_api_unreachable attempt=(\d+)", err)]
    assert len(attempts) >= 2 and attempts == list(range(1, len(attempts) + 1)), attempts  # one line per attempt
    assert err.count("event=bot_api_unreachable") == len(attempts)


def test_6a_sigterm_while_a_feed_poll_is_in_flight_stops_cleanly_without_a_traceback(
    feed_server: FeedServer, tmp_path: Path, processes: Callable[..., BotProcess]
) -> None:
    # Found while writing 6a: a stop that cancelled a running poll made
    # APScheduler log "Job ... raised an exception" with a CancelledError traceback.
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))
    feed_server.route("/news.xml", EMPTY_FEED, delay=20.0)  # the fetch hangs: the poll is in flight
    with FakeTelegram(per_chat_per_second=None) as fake:
        bot = processes(cdir, base_url=fake.base_url)
        wait_until(lambda: feed_server.hits("/news.xml") >= 1 or not bot.alive(), 30, "a feed poll in flight")
        assert bot.terminate() == 0, _tail(bot.output())
    err = bot.stderr()
    assert "Traceback" not in err and "raised an exception" not in err, _tail(err)
    assert "event=stopped" in err


# --------------------------------------------------------------------------- 6b


@pytest.mark.parametrize("status", [400, 404])
def test_6b_failing_set_my_commands_is_one_warning_and_the_bot_still_serves(
    status: int, feed_server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    cdir = _config(feed_server, tmp_path)
    with FakeTelegram(per_chat_per_second=None) as fake:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)  # restored after the test
        monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)
        fake.fail_method("setMyCommands", status)  # every call, for the whole run

        async def scenario() -> None:
            h = await start_bot(fake, feed_server, cdir)
            await h.say(1001, "/start")
            assert fake.messages_to(1001)[-1].plain
            assert await h.shutdown() == 0

        asyncio.run(scenario())
        assert fake.calls("setMyCommands") and not fake.commands
    warned = [r.getMessage() for r in caplog.records if "set_commands_failed" in r.getMessage()]
    assert len(warned) == 1, warned
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


# --------------------------------------------------------------------------- 7

# Telegram (or a proxy in front of it) answered 2xx, so the message was
# accepted, but python-telegram-bot cannot read the answer.
UNREADABLE_2XX = {
    3101: b'{"ok": true, "result": {"message_id": ',  # truncated JSON
    3102: b"<html><body><h1>200 OK</h1></body></html>",  # an HTML page
    3103: b'{"ok": true, "result": {"message_id": 7}}',  # JSON, but not a Message PTB can build
    3104: b'{"ok": true, "result": true}',  # JSON, but no Message at all
}


def test_7_an_unreadable_2xx_answer_counts_as_sent_and_is_never_sent_again(
    feed_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cdir = _config(feed_server, tmp_path)
    with FakeTelegram(per_chat_per_second=None) as fake:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
        monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)

        async def scenario() -> None:
            h = await start_bot(fake, feed_server, cdir)
            for chat in UNREADABLE_2XX:
                await h.subscribe(chat, TOPIC)
            before = {chat: len(fake.messages_to(chat)) for chat in UNREADABLE_2XX}
            for chat, body in UNREADABLE_2XX.items():
                fake.add_garbage_fault(chat, times=20, body=body)  # every send to it, for the whole test
            feed_server.set_body("/news.xml", seed_only_feed())
            for chat in UNREADABLE_2XX:
                await h.wait(lambda c=chat: fake.wait_for_messages(c, before[c] + 1, timeout=20))
            store = Store(h.settings.database_url)
            await _until(lambda: store.outbox_counts() == {"sent": len(UNREADABLE_2XX)}, 15, lambda: f"every row sent, not {store.outbox_counts()}")
            await asyncio.sleep(3.0)  # a few more worker rounds: a retry would have gone out by now
            for chat in UNREADABLE_2XX:
                assert len(fake.messages_to(chat)) == before[chat] + 1, (chat, [m.plain[:40] for m in fake.messages_to(chat)])
            assert store.outbox_counts() == {"sent": len(UNREADABLE_2XX)}
            assert await h.shutdown() == 0

        asyncio.run(scenario())


def test_7_a_send_that_always_raises_ends_failed_after_bounded_attempts_and_is_counted_in_stats(
    feed_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = 3201
    cdir = _config(feed_server, tmp_path, admins=f"[{admin}]")
    attempts: list[int] = []

    async def exploding_send(self: HttpSender, row: object) -> object:
        attempts.append(getattr(row, "id", 0))
        raise RuntimeError("something nobody planned for")

    # Alerts go through HttpSender (replies do not); its retry delay (30 s) is shortened.
    monkeypatch.setattr(HttpSender, "send", exploding_send)
    retry_later = Store.retry_later
    monkeypatch.setattr(Store, "retry_later", lambda self, oid, at, error: retry_later(self, oid, min(at, time.time() + 0.2), error))
    with FakeTelegram(per_chat_per_second=None) as fake:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
        monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)

        async def scenario() -> None:
            h = await start_bot(fake, feed_server, cdir)
            await h.subscribe(admin, TOPIC)
            n = len(fake.messages_to(admin))
            feed_server.set_body("/news.xml", seed_only_feed())
            store = Store(h.settings.database_url)
            await _until(lambda: store.outbox_counts() == {"failed": 1}, 20, lambda: f"the row failed; outbox {store.outbox_counts()} after {len(attempts)} attempts")
            await asyncio.sleep(1.5)  # several rounds: a failed row is never tried again
            assert len(attempts) == MAX_UNKNOWN_ATTEMPTS
            assert store.outbox_counts() == {"failed": 1}
            assert len(fake.messages_to(admin)) == n  # nothing reached the user
            await h.say(admin, "/stats")
            stats = fake.messages_to(admin)[-1].plain
            assert "تنبيهات تعذّر إرسالها: 1" in stats and "طابور الإرسال: 0" in stats, stats
            assert await h.shutdown() == 0

        asyncio.run(scenario())


# --------------------------------------------------------------------------- 8


def test_8_a_flood_of_commands_is_answered_within_the_flood_limit_without_handler_errors(
    feed_server: FeedServer, tmp_path: Path, processes: Callable[..., BotProcess]
) -> None:
    cdir = _config(feed_server, tmp_path)
    user, commands, enough = 1001, 40, 6
    with FakeTelegram(per_chat_per_second=1.0) as fake:  # Telegram: about one message a second per chat
        bot = processes(cdir, base_url=fake.base_url)
        fake.wait_for_calls("getUpdates", 1, timeout=30)
        for _ in range(commands):
            fake.send_user_message(user, "/help")
        # One reply a second is what the limit allows (each 429 says "retry after 1").
        replies = fake.wait_for_messages(user, enough, timeout=enough * 3 + 5)
        assert fake.count_429 >= 1, "the flood limit was never hit: the test proves nothing"
        assert all(r.plain == replies[0].plain for r in replies)
        assert bot.alive(), _tail(bot.output())
        # A clean stop would first answer every queued command (about 40 s): kill it.
        bot.popen.kill()
        bot.popen.wait(10)
    err = bot.stderr()
    assert "handler_error" not in err, _tail(err)
    assert "Traceback" not in err, _tail(err)
    assert "reply_failed" not in err, _tail(err)  # no reply was given up on either


# --------------------------------------------------------------------------- 9


def test_9_a_second_instance_on_the_same_database_exits_2_and_the_first_keeps_working(
    feed_server: FeedServer, tmp_path: Path, processes: Callable[..., BotProcess]
) -> None:
    cdir = _config(feed_server, tmp_path)
    with FakeTelegram(per_chat_per_second=None) as fake:
        first = processes(cdir, base_url=fake.base_url)
        fake.wait_for_calls("getUpdates", 1, timeout=30)
        second = processes(cdir, base_url=fake.base_url)
        try:
            code = second.popen.wait(15)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the second instance is still running:\n{_tail(second.output())}")
        out = second.output()
        assert code == 2, out
        assert len([line for line in out.splitlines() if "another instance" in line]) == 1, out
        assert "Traceback" not in out, out
        assert first.alive(), _tail(first.output())
        fake.send_user_message(1001, "/start")
        fake.wait_for_messages(1001, 1, timeout=15)
        # SIGKILL: no cleanup runs; the kernel releases the lock with the process.
        first.popen.kill()
        first.popen.wait(10)
        third = processes(cdir, base_url=fake.base_url)
        fake.send_user_message(1002, "/start")
        fake.wait_for_messages(1002, 1, timeout=30)
        assert third.alive() and third.terminate() == 0, _tail(third.output())
    assert "another instance" not in third.output()


# --------------------------------------------------------------------------- 11


def test_11_stop_leaves_nothing_about_the_chat_in_any_table(
    feed_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cdir = _config(feed_server, tmp_path)
    gone, kept = 3301, 3302
    with FakeTelegram(per_chat_per_second=None) as fake:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
        monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)

        async def scenario() -> None:
            h = await start_bot(fake, feed_server, cdir)
            for chat in (gone, kept):
                await h.subscribe(chat, TOPIC)
                await h.say(chat, "/exclude كرة القدم")
            n = {chat: len(fake.messages_to(chat)) for chat in (gone, kept)}
            feed_server.set_body("/news.xml", seed_only_feed())
            for chat in (gone, kept):
                await h.wait(lambda c=chat: fake.wait_for_messages(c, n[c] + 1, timeout=20))
            store = Store(h.settings.database_url)
            await _until(lambda: store.outbox_counts() == {"sent": 2}, 10, "both alerts recorded as sent")
            await h.say(gone, "/stop")
            assert await h.shutdown() == 0

        asyncio.run(scenario())
    engine = create_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        on_disk = MetaData()
        on_disk.reflect(engine)  # every table in the file, even one the schema module forgot
        assert set(metadata.tables) <= set(on_disk.tables)
        leftovers: dict[str, int] = {}
        kept_rows: dict[str, int] = {}
        with engine.connect() as conn:
            for name, table in on_disk.tables.items():
                cols = [c for c in table.c if c.name == "chat_id" or (name == "chats" and c.name == "id")]
                for col in cols:
                    leftovers[f"{name}.{col.name}"] = len(conn.execute(select(table).where(col == gone)).all())
                    kept_rows[f"{name}.{col.name}"] = len(conn.execute(select(table).where(col == kept)).all())
    finally:
        engine.dispose()
    assert {"chats.id", "topics.chat_id", "outbox.chat_id"} <= set(leftovers), leftovers  # the check looked where it matters
    assert all(v == 0 for v in leftovers.values()), leftovers
    assert kept_rows["chats.id"] == 1 and kept_rows["topics.chat_id"] == 2 and kept_rows["outbox.chat_id"] == 1, kept_rows


# --------------------------------------------------------------------------- 12


def test_12_a_token_rejected_with_401_exits_2_with_one_line_and_never_prints_the_token(
    feed_server: FeedServer, tmp_path: Path, processes: Callable[..., BotProcess]
) -> None:
    cdir = _config(feed_server, tmp_path)
    secret = "987654321:AAHrevoked-Secret_value_0123456789xyz"
    with FakeTelegram() as fake:
        fake.unknown_token_status = 401  # as Telegram answers a well-formed token it does not know
        bot = processes(cdir, base_url=fake.base_url, token=secret)
        try:
            code = bot.popen.wait(30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running with a rejected token:\n{_tail(bot.output())}")
        assert fake.unknown_token_requests >= 1  # it did ask the Bot API
    out = bot.output()
    assert code == 2, _tail(out)
    lines = [line for line in out.splitlines() if "rejected the token" in line]
    assert len(lines) == 1 and "the Bot API rejected the token (401)" in lines[0], out
    assert "Traceback" not in out, _tail(out)
    for part in (secret, secret.split(":")[1], secret.split(":")[1][:12]):
        assert part not in out, f"the token leaked: {part!r}"
