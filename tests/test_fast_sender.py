"""The lean alert sender (bot/telegram/fast_sender.py) against real HTTP servers.

Faults come from the fake Bot API (tests/fake_telegram.py, HTTP/1.0: one
connection per request) and from small scripted HTTP/1.1 servers below
(keep-alive, chunked answers, servers that close idle connections), because
Telegram itself keeps connections open.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import socket
import warnings
from collections.abc import Awaitable, Callable

import pytest
from yarl import URL

from bot.core.models import OutboxRow
from bot.delivery.worker import ChatGone, Migrated, Outcome, Rejected, RetryAfter, Sent, Transient
from bot.telegram.fast_sender import HttpSender, _env_proxy
from tests.fake_telegram import FakeTelegram

TOKEN = "123456:SECRET-token_value"
HTML = '🔴 <b>عاجل</b> | "مقتبس" \\ نص الخبر'


def _fake() -> FakeTelegram:
    return FakeTelegram(TOKEN, rate_per_second=None, per_chat_per_second=None, group_per_minute=None)


def _run(scenario: Callable[[], Awaitable[None]]) -> None:
    """Run `scenario` and fail on any unclosed session, transport or socket it leaves behind."""
    # Garbage an earlier test left (a loop a failed test never closed) is collected
    # first, outside the record: only what this scenario leaves counts.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(scenario())
        gc.collect()
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning) or "nclosed" in str(w.message)]
    assert not leaks, leaks


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sends_the_pre_serialised_body_and_reads_the_message_id() -> None:
    with _fake() as fake:
        row = OutboxRow("a", 4242, HTML, thread_id=7, alert_id=1, silent=True, preview=False)
        got: list[Outcome] = []

        async def scenario() -> None:
            sender = HttpSender(fake.token, fake.base_url, paid_broadcast=True)
            try:
                got.append(await sender.send(row))
                got.append(await sender.send(OutboxRow("a", 4243, HTML)))  # no alert id: serialised whole
            finally:
                await sender.close()

        _run(scenario)
        first, second = fake.messages_to(4242)[0], fake.messages_to(4243)[0]
        params = [p for method, p in fake.requests if method.lower() == "sendmessage"]
    assert got == [Sent(first.message_id), Sent(second.message_id)]
    assert first.text == HTML and first.message_thread_id == 7 and first.disable_notification
    assert first.link_preview_options == {"is_disabled": True}
    assert params[0] == json.loads(HttpSender(TOKEN, "http://x/bot", paid_broadcast=True).body(row))


def test_edit_changes_the_sent_message() -> None:
    with _fake() as fake:
        got: list[Outcome] = []

        async def scenario() -> None:
            sender = HttpSender(fake.token, fake.base_url)
            try:
                sent = await sender.send(OutboxRow("a", 77, HTML, alert_id=3))
                assert isinstance(sent, Sent) and sent.message_id is not None
                got.append(await sender.edit(77, sent.message_id, HTML + " (محدث)"))
                got.append(await sender.edit(77, 999_999, "x"))  # no such message
            finally:
                await sender.close()

        _run(scenario)
        (edit,) = fake.edits
    assert isinstance(got[0], Sent) and edit.text == HTML + " (محدث)" and edit.chat_id == 77
    assert isinstance(got[1], Rejected)


def test_telegram_errors_map_to_outcomes() -> None:
    with _fake() as fake:
        fake.add_fault(1, "429", retry_after=17)
        fake.add_fault(2, "500")
        fake.add_fault(3, "403")
        fake.add_fault(4, "400_not_found")
        fake.add_fault(5, "migrate", migrate_to=-100_555)
        fake.add_garbage_fault(6)
        fake.add_garbage_fault(7, body=b"")
        got: dict[int, Outcome] = {}

        async def scenario() -> None:
            sender = HttpSender(fake.token, fake.base_url)
            try:
                for chat in range(1, 8):
                    got[chat] = await sender.send(OutboxRow("a", chat, HTML, alert_id=1))
                got[8] = await sender.send(OutboxRow("a", 8, "<b>unclosed", alert_id=2))
            finally:
                await sender.close()

        _run(scenario)
    assert got[1] == RetryAfter(17.0)
    assert got[2] == Transient("Internal Server Error")
    assert isinstance(got[3], ChatGone) and isinstance(got[4], ChatGone)
    assert got[5] == Migrated(-100_555)
    assert got[6] == Sent(None) and got[7] == Sent(None)  # a 2xx is sent even when its body cannot be read
    assert isinstance(got[8], Rejected) and "parse entities" in got[8].error


def test_network_errors_are_transient_and_never_name_the_token() -> None:
    port = _free_port()  # nothing listens: connection refused
    got: list[Outcome] = []

    async def scenario() -> None:
        sender = HttpSender(TOKEN, f"http://127.0.0.1:{port}/bot", timeout=2.0)
        try:
            got.append(await sender.send(OutboxRow("a", 1, HTML, alert_id=1)))
            got.append(await sender.edit(1, 2, HTML))
        finally:
            await sender.close()

    _run(scenario)
    for outcome in got:
        assert isinstance(outcome, Transient) and outcome.error.startswith("network error"), outcome
        assert TOKEN not in outcome.error and "SECRET" not in outcome.error and "127.0.0.1" not in outcome.error


def test_an_unknown_host_is_transient_and_never_names_the_token() -> None:
    got: list[Outcome] = []

    async def scenario() -> None:
        sender = HttpSender(TOKEN, "http://no-such-host.invalid/bot", timeout=5.0)
        try:
            got.append(await sender.send(OutboxRow("a", 1, HTML, alert_id=1)))
        finally:
            await sender.close()

    _run(scenario)
    (outcome,) = got
    assert isinstance(outcome, Transient) and TOKEN not in outcome.error and "SECRET" not in outcome.error, outcome


def test_a_slow_answer_times_out_as_transient_without_blocking_the_loop() -> None:
    with _fake() as fake:
        fake.add_fault(1, "slow", delay=1.5)
        got: list[Outcome] = []
        ticks: list[float] = []

        async def scenario() -> None:
            sender = HttpSender(fake.token, fake.base_url, timeout=0.4)
            loop = asyncio.get_running_loop()

            async def ticker() -> None:
                while True:
                    ticks.append(loop.time())
                    await asyncio.sleep(0.02)

            tick = asyncio.create_task(ticker())
            try:
                started = loop.time()
                got.append(await sender.send(OutboxRow("a", 1, HTML, alert_id=1)))
                assert loop.time() - started < 1.2
                got.append(await sender.send(OutboxRow("a", 2, HTML, alert_id=1)))  # the next one goes through
            finally:
                tick.cancel()
                await sender.close()

        _run(scenario)
    assert got[0] == Transient("timeout") and isinstance(got[1], Sent)
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.2  # the loop kept running meanwhile


def test_many_concurrent_sends_share_a_bounded_pool() -> None:
    with _fake() as fake:
        got: list[Outcome] = []

        async def scenario() -> None:
            sender = HttpSender(fake.token, fake.base_url, pool=4)
            try:
                got.extend(await asyncio.gather(*(sender.send(OutboxRow("a", 10_000 + i, HTML, alert_id=1)) for i in range(200))))
            finally:
                await sender.close()

        _run(scenario)
        chats = {m.chat_id for m in fake.sent}
    assert all(isinstance(o, Sent) for o in got) and len(fake.sent) == 200 and len(chats) == 200


def test_the_fake_with_keep_alive_answers_many_sends_on_few_connections() -> None:
    with FakeTelegram(TOKEN, rate_per_second=None, per_chat_per_second=None, group_per_minute=None, keep_alive=True) as fake:
        fake.add_fault(3, "429", retry_after=2)
        got: list[Outcome] = []

        async def scenario() -> None:
            sender = HttpSender(fake.token, fake.base_url, pool=2)
            wrong = HttpSender("1:wrong", fake.base_url, pool=1)
            try:
                got.extend(await asyncio.gather(*(sender.send(OutboxRow("a", chat, HTML, alert_id=1)) for chat in range(1, 41))))
                got.append(await wrong.send(OutboxRow("a", 1, HTML, alert_id=1)))  # 404, the body unread: closed
                got.append(await wrong.send(OutboxRow("a", 1, HTML, alert_id=1)))
            finally:
                await sender.close()
                await wrong.close()

        _run(scenario)
    assert got[2] == RetryAfter(2.0) and sum(isinstance(o, Sent) for o in got) == 39
    assert got[-2:] == [Transient("Not Found"), Transient("Not Found")]


def test_close_without_any_send_and_twice_is_clean() -> None:
    async def scenario() -> None:
        sender = HttpSender(TOKEN, "http://127.0.0.1:9/bot")
        await sender.close()
        await sender.close()

    _run(scenario)


# --------------------------------------------------------------------------- HTTP/1.1 servers, as Telegram's


class _Script:
    """An HTTP/1.1 server on 127.0.0.1 whose answers a test chooses; counts connections and requests."""

    def __init__(self, answer: Callable[[int, bytes, bytes], bytes | None]) -> None:
        self.answer = answer  # (request number, head, body) → raw bytes to write, None = close without answering
        self.connections = 0
        self.requests: list[tuple[bytes, bytes]] = []
        self.close_after_each = False
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def __aenter__(self) -> _Script:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        await self._server.wait_closed()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/bot"

    async def close_idle(self) -> None:
        """Close every open connection, as a server does with idle keep-alives."""
        for writer in self._writers:
            writer.close()
        self._writers.clear()
        await asyncio.sleep(0.05)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                body = await reader.readexactly(length)
                self.requests.append((head, body))
                raw = self.answer(len(self.requests), head, body)
                if raw is None:
                    break
                writer.write(raw)
                await writer.drain()
                if self.close_after_each:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def _ok(message_id: int, *, extra: bytes = b"") -> bytes:
    body = b'{"ok":true,"result":{"message_id":%d,"chat":{"id":1},"date":0,"text":"x"}}' % message_id
    return b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s" % (
        len(body), extra, body)


def _chunked(message_id: int) -> bytes:
    body = b'{"ok":true,"result":{"message_id":%d,"chat":{"id":1},"date":0,"text":"x"}}' % message_id
    parts = [body[:7], body[7:30], body[30:]]
    chunks = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in parts)
    return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n" + chunks + b"0\r\nX-Trailer: y\r\n\r\n"


def test_keep_alive_reuses_one_connection_and_sends_the_same_bytes() -> None:
    got: list[Outcome] = []
    seen: list[tuple[bytes, bytes]] = []
    row = OutboxRow("a", 5, HTML, alert_id=1, silent=True)

    async def scenario() -> None:
        async with _Script(lambda n, head, body: _ok(n)) as server:
            sender = HttpSender(TOKEN, server.base_url)
            try:
                for _ in range(5):
                    got.append(await sender.send(row))
                got.append(await sender.edit(5, 1, HTML))
            finally:
                await sender.close()
            assert server.connections == 1
            seen.extend(server.requests)

    _run(scenario)
    assert got == [Sent(1), Sent(2), Sent(3), Sent(4), Sent(5), Sent(6)]
    head, body = seen[0]
    assert head.startswith(b"POST /bot" + TOKEN.encode() + b"/sendMessage HTTP/1.1\r\n")
    assert b"\r\nhost: 127.0.0.1:" in head.lower() and b"\r\ncontent-type: application/json" in head.lower()
    assert body == HttpSender(TOKEN, "http://x/bot").body(row)
    edit_head, edit_body = seen[-1]
    assert edit_head.startswith(b"POST /bot" + TOKEN.encode() + b"/editMessageText HTTP/1.1\r\n")
    assert json.loads(edit_body) == {"chat_id": 5, "message_id": 1, "text": HTML, "parse_mode": "HTML",
                                     "link_preview_options": {"is_disabled": True}}


def test_chunked_answers_and_connection_close_are_understood() -> None:
    got: list[Outcome] = []

    def answer(n: int, head: bytes, body: bytes) -> bytes:
        if n == 1:
            return _chunked(11)
        if n == 2:
            return _ok(12, extra=b"Connection: close\r\n")
        return _ok(n)

    async def scenario() -> None:
        async with _Script(answer) as server:
            sender = HttpSender(TOKEN, server.base_url)
            try:
                for chat in (1, 2, 3):
                    got.append(await sender.send(OutboxRow("a", chat, HTML, alert_id=1)))
            finally:
                await sender.close()
            assert server.connections == 2  # the chunked answer kept the connection; "close" did not

    _run(scenario)
    assert got == [Sent(11), Sent(12), Sent(3)]


def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    got: list[Outcome] = []

    async def scenario() -> None:
        async with _Script(lambda n, head, body: _ok(n)) as server:
            sender = HttpSender(TOKEN, server.base_url)
            try:
                got.append(await sender.send(OutboxRow("a", 1, HTML, alert_id=1)))
                await server.close_idle()
                got.append(await sender.send(OutboxRow("a", 2, HTML, alert_id=1)))
            finally:
                await sender.close()
            assert server.connections == 2

    _run(scenario)
    assert got == [Sent(1), Sent(2)]


def test_a_server_that_hangs_up_without_answering_is_transient() -> None:
    got: list[Outcome] = []

    async def scenario() -> None:
        async with _Script(lambda n, head, body: None) as server:
            sender = HttpSender(TOKEN, server.base_url)
            try:
                got.append(await sender.send(OutboxRow("a", 1, HTML, alert_id=1)))
            finally:
                await sender.close()

    _run(scenario)
    (outcome,) = got
    assert isinstance(outcome, Transient) and outcome.error.startswith("network error"), outcome
    assert TOKEN not in outcome.error


def test_a_cancelled_send_does_not_leave_its_connection_in_the_pool() -> None:
    got: list[Outcome] = []

    async def scenario() -> None:
        # The first request is never answered (an empty write): it is cancelled mid-flight.
        async with _Script(lambda n, head, body: b"" if n == 1 else _ok(n)) as server:
            sender = HttpSender(TOKEN, server.base_url, pool=1)
            try:
                task = asyncio.create_task(sender.send(OutboxRow("a", 1, HTML, alert_id=1)))
                await asyncio.sleep(0.2)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                got.append(await asyncio.wait_for(sender.send(OutboxRow("a", 2, HTML, alert_id=1)), 5))
            finally:
                await sender.close()
            assert server.connections == 2  # the cancelled one was closed, not reused mid-answer

    _run(scenario)
    assert got == [Sent(2)]


def test_a_2xx_whose_body_is_cut_off_or_never_ends_is_sent() -> None:
    got: list[Outcome] = []
    cut = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n" + b'{"ok":true,"res'

    async def scenario() -> None:
        # 1: the body is cut off by the server closing; 2: the body never comes (the send times out).
        async with _Script(lambda n, head, body: cut) as server:
            server.close_after_each = True
            sender = HttpSender(TOKEN, server.base_url, timeout=0.5)
            try:
                got.append(await sender.send(OutboxRow("a", 1, HTML, alert_id=1)))
                server.close_after_each = False
                got.append(await sender.send(OutboxRow("a", 2, HTML, alert_id=1)))
            finally:
                await sender.close()

    _run(scenario)
    assert got == [Sent(None), Sent(None)]  # Telegram took them: a retry would send twice


def test_the_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    got: list[Outcome] = []
    seen: list[bytes] = []

    async def scenario() -> None:
        async with _Script(lambda n, head, body: _ok(n)) as proxy:
            for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
                monkeypatch.delenv(name, raising=False)
            address = proxy.base_url.removesuffix("/bot").replace("http://", "http://user:pw@")
            monkeypatch.setenv("HTTP_PROXY", address)
            monkeypatch.setenv("http_proxy", address)
            sender = HttpSender(TOKEN, "http://api.telegram.invalid/bot")  # unresolvable: only the proxy can answer
            try:
                got.append(await sender.send(OutboxRow("a", 1, HTML, alert_id=1)))
            finally:
                await sender.close()
            seen.extend(head for head, _ in proxy.requests)

    _run(scenario)
    assert got == [Sent(1)]
    assert seen[0].startswith(b"POST http://api.telegram.invalid/bot" + TOKEN.encode() + b"/sendMessage HTTP/1.1\r\n")
    assert b"\r\nproxy-authorization: basic dxnlcjpwdw==" in seen[0].lower()  # user:pw


def test_no_proxy_exempts_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("http_proxy", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "api.telegram.org")
    monkeypatch.setenv("no_proxy", "api.telegram.org")
    assert _env_proxy(URL("http://api.telegram.org/bot1:x/sendMessage")) == (None, None)
    assert _env_proxy(URL("http://other.example/bot1:x/sendMessage"))[0] == URL("http://proxy.example:3128")
    assert _env_proxy(URL("https://other.example/bot1:x/sendMessage")) == (None, None)  # no HTTPS_PROXY


def test_a_successful_answer_is_read_from_its_head_without_parsing_the_echoed_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram echoes the whole message back; only `ok` and the first field of `result` are needed to record a send."""
    from bot.telegram import fast_sender

    answer = json.dumps({"ok": True, "result": {"message_id": 4242, "from": {"id": 1}, "chat": {"id": 7}, "date": 1, "text": HTML * 20}},
                        ensure_ascii=False).encode()
    compact = answer.replace(b": ", b":").replace(b", ", b",")
    with_parsing = [fast_sender.outcome(200, answer), fast_sender.outcome(200, compact)]

    def no_json(_payload: bytes) -> dict[str, object]:
        raise AssertionError("the whole answer was parsed")

    monkeypatch.setattr(fast_sender, "_json", no_json)
    assert [fast_sender.outcome(200, answer), fast_sender.outcome(200, compact)] == with_parsing == [Sent(4242), Sent(4242)]
    monkeypatch.undo()
    # Anything else is parsed whole, as before: errors, a cut-off answer, another layout.
    assert fast_sender.outcome(200, b'{"ok": true, "result": {"message_id": ') == Sent(None)
    assert fast_sender.outcome(200, b'{"result": {"message_id": 5}, "ok": true}') == Sent(5)
    assert fast_sender.outcome(429, b'{"ok":false,"error_code":429,"parameters":{"retry_after":3}}') == RetryAfter(3.0)
    assert fast_sender.outcome(200, b'{"ok": true, "result": {"message_id": 12x}}') == Sent(None)
