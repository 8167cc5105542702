"""What each command does, independent of Telegram: validate, store, update the index.

Handlers (bot/handlers.py) only translate updates into these calls and send
the returned HTML. Every user-typed string is escaped before it is echoed.
"""

from __future__ import annotations

import asyncio
import gc
import re
import statistics
import time
from dataclasses import dataclass
from html import escape

from bot.app.config import Settings
from bot.core import breaking
from bot.core.chrome import strip_outlet_tail
from bot.core.matching import RULE_LABELS_AR, TopicIndex, explain
from bot.core.merging import DEFAULT_WINDOW_HOURS, find_story
from bot.core.models import Item
from bot.core.prefs import QUIET_HOLD, QUIET_PRESETS, ZONES, ChatPrefs, hour_range, valid_zone
from bot.core.subscriptions import DEFAULT_INFO, ChatInfo, Subscriptions
from bot.core.texts import PRESET_TOPICS, RULES, t, zone_name
from bot.storage.boundary import Database
from bot.storage.chats import ChatRow, TopicRow
from bot.telegram import buttons

MAX_TOPIC_CHARS = 64
MAX_TOPICS = 50
_SPLIT = re.compile(r"[\n،,؛;]+")
RULE_LABELS_EN = {
    "exact": "exact", "clitic": "attached prefix", "nisba": "nisba adjective", "feminine": "feminine",
    "plural": "plural", "broken_plural": "broken plural", "pronoun": "attached pronoun", "quoted": "exact word",
    "alias": "alias", "concept": "part of the topic",
}


Button = tuple[str, str]  # (label, callback data)


@dataclass(frozen=True, slots=True)
class Reply:
    html: str
    buttons: tuple[Button, ...] = ()  # one per row
    rows: tuple[tuple[Button, ...], ...] = ()  # several per row (used instead of `buttons` when set)
    edit: bool = False  # a button's answer: edit the pressed message in place instead of sending a new one
    toast: str = ""  # with `edit`: the short text the press is answered with

    def keyboard(self) -> tuple[tuple[Button, ...], ...]:
        return self.rows or tuple((b,) for b in self.buttons)


class ChatService:
    """Every store call goes through the async boundary; the index changes only here, on the loop."""

    def __init__(self, db: Database, subs: Subscriptions, settings: Settings) -> None:
        self.db, self.store, self.subs, self.settings = db, db.store, subs, settings

    # --- subscription ----------------------------------------------------
    async def start(self, chat_id: int, kind: str, lang: str, thread_id: int | None) -> Reply:
        existing = await self.db.run(self.store.chat, chat_id)
        if existing and existing.prefs.lang_locked:
            lang = existing.lang  # chosen in /settings: a new /start does not undo it
        await self.db.run(self.store.upsert_chat, chat_id, kind, lang, thread_id)
        await self._load(chat_id)
        topics = await self.db.run(self.store.topics, chat_id, "topic")
        if existing and existing.active and topics:
            names = "، ".join(escape(x.text) for x in topics)
            return Reply(t("welcome_back", lang, topics=names))
        return Reply(t("welcome", lang), tuple((p, buttons.data("preset", i)) for i, p in enumerate(PRESET_TOPICS)))

    async def stop(self, chat_id: int, lang: str) -> Reply:
        await self.db.run(self.store.delete_chat, chat_id)
        self.subs.drop_chat(chat_id)
        return Reply(t("stopped", lang))

    async def migrate(self, old: int, new: int) -> None:
        """A group became a supergroup: same subscription under the new id."""
        await self.db.run(self.store.migrate_chat, old, new)
        self.subs.rename_chat(old, new)

    async def is_subscribed(self, chat_id: int) -> bool:
        chat = await self.db.run(self.store.chat, chat_id)
        return bool(chat and chat.active)

    async def set_lang(self, chat_id: int, lang: str) -> None:
        """A private chat follows its user's app language, unless a language was chosen in /settings."""
        chat = await self.db.run(self.store.chat, chat_id)
        if chat and chat.lang != lang and not chat.prefs.lang_locked:
            await self.db.run(self.store.set_chat, chat_id, lang=lang)
            await self._load(chat_id)

    async def reply_lang(self, chat_id: int, client_lang: str) -> str:
        """The language to answer in: the one chosen in /settings, else the user's app language."""
        chat = await self.db.run(self.store.chat, chat_id)
        return chat.lang if chat and chat.prefs.lang_locked else client_lang

    # --- /settings -------------------------------------------------------------
    async def settings_command(self, chat_id: int, arg: str, lang: str) -> Reply:
        """/settings opens the screen; /settings tz Europe/London sets a typed time zone."""
        words = arg.split()
        if not words:
            return await self.settings_view(chat_id, lang)
        if words[0].lower() in ("tz", "timezone", "zone") and len(words) == 2:
            zone = valid_zone(words[1])
            if zone is None:
                return Reply(t("settings.tz_unknown", lang, zone=escape(words[1][:64])))
            await self.db.run(self.store.set_chat, chat_id, timezone=zone)
            await self._load(chat_id)
            view = await self.settings_view(chat_id, lang)
            return Reply(t("settings.tz_set", lang, zone=escape(zone_name(zone, lang))) + "\n\n" + view.html, rows=view.rows)
        return Reply(t("settings.usage", lang))

    async def settings_view(self, chat_id: int, lang: str, screen: str = "main") -> Reply:
        chat = await self.db.run(self.store.chat, chat_id)
        if chat is None or not chat.active:
            return Reply(t("not_subscribed", lang))
        p = chat.prefs
        lang = p.lang if p.lang_locked else lang
        zone = zone_name(p.timezone or self.settings.timezone, lang)
        quiet = _quiet_label(p, lang)
        ch = buttons.setting
        if screen == "quiet":
            current = f"{p.quiet_start}-{p.quiet_end}" if p.quiet else "off"
            hours = [(_mark(f"{a}-{b}" == current) + hour_range(a, b), ch("qh", f"{a}-{b}")) for a, b in QUIET_PRESETS]
            hours.append((_mark(current == "off") + t("btn.quiet_off", lang), ch("qh", "off")))
            rows: tuple[tuple[Button, ...], ...] = (
                tuple(hours[:2]), tuple(hours[2:]),
                ((_mark(p.quiet_mode != QUIET_HOLD) + t("btn.quiet_silent", lang), ch("qm", "silent")),
                 (_mark(p.quiet_mode == QUIET_HOLD) + t("btn.quiet_hold", lang), ch("qm", "hold"))),
                ((t("btn.ring", lang, n=len(p.ring)), ch("menu", "ring")),),
                ((t("btn.back", lang), ch("menu", "main")),),
            )
            return Reply(t("settings.quiet_menu", lang, zone=escape(zone), quiet=quiet), rows=rows)
        if screen == "ring":
            topics = await self.db.run(self.store.topics, chat_id, "topic")
            keys = tuple(
                ((("🔔 " if r.text in p.ring else "🔕 ") + r.text)[:60], ch("roff" if r.text in p.ring else "ron", str(r.id))) for r in topics
            )
            rows = (*((k,) for k in keys), ((t("btn.back", lang), ch("menu", "quiet")),))
            return Reply(t("settings.ring_menu" if topics else "settings.ring_none", lang), rows=rows)
        if screen == "tz":
            current = p.timezone or self.settings.timezone
            zones = [(_mark(z == current) + zone_name(z, lang), ch("tz", str(i))) for i, z in enumerate(ZONES)]
            rows = (*(tuple(zones[i:i + 3]) for i in range(0, len(zones), 3)), ((t("btn.back", lang), ch("menu", "main")),))
            return Reply(t("settings.tz_menu", lang, zone=escape(zone)), rows=rows)
        html = t(
            "settings", lang, quiet=quiet, zone=escape(zone),
            sound=t("settings.sound_off" if p.silent else "settings.sound_on", lang),
            previews=t("settings.previews_on" if p.previews else "settings.previews_off", lang),
            length=t("settings.lead" if p.lead else "settings.head", lang),
            lang=t(f"settings.lang_{lang}", lang) if p.lang_locked else t("settings.lang_client", lang, lang=t(f"settings.lang_{lang}", lang)),
        )
        rows = (
            ((t("btn.quiet", lang), ch("menu", "quiet")), (t("btn.zone", lang), ch("menu", "tz"))),
            ((t("btn.sound_on", lang), ch("snd", "on")) if p.silent else (t("btn.sound_off", lang), ch("snd", "off")),),
            ((t("btn.previews_off", lang), ch("pv", "off")) if p.previews else (t("btn.previews_on", lang), ch("pv", "on")),),
            ((t("btn.head", lang), ch("len", "head")) if p.lead else (t("btn.lead", lang), ch("len", "lead")),),
            ((t("btn.lang_ar", lang), ch("lang", "ar")) if lang == "en" else (t("btn.lang_en", lang), ch("lang", "en")),),
        )
        return Reply(html, rows=rows)

    async def press_setting(self, chat_id: int, name: str, choice: str, lang: str) -> Reply:
        """A /settings button: store the choice (absolute, so a stale message still works), then redraw."""
        chat = await self.db.run(self.store.chat, chat_id)
        if chat is None or not chat.active:
            return Reply(t("not_subscribed", lang))
        values: dict[str, object] = {}
        screen = "main"
        if name == "menu":
            screen = choice
        elif name == "qh":
            start, end = (None, None) if choice == "off" else (int(x) for x in choice.split("-"))
            values, screen = {"quiet_start": start, "quiet_end": end}, "quiet"
        elif name == "qm":
            values, screen = {"quiet_mode": choice}, "quiet"
        elif name == "tz":
            values = {"timezone": ZONES[int(choice)]}
        elif name == "snd":
            values = {"silent": choice == "off"}
        elif name == "pv":
            values = {"previews": choice == "on"}
        elif name == "len":
            values = {"lead": choice == "lead"}
        elif name in ("ron", "roff"):
            topics = await self.db.run(self.store.topics, chat_id, "topic")
            row = next((r for r in topics if r.id == int(choice)), None)
            ring = set(chat.prefs.ring) & {r.text for r in topics}  # topics removed since no longer ring
            if row is not None:
                (ring.add if name == "ron" else ring.discard)(row.text)
            values, screen = {"ring_topics": "\n".join(sorted(ring))}, "ring"
        elif name == "lang":
            values = {"lang": choice, "lang_locked": True}
            lang = choice
        if values:
            await self.db.run(self.store.set_chat, chat_id, **values)
            await self._load(chat_id)
        view = await self.settings_view(chat_id, lang, screen)
        return Reply(view.html, rows=view.rows, edit=True, toast=t("settings.saved", lang) if values else "")

    # --- topics --------------------------------------------------------------
    async def add(self, chat_id: int, raw: str, lang: str, kind: str = "topic") -> Reply:
        parts = [p.strip() for p in _SPLIT.split(raw)] if raw.strip() else [""]
        added, errors = [], []
        for part in parts:
            if not part and len(parts) > 1:
                continue  # "a،،b" — an empty piece between separators is not a mistake
            error = await self._add_one(chat_id, part, lang, kind)
            (errors.append(error) if error else added.append(escape(part)))
        lines = list(dict.fromkeys(errors)) if (errors or added) else [t("err_empty", lang)]  # each distinct error once
        if added:
            key = "excluded" if kind == "exclude" else "added"
            lines.insert(0, t(key, lang, topics="، ".join(added)))
        return Reply("\n".join(lines))

    async def _add_one(self, chat_id: int, text: str, lang: str, kind: str) -> str | None:
        """Add one topic; an error line (already escaped) when it cannot be added."""
        if not text:
            return t("err_empty", lang)
        if len(text) > MAX_TOPIC_CHARS:
            return t("err_too_long", lang, n=len(text), max=MAX_TOPIC_CHARS)
        topic = self.subs.parse(text)
        if topic is None:
            return t("err_nothing", lang, topic=escape(text))
        existing = await self.db.run(self.store.topics, chat_id, kind)
        if any(row.key == topic.key for row in existing):  # "already there" says more than "list full"
            return t("err_duplicate", lang, topic=escape(text))
        if len(existing) >= MAX_TOPICS:
            return t("err_too_many", lang, max=MAX_TOPICS)
        if not await self.db.run(self.store.add_topic, chat_id, text, topic.key, kind):
            return t("err_duplicate", lang, topic=escape(text))
        if await self._listening(chat_id):
            self.subs.add(chat_id, text, kind)
        return None

    async def remove(self, chat_id: int, text: str, lang: str) -> Reply:
        topic = self.subs.parse(text)
        wanted = {topic.key} if topic else set()
        for row in await self.db.run(self.store.topics, chat_id):
            if row.key in wanted or row.text == text.strip():
                return await self.remove_id(chat_id, row.id, lang)
        return Reply(t("not_found", lang, topic=escape(text.strip())))

    async def remove_id(self, chat_id: int, topic_id: int, lang: str) -> Reply:
        row = await self.db.run(self.store.remove_topic, chat_id, topic_id)
        if row is None:
            return Reply(t("button_expired", lang))
        self.subs.remove(chat_id, row.key, row.kind)
        return Reply(t("removed", lang, topic=escape(row.text)))

    async def clear(self, chat_id: int, lang: str) -> Reply:
        rows = await self.db.run(self.store.clear_topics, chat_id)
        for row in rows:
            self.subs.remove(chat_id, row.key, row.kind)
        return Reply(t("cleared", lang, n=len(rows)))

    async def topics_view(self, chat_id: int, lang: str) -> Reply:
        rows = await self.db.run(self.store.topics, chat_id)
        topics = [r for r in rows if r.kind == "topic"]
        excludes = [r for r in rows if r.kind == "exclude"]
        if not rows:
            return Reply(t("no_topics", lang))
        parts = [t("topics_list", lang, n=len(topics), topics="\n".join(f"• {escape(r.text)}" for r in topics))] if topics else [t("no_topics", lang)]
        if excludes:
            parts.append(t("excludes_list", lang, words="، ".join(escape(r.text) for r in excludes)))
        chat = await self.db.run(self.store.chat, chat_id)
        if chat is not None:
            p = chat.prefs
            parts.append(t("topics.settings", lang, quiet=_quiet_label(p, lang), sound=t("settings.sound_off" if p.silent else "settings.sound_on", lang)))
        keys = tuple((t("btn_remove", lang, topic=r.text if r.kind == "topic" else "🚫 " + r.text), buttons.data("remove", r.id)) for r in rows)
        return Reply("\n\n".join(parts), keys)

    # --- flags ---------------------------------------------------------------
    async def toggle_all(self, chat_id: int, lang: str) -> Reply:
        chat = await self.db.run(self.store.chat, chat_id)
        on = not (chat and chat.all_breaking)
        await self.db.run(self.store.set_chat, chat_id, all_breaking=on)
        await self._load(chat_id)
        return Reply(t("all_on" if on else "all_off", lang))

    async def pause(self, chat_id: int, lang: str, paused: bool) -> Reply:
        await self.db.run(self.store.set_chat, chat_id, paused=paused)
        await self._load(chat_id)
        return Reply(t("paused" if paused else "resumed", lang))

    # --- information -----------------------------------------------------------
    def sources(self, lang: str) -> Reply:
        feeds = self.settings.feeds
        if not feeds:
            return Reply(t("no_sources", lang))
        lines = "\n".join(f"• {escape(f.name)}" + (" (عاجل فقط)" if f.breaking == "all" and lang == "ar" else "") for f in feeds)
        return Reply(t("sources", lang, sources=lines))

    async def test(self, chat_id: int, text: str, lang: str) -> Reply:
        # The first line is read as a feed's title is (an outlet's name after it removed).
        title = strip_outlet_tail(text.splitlines()[0]) if text else ""
        item = Item("test", "test", title, "\n".join(text.splitlines()[1:]))
        verdict = breaking.detect(item)
        lines = [t("test_breaking", lang, reason=RULES[verdict.reason or ""][lang]) if verdict else t("test_not_breaking", lang)]
        rows = await self.db.run(self.store.topics, chat_id)
        index = TopicIndex(p for p in (self.subs.parse(r.text) for r in rows) if p)
        vetoed: dict[str, str] = {}
        found = index.match_item(item, vetoed, lang)
        labels = RULE_LABELS_AR if lang == "ar" else RULE_LABELS_EN
        written = {r.key: r for r in rows}
        excluded = [escape(written[k].text) for k in found if k in written and written[k].kind == "exclude"]
        matched = [f"• {escape(written[k].text)}: {escape(explain(m, labels))}" for k, m in found.items() if k in written and written[k].kind == "topic"]
        lines.append(t("test_matches", lang, matches="\n".join(matched)) if matched else t("test_no_match", lang))
        if excluded:
            lines.append(t("test_excluded", lang, words="، ".join(excluded)))
        not_meant = [f"• {escape(written[k].text)}: {escape(why)}" for k, why in vetoed.items() if k in written]
        if not_meant:
            lines.append(t("test_vetoed", lang, lines="\n".join(not_meant)))
        if verdict:
            recent = await self.db.run(self.store.recent_stories, time.time() - DEFAULT_WINDOW_HOURS * 3600)
            story = find_story(item.headline, item.lead, recent)
            if story is not None:
                first = story.copies[0]
                lines.append(t("test_story", lang, source=escape(first.source), headline=escape(first.headline)))
        return Reply("\n".join(lines))

    async def stats(self, lang: str) -> Reply:
        chats, topics = await self.db.run(self.store.chat_counts)
        delays = sorted(await self.db.run(self.store.sent_delays, time.time() - 86400))
        p50 = t("seconds", lang, n=f"{statistics.median(delays):.1f}") if delays else "—"
        p95 = t("seconds", lang, n=f"{delays[min(len(delays) - 1, int(0.95 * len(delays)))]:.1f}") if delays else "—"
        feeds = []
        by_id = {st.feed_id: st for st in await self.db.run(self.store.feed_states)}
        for f in self.settings.feeds:
            st = by_id.get(f.id)
            ok = t("utc_time", lang, when=time.strftime("%Y-%m-%d %H:%M", time.gmtime(st.last_success))) if st and st.last_success else "—"
            err = f" ⚠️ {escape(fetch_error(st.last_error or '', lang))} ×{st.error_count}" if st and st.error_count else ""
            if st and st.item_errors:
                err += " " + t("items_skipped", lang, n=st.item_errors)
            feeds.append(f"• {escape(f.name)}: {ok}{err}")
        counts = await self.db.run(self.store.outbox_counts)
        pending, failed = counts.get("pending", 0), counts.get("failed", 0)
        return Reply(t("stats", lang, chats=chats, topics=topics, pending=pending, failed=failed, p50=p50, p95=p95, feeds="\n".join(feeds) or "—"))

    # --- index sync ------------------------------------------------------------
    async def _listening(self, chat_id: int) -> bool:
        chat = await self.db.run(self.store.chat, chat_id)
        return bool(chat and chat.active and not chat.paused)

    async def _load(self, chat_id: int) -> None:
        """Make the in-memory index agree with the database for one chat."""
        self.subs.drop_chat(chat_id)
        chat = await self.db.run(self.store.chat, chat_id)
        if not chat or not chat.active or chat.paused:
            return
        self.subs.set_chat(chat_id, ChatInfo(chat.lang, chat.thread_id, chat.prefs), all_breaking=chat.all_breaking)
        for row in await self.db.run(self.store.topics, chat_id):
            self.subs.add(chat_id, row.text, row.kind)


def _mark(current: bool) -> str:
    return "✅ " if current else ""


def _quiet_label(p: ChatPrefs, lang: str) -> str:
    if not p.quiet or p.quiet_start is None or p.quiet_end is None:
        return t("settings.off", lang)
    key = "settings.quiet_hold" if p.quiet_mode == QUIET_HOLD else "settings.quiet_silent"
    return t(key, lang, hours=hour_range(p.quiet_start, p.quiet_end))


def fetch_error(error: str, lang: str) -> str:
    """A feed's last error for /stats: «HTTP 404» in the reader's language; other errors as recorded."""
    m = re.fullmatch(r"HTTP (\d{3})", error.strip())
    return t("http_error", lang, code=m.group(1)) if m else error


async def load_subscriptions(db: Database, subs: Subscriptions) -> Subscriptions:
    """Fill the in-memory index from the database at start-up (read off the loop, built on it).

    The collector is paused while the index is built (hundreds of thousands
    of objects that all live on: each collection would scan them again, 40 %
    of the start-up), then they are frozen out of its reach, so that a full
    collection later, during a fan-out, does not walk them either (a stall
    of 100-200 ms at 100,000 chats).
    """
    default_prefs = ChatPrefs()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        after: int | None = None
        while page := await db.run(db.store.subscribers_page, after):
            after = page[-1][0].id
            await asyncio.sleep(0)  # a large index is built in slices: the loop stays responsive
            _add_page(subs, page, default_prefs)
    finally:
        if was_enabled:
            gc.enable()
    gc.collect()  # the loader's temporary rows, before freezing
    gc.freeze()
    return subs


def _add_page(subs: Subscriptions, page: list[tuple[ChatRow, list[TopicRow]]], default_prefs: ChatPrefs) -> None:
    for chat, topics in page:
        if chat.prefs == default_prefs and chat.thread_id is None and chat.lang == "ar":
            subs.set_chat(chat.id, DEFAULT_INFO, all_breaking=chat.all_breaking)  # one shared object for most chats
        else:
            subs.set_chat(chat.id, ChatInfo(chat.lang, chat.thread_id, chat.prefs), all_breaking=chat.all_breaking)
        for row in topics:
            subs.add(chat.id, row.text, row.kind)
