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
from bot.core.markers import DEFAULT_BREAKING_PATHS
from bot.core.models import FeedConfig, Limits
from bot.core.morphology import topic_core
from bot.core.normalize import words
from bot.core.senses import SenseRule, Senses
from bot.feeds.channels import DEFAULT_BASE_URL as DEFAULT_CHANNELS_BASE_URL
from bot.feeds.channels import channel_name, channel_page_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
_FEED_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class ConfigError(Exception):
    """A config problem an operator can fix; str() is the one line to show."""


@dataclass(frozen=True)
class WebhookSettings:
    """Where the bot serves Telegram's webhook and the public URL registered with setWebhook."""

    url: str
    listen: str = "127.0.0.1:8443"
    path: str = "telegram"
    secret: str | None = None


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
    # [metrics]: None = no HTTP endpoint (the default); "127.0.0.1:9464" serves /metrics and /healthz.
    metrics_listen: str | None = None
    # [telegram.webhook]: None = long polling (the default).
    webhook: WebhookSettings | None = None
    health_max_pending_age: float = 300.0
    # feeds.toml [telegram_channels] base_url: where channel previews are read (`check tg:NAME` too).
    channels_base_url: str = DEFAULT_CHANNELS_BASE_URL


def load_settings(config_dir: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read settings.toml, feeds.toml and aliases.toml from `config_dir`."""
    env = os.environ if env is None else env
    cdir = Path(config_dir) if config_dir else DEFAULT_CONFIG_DIR
    raw = read_toml(cdir / "settings.toml")
    feeds_raw = read_toml(cdir / "feeds.toml")
    feeds = parse_feeds(feeds_raw, cdir / "feeds.toml")
    path = cdir / "settings.toml"
    storage, tg, alerts, matching, metrics = (_table(raw, k, path) for k in ("storage", "telegram", "alerts", "matching", "metrics"))
    aliases_file = cdir / str(matching.get("aliases_file", "aliases.toml"))
    return Settings(
        config_dir=cdir,
        database_url=_database_url(env.get("DATABASE_URL") or storage.get("database_url") or "sqlite:///../data/ajel.db", cdir),
        telegram_base_url=env.get("TELEGRAM_BASE_URL") or str(tg.get("base_url") or DEFAULT_BASE_URL),
        admins=frozenset(_int_list(tg.get("admins", []), path, "telegram.admins")),
        timezone=_timezone(str(alerts.get("timezone", "Asia/Riyadh")), path),
        max_item_age_hours=_optional_positive(alerts.get("max_item_age_hours", 12), path, "alerts.max_item_age_hours"),
        retention_days=_positive(storage.get("retention_days", 30), path, "storage.retention_days"),
        lead_chars=int(_positive(alerts.get("lead_chars", 400), path, "alerts.lead_chars")),
        limits=_limits(_table(tg, "limits", path), path),
        aliases=load_lexicon(cdir, aliases_file),
        feeds=feeds,
        metrics_listen=_listen(metrics.get("listen"), path),
        webhook=_webhook(_table(tg, "webhook", path), env, path),
        health_max_pending_age=_positive(metrics.get("max_pending_age", 300), path, "metrics.max_pending_age"),
        channels_base_url=_channels_base_url(feeds_raw, cdir / "feeds.toml"),
    )


def _webhook(raw: Mapping[str, Any], env: Mapping[str, str], path: Path) -> WebhookSettings | None:
    """[telegram.webhook] url (public https URL), listen, path; the secret from AJEL_WEBHOOK_SECRET or the file."""
    if not raw:
        return None
    url = raw.get("url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise ConfigError(f"{path}: telegram.webhook.url must be the public URL Telegram posts to (https://…)")
    listen = str(raw.get("listen", "127.0.0.1:8443"))
    from bot.app.metrics import parse_listen

    try:
        parse_listen(listen)
    except ValueError as exc:
        raise ConfigError(f"{path}: telegram.webhook.listen: {exc}") from None
    secret = env.get("AJEL_WEBHOOK_SECRET") or raw.get("secret")
    if secret is not None and (not isinstance(secret, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret)):
        raise ConfigError(f"{path}: telegram.webhook.secret: 1-256 characters A-Z, a-z, 0-9, _ and -")
    return WebhookSettings(url=url, listen=listen, path=str(raw.get("path", "telegram")).strip("/"), secret=secret)


def _listen(value: Any, path: Path) -> str | None:
    if value is None or value == "":
        return None
    from bot.app.metrics import parse_listen

    try:
        parse_listen(str(value))
    except ValueError as exc:
        raise ConfigError(f"{path}: metrics.listen: {exc}") from None
    return str(value)


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


# Public Telegram channels (kind = "telegram") may be polled this often; feeds keep theirs.
MIN_CHANNEL_INTERVAL = 10.0
DEFAULT_CHANNEL_INTERVAL = 30.0


def parse_feeds(raw: Mapping[str, Any], path: Path) -> tuple[FeedConfig, ...]:
    entries = raw.get("feed", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'feed' must be an array of tables ([[feed]])")
    base_url = _channels_base_url(raw, path)
    feeds = tuple(_feed(e, i + 1, path, base_url) for i, e in enumerate(entries))
    seen: set[str] = set()
    for feed in feeds:
        if feed.id in seen:
            raise ConfigError(f"{path}: feed id {feed.id!r} appears twice")
        seen.add(feed.id)
    return feeds


def _channels_base_url(raw: Mapping[str, Any], path: Path) -> str:
    """feeds.toml [telegram_channels] base_url (default https://t.me): tests point it at a local server."""
    base_url = _table(raw, "telegram_channels", path).get("base_url", DEFAULT_CHANNELS_BASE_URL)
    if not isinstance(base_url, str) or not base_url.startswith(("https://", "http://")):
        raise ConfigError(f"{path}: telegram_channels.base_url must be an http(s) URL such as \"https://t.me\"")
    return base_url


def _feed(entry: Any, n: int, path: Path, channels_base_url: str = DEFAULT_CHANNELS_BASE_URL) -> FeedConfig:
    where = f"{path}: feed #{n}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table")
    kind = entry.get("kind", "feed")
    if kind not in ("feed", "rss", "telegram"):
        raise ConfigError(f"{where}: 'kind' must be \"feed\" (RSS/Atom) or \"telegram\" (a public channel), not {kind!r}")
    if kind == "telegram":
        return _channel(entry, where, path, channels_base_url)
    for key in ("id", "name", "url"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(f"{where}: missing or empty {key!r}")
    if not _FEED_ID.match(entry["id"]):
        raise ConfigError(f"{where}: id {entry['id']!r} must be lowercase letters, digits, '-' or '_'")
    mode = entry.get("breaking", "marked")
    if mode not in ("marked", "all"):
        raise ConfigError(f"{where}: 'breaking' must be \"marked\" or \"all\", not {mode!r}")
    interval = _positive(entry.get("interval", 120), path, f"feed #{n} interval")
    url = _feed_url(entry["url"].strip(), path.parent)  # relative to the folder of feeds.toml
    sections = entry.get("breaking_paths", list(DEFAULT_BREAKING_PATHS))
    if not isinstance(sections, list) or not all(isinstance(x, str) and x.strip() for x in sections):
        raise ConfigError(f"{where}: 'breaking_paths' must be a list of URL path sections, e.g. [\"breaking\"]")
    return FeedConfig(entry["id"], entry["name"].strip(), url, float(interval), mode, tuple(x.strip("/ ") for x in sections))


def _channel(entry: dict[str, Any], where: str, path: Path, base_url: str) -> FeedConfig:
    """A public Telegram channel: `channel = "name"`; `url` optionally overrides its t.me/s/ page."""
    for key in ("id", "name"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(f"{where}: missing or empty {key!r}")
    if not _FEED_ID.match(entry["id"]):
        raise ConfigError(f"{where}: id {entry['id']!r} must be lowercase letters, digits, '-' or '_'")
    raw_channel = entry.get("channel")
    channel = channel_name(f"tg:{raw_channel.strip().removeprefix('@')}") if isinstance(raw_channel, str) else None
    if channel is None:
        raise ConfigError(f"{where}: kind = \"telegram\" needs 'channel', the channel's public name (5-32 letters, digits or _), not {raw_channel!r}")
    mode = entry.get("breaking", "marked")
    if mode not in ("marked", "all"):
        raise ConfigError(f"{where}: 'breaking' must be \"marked\" or \"all\", not {mode!r}")
    interval = _positive(entry.get("interval", DEFAULT_CHANNEL_INTERVAL), path, f"{where.split(': ', 1)[1]} interval")
    if interval < MIN_CHANNEL_INTERVAL:
        raise ConfigError(f"{where}: interval {interval:g} s is too short for a channel (at least {MIN_CHANNEL_INTERVAL:g} s)")
    url = entry.get("url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise ConfigError(f"{where}: 'url' must be the channel's preview page (https://t.me/s/{channel}) or a local file")
    page = _feed_url(url.strip(), path.parent) if isinstance(url, str) else channel_page_url(channel, base_url)
    return FeedConfig(entry["id"], entry["name"].strip(), page, float(interval), mode, (), kind="telegram", channel=channel)


def _feed_url(url: str, base: Path) -> str:
    """http(s) URLs as they are; local paths relative to `base`, the config file's folder."""
    if url.startswith(("http://", "https://", "file://")):
        return url
    p = Path(url)
    return str(p if p.is_absolute() else (base / p).resolve())


def load_aliases(path: Path) -> Aliases:
    raw = read_toml(path)
    groups = raw.get("group", [])
    if not isinstance(groups, list) or not all(isinstance(g, dict) and isinstance(g.get("variants"), list) for g in groups):
        raise ConfigError(f"{path}: expected [[group]] tables, each with a 'variants' list")
    return Aliases.from_groups([str(v) for v in g["variants"]] for g in groups)


def load_lexicon(cdir: Path, aliases_file: Path | None = None) -> Aliases:
    """Aliases, concept expansions (concepts.toml) and sense rules (senses.toml).

    A file missing from the operator's config folder is taken from the shipped
    one: a folder with only settings.toml and feeds.toml still matches «مالي»
    as a reader would, instead of silently losing every rule.
    """
    aliases_file = _lexicon_file(cdir, aliases_file or cdir / "aliases.toml")
    aliases = load_aliases(aliases_file) if aliases_file.exists() else Aliases()
    concepts_file, senses_file = _lexicon_file(cdir, cdir / "concepts.toml"), _lexicon_file(cdir, cdir / "senses.toml")
    concepts = _concepts(concepts_file) if concepts_file.exists() else {}
    senses = load_senses(senses_file) if senses_file.exists() else Senses()
    return aliases.with_lexicon(concepts, senses)


def _lexicon_file(cdir: Path, path: Path) -> Path:
    """`path`, or the shipped file of the same name when the config folder has none."""
    if path.exists() or path.parent != cdir:
        return path
    return DEFAULT_CONFIG_DIR / path.name


def _concepts(path: Path) -> dict[str, list[str]]:
    entries = read_toml(path).get("concept", [])
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("phrases"), list) for e in entries
    ):
        raise ConfigError(f"{path}: expected [[concept]] tables, each with a 'name' and a 'phrases' list")
    return {e["name"]: [str(p) for p in e["phrases"]] for e in entries}


_SENSE_FLAGS = ("no_article", "needs_article", "no_inflection", "clause_start", "number_after", "family_name", "adjective_after_noun")
_SENSE_LISTS = ("bad_prefixes", "not_before", "not_after", "context_before", "allow_after", "own_given")
_SENSE_RAW_LISTS = ("not_forms", "not_before_endings")  # morphology rule names and word endings, kept as written
_SENSE_SECTIONS = ("places", "institutions", "titles", "nisba_not_after", "nisba_not_with")


def load_senses(path: Path) -> Senses:
    raw = read_toml(path)
    rules = []
    seen: dict[str, int] = {}
    for n, e in enumerate(raw.get("sense", []), 1):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) and e[k].strip() for k in ("word", "reason_ar", "reason_en")):
            raise ConfigError(f"{path}: sense #{n} needs 'word', 'reason_ar' and 'reason_en'")
        # A phrase rule («الاتحاد الأوروبي») is keyed by its words' core forms, a word rule by its own.
        core = " ".join(topic_core(w) for w in words(e["word"]))
        if core in seen:  # a second entry would silently replace the first
            raise ConfigError(f"{path}: sense #{n} («{e['word']}») repeats sense #{seen[core]}; merge the two")
        seen[core] = n
        lists = {k: tuple(" ".join(words(str(v))) for v in e.get(k, [])) for k in _SENSE_LISTS}
        raw_lists = {k: tuple(str(v) for v in e.get(k, [])) for k in _SENSE_RAW_LISTS}
        context = tuple(tuple(words(str(v))) for v in e.get("context", []))
        not_with = tuple(tuple(words(str(v))) for v in e.get("not_with", []))
        flags = {k: bool(e.get(k, False)) for k in _SENSE_FLAGS}
        rules.append(SenseRule(
            core, e["reason_ar"], e["reason_en"], no_article=flags["no_article"], needs_article=flags["needs_article"],
            no_inflection=flags["no_inflection"], bad_prefixes=lists["bad_prefixes"], context=context,
            context_before=lists["context_before"], clause_start=flags["clause_start"], window=int(e.get("window", 4)),
            not_before=lists["not_before"], not_after=lists["not_after"], not_with=not_with,
            not_forms=raw_lists["not_forms"], allow_after=lists["allow_after"], number_after=flags["number_after"],
            not_before_endings=tuple(" ".join(words(v)) for v in raw_lists["not_before_endings"]),
            family_name=flags["family_name"], own_given=lists["own_given"], adjective_after_noun=flags["adjective_after_noun"],
        ))
    persons = raw.get("persons", {}).get("names", [])
    given = raw.get("given_names", {}).get("names", [])
    sections = {k: [str(v) for v in raw.get(k, {}).get("words", [])] for k in _SENSE_SECTIONS}
    return Senses.build(rules, [str(p) for p in persons], [str(g) for g in given], **sections)


def _database_url(url: str, cdir: Path) -> str:
    """Relative SQLite paths are anchored at the config folder (where settings.toml is), not the caller's cwd."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str((cdir / url[len(prefix):]).resolve())
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


PAID_BROADCAST_PER_SECOND = 1000.0


def _limits(raw: Mapping[str, Any], path: Path) -> Limits:
    d = Limits()
    paid = raw.get("paid_broadcast", False)
    if not isinstance(paid, bool):
        raise ConfigError(f"{path}: telegram.limits.paid_broadcast must be true or false")
    default_global = PAID_BROADCAST_PER_SECOND if paid else d.global_per_second
    global_rate = _positive(raw.get("global_per_second", default_global), path, "telegram.limits.global_per_second")
    if paid and global_rate > PAID_BROADCAST_PER_SECOND:
        raise ConfigError(f"{path}: telegram.limits.global_per_second: at most {PAID_BROADCAST_PER_SECOND:.0f} with paid_broadcast")
    safety = _positive(raw.get("safety", d.safety), path, "telegram.limits.safety")
    if not 0.5 <= safety <= 1.0:
        raise ConfigError(f"{path}: telegram.limits.safety must be between 0.5 and 1 (the share of each limit paced at), not {safety!r}")
    return Limits(
        safety=safety,
        paid_broadcast=paid,
        global_per_second=global_rate,
        per_chat_per_second=_positive(raw.get("per_chat_per_second", d.per_chat_per_second), path, "telegram.limits.per_chat_per_second"),
        group_per_minute=_positive(raw.get("group_per_minute", d.group_per_minute), path, "telegram.limits.group_per_minute"),
    )
