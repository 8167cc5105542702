"""Prometheus metrics and a health check, served by a tiny asyncio HTTP server.

Off by default (`[metrics] listen = "127.0.0.1:9464"` turns it on). Each runtime
has its own registry, so tests running several runtimes do not collide. The
server answers GET /metrics and GET /healthz only and never blocks the loop:
rendering the registry is in-memory work.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

log = logging.getLogger("bot.metrics")

_DELAY_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)


class Metrics:
    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.items_seen = Counter("ajel_items_seen", "Feed items seen, per source", ["source"], registry=r)
        self.items_breaking = Counter("ajel_items_breaking", "New breaking items, per source", ["source"], registry=r)
        self.alerts_queued = Counter("ajel_alerts_queued", "Alerts queued in the outbox", registry=r)
        self.messages_sent = Counter("ajel_messages_sent", "Messages Telegram accepted", registry=r)
        self.rate_limited = Counter("ajel_rate_limited", "429 answers from Telegram", registry=r)
        self.failures = Counter("ajel_send_failures", "Send failures, by kind", ["kind"], registry=r)
        self.fetch_errors = Counter("ajel_fetch_errors", "Feed fetch or parse errors, per source", ["source"], registry=r)
        self.outbox_depth = Gauge("ajel_outbox_depth", "Pending alerts known to the sender, by priority", ["priority"], registry=r)
        self.oldest_pending = Gauge("ajel_oldest_pending_seconds", "Age of the oldest pending alert", registry=r)
        self.leader = Gauge("ajel_leader", "1 when this instance is the leader (sends and polls), 0 on standby", registry=r)
        self.publish_to_queued = Histogram("ajel_publish_to_queued_seconds", "Item published -> alert queued",
                                           buckets=_DELAY_BUCKETS, registry=r)
        self.queued_to_sent = Histogram("ajel_queued_to_sent_seconds", "Alert queued -> Telegram accepted it",
                                        buckets=_DELAY_BUCKETS, registry=r)
        self.leader.set(1)  # single-instance mode: always the leader

    def render(self) -> bytes:
        return generate_latest(self.registry)


@dataclass
class Health:
    """What /healthz checks: each callable answers "is this part running?"."""

    checks: dict[str, Callable[[], bool]]
    oldest_pending: Callable[[], float]
    max_pending_age: float = 300.0

    def status(self) -> tuple[bool, str]:
        bad = [name for name, ok in self.checks.items() if not ok()]
        age = self.oldest_pending()
        if age > self.max_pending_age:
            bad.append(f"oldest pending alert {age:.0f}s > {self.max_pending_age:g}s")
        return (not bad, "ok\n" if not bad else "unhealthy: " + "; ".join(bad) + "\n")


def parse_listen(value: str) -> tuple[str, int]:
    """'127.0.0.1:9464' or ':9464' (then 127.0.0.1) -> (host, port)."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(f"listen address {value!r}: expected HOST:PORT")
    return (host.strip("[]") or "127.0.0.1", int(port))


class MetricsServer:
    def __init__(self, metrics: Metrics, health: Health, host: str = "127.0.0.1", port: int = 9464,
                 before_render: Callable[[], object] = lambda: None) -> None:
        self.metrics, self.health, self.host, self.port = metrics, health, host, port
        self.before_render = before_render  # refreshes the gauges read from the runtime
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        sock = self._server.sockets[0].getsockname()
        self.port = int(sock[1])
        log.info("event=metrics_listening host=%s port=%d", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5.0)
            method, _, rest = request.split(b"\r\n", 1)[0].decode("latin-1").partition(" ")
            path = rest.split(" ", 1)[0].split("?", 1)[0]
            if method not in ("GET", "HEAD"):
                await self._reply(writer, 405, b"method not allowed\n", "text/plain", method)
            elif path == "/metrics":
                self.before_render()
                await self._reply(writer, 200, self.metrics.render(), CONTENT_TYPE_LATEST, method)
            elif path == "/healthz":
                ok, text = self.health.status()
                await self._reply(writer, 200 if ok else 503, text.encode(), "text/plain; charset=utf-8", method)
            else:
                await self._reply(writer, 404, b"not found\n", "text/plain", method)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, UnicodeError):
            pass
        finally:
            writer.close()

    async def _reply(self, writer: asyncio.StreamWriter, code: int, body: bytes, ctype: str, method: str) -> None:
        reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}[code]
        head = f"HTTP/1.1 {code} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        writer.write(head.encode() + (body if method == "GET" else b""))
        await writer.drain()

