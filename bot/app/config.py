"""Settings and feeds from `config/`, with environment overrides.

A mistake in a config file is an operator's ordinary mistake: it becomes a
`ConfigError` naming the file (and line), which the CLI prints as one line.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.aliases import Aliases
from bot.core.models import FeedConfig, Limits

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
_FEED_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class ConfigError(Exception):
    """A config problem an operator can fix; str() is the one line to show."""


@dataclass(frozen=True)
class Settings:
    config_dir: Path
    database_url: str
    telegram_base_url: str = DEFAULT_BASE_URL
    admins: frozenset[int] = frozenset()
    timezone: str = "Asia/Riyadh"
    max_item_age_hours: float | None = 12.0
    retention_days: float = 30.0
    lead_chars: int = 400
    limits: Limits = field(default_factory=Limits)
    aliases: Aliases = field(default_factory=Aliases)
    feeds: tuple[FeedConfig, ...] = ()


def load_settings(config_dir: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read settings.toml, feeds.toml and aliases.toml from `config_dir`."""
    env = os.environ if env is None else env
    cdir = Path(config_dir) if config_dir else DEFAULT_CONFIG_DIR
    raw = read_toml(cdir / "settings.toml")
    feeds = parse_feeds(read_toml(cdir / "feeds.toml"), cdir / "feeds.toml")
    path = cdir / "settings.toml"
    storage, tg, alerts, matching = (_table(raw, k, path) for k in ("storage", "telegram", "alerts", "matching"))
    aliases_file = cdir / str(matching.get("aliases_file", "aliases.toml"))
    return Settings(
        config_dir=cdir,
        database_url=_database_url(env.get("DATABASE_URL") or storage.get("database_url") or "sqlite:///data/ajel.db", cdir),
        telegram_base_url=env.get("TELEGRAM_BASE_URL") or str(tg.get("base_url") or DEFAULT_BASE_URL),
        admins=frozenset(_int_list(tg.get("admins", []), path, "telegram.admins")),
        timezone=_timezone(str(alerts.get("timezone", "Asia/Riyadh")), path),
        max_item_age_hours=_optional_positive(alerts.get("max_item_age_hours", 12), path, "alerts.max_item_age_hours"),
        retention_days=_positive(storage.get("retention_days", 30), path, "storage.retention_days"),
        lead_chars=int(_positive(alerts.get("lead_chars", 400), path, "alerts.lead_chars")),
        limits=_limits(_table(tg, "limits", path), path),
        aliases=load_aliases(aliases_file) if aliases_file.exists() else Aliases(),
        feeds=feeds,
    )


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {_toml_error(exc, path)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _toml_error(exc: tomllib.TOMLDecodeError, path: Path) -> str:
    """'line N: invalid TOML: …' — tomllib only says "end of document" for a truncated file."""
    msg = str(exc)
    m = re.search(r"\(at line (\d+), column \d+\)", msg)
    if m:
        return f"line {m.group(1)}: invalid TOML: {msg[: m.start()].strip()}"
    if "end of document" in msg:
        lines = path.read_bytes().count(b"\n") or 1
        return f"line {lines}: invalid TOML: {msg.replace('(at end of document)', '(at end of file)')}"
    return f"invalid TOML: {msg}"


def parse_feeds(raw: Mapping[str, Any], path: Path) -> tuple[FeedConfig, ...]:
    entries = raw.get("feed", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'feed' must be an array of tables ([[feed]])")
    feeds = tuple(_feed(e, i + 1, path) for i, e in enumerate(entries))
    seen: set[str] = set()
    for feed in feeds:
        if feed.id in seen:
            raise ConfigError(f"{path}: feed id {feed.id!r} appears twice")
        seen.add(feed.id)
    return feeds


def _feed(entry: Any, n: int, path: Path) -> FeedConfig:
    where = f"{path}: feed #{n}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table")
    for key in ("id", "name", "url"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(f"{where}: missing or empty {key!r}")
    if not _FEED_ID.match(entry["id"]):
        raise ConfigError(f"{where}: id {entry['id']!r} must be lowercase letters, digits, '-' or '_'")
    mode = entry.get("breaking", "marked")
    if mode not in ("marked", "all"):
        raise ConfigError(f"{where}: 'breaking' must be \"marked\" or \"all\", not {mode!r}")
    interval = _positive(entry.get("interval", 120), path, f"feed #{n} interval")
    url = _feed_url(entry["url"].strip(), path.parent)
    return FeedConfig(entry["id"], entry["name"].strip(), url, float(interval), mode)


def _feed_url(url: str, base: Path) -> str:
    """http(s) URLs as they are; local paths relative to the project root."""
    if url.startswith(("http://", "https://", "file://")):
        return url
    p = Path(url)
    return str(p if p.is_absolute() else (base.parent / p).resolve())


def load_aliases(path: Path) -> Aliases:
    raw = read_toml(path)
    groups = raw.get("group", [])
    if not isinstance(groups, list) or not all(isinstance(g, dict) and isinstance(g.get("variants"), list) for g in groups):
        raise ConfigError(f"{path}: expected [[group]] tables, each with a 'variants' list")
    return Aliases.from_groups([str(v) for v in g["variants"]] for g in groups)


def _database_url(url: str, cdir: Path) -> str:
    """Relative SQLite paths are anchored at the project, not the caller's cwd."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str((cdir.parent / url[len(prefix):]).resolve())
    return url


def _table(raw: Mapping[str, Any], key: str, path: Path) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{key}] must be a table")
    return value


def _positive(value: Any, path: Path, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"{path}: {name} must be a positive number, not {value!r}")
    return float(value)


def _optional_positive(value: Any, path: Path, name: str) -> float | None:
    return None if value in (0, False, None) else _positive(value, path, name)


def _int_list(value: Any, path: Path, name: str) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ConfigError(f"{path}: {name} must be a list of Telegram user ids (integers)")
    return value


def _timezone(name: str, path: Path) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{path}: unknown time zone {name!r} (use an IANA name such as \"Asia/Riyadh\")") from None
    return name


def _limits(raw: Mapping[str, Any], path: Path) -> Limits:
    d = Limits()
    return Limits(
        global_per_second=_positive(raw.get("global_per_second", d.global_per_second), path, "telegram.limits.global_per_second"),
        per_chat_per_second=_positive(raw.get("per_chat_per_second", d.per_chat_per_second), path, "telegram.limits.per_chat_per_second"),
        group_per_minute=_positive(raw.get("group_per_minute", d.group_per_minute), path, "telegram.limits.group_per_minute"),
    )
