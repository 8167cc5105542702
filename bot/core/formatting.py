"""Alert formatting: item + matched topics → Telegram HTML. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.core.derive import cut_lead, shorten
from bot.core.models import Alert, Item
from bot.core.normalize import strip_marks
from bot.core.telegram_limits import fits
from bot.core.textclean import strip_controls
from bot.core.texts import MONTHS, t
from bot.core.topics import unquote

LEAD_CHARS = 400
HEADLINE_CHARS = 300
MAX_HASHTAGS = 8
MAX_ALSO = 8  # outlets named in «أيضًا»; more would crowd out the story
_HASHTAG_JUNK = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class AlertStyle:
    timezone: str = "Asia/Riyadh"
    lang: str = "ar"
    lead_chars: int = LEAD_CHARS


def format_alert(
    item: Item, source: str, topics: tuple[str, ...], style: AlertStyle = AlertStyle(), also: tuple[str, ...] = ()
) -> Alert:
    """Render one alert; shortens the lead, then the headline, until Telegram accepts it.

    `also`: other outlets that reported the same story (see bot.core.merging)."""
    lead_chars, headline_chars = style.lead_chars, HEADLINE_CHARS
    while True:
        markup = _render(item, source, topics, style, lead_chars, headline_chars, also)
        if fits(markup) or (lead_chars == 0 and headline_chars <= 40):
            return Alert(item.uid, markup, topics)
        if lead_chars:
            lead_chars = lead_chars // 2 if lead_chars > 50 else 0
        else:
            headline_chars //= 2


def _render(
    item: Item, source: str, topics: tuple[str, ...], style: AlertStyle, lead_n: int, head_n: int, also: tuple[str, ...]
) -> str:
    lang = style.lang
    parts = [t("alert.header", lang, source=escape(shorten(strip_controls(source), 100)))]
    parts.append(f"<b>{escape(headline(item, head_n))}</b>")
    lead_text = lead(item, lead_n) if lead_n else ""
    if lead_text:
        parts.append(escape(lead_text))
    if also:
        names = t("alert.also_sep", lang).join(escape(shorten(strip_controls(s), 60)) for s in also[:MAX_ALSO])
        parts.append(t("alert.also", lang, sources=names))
    footer = [line for line in (hashtags(topics, lang), published_line(item.published, style)) if line]
    if item.link and linkable(item.link):
        footer.append(f'🔗 <a href="{escape(item.link, quote=True)}">{t("alert.read_more", lang)}</a>')
    if footer:
        parts.append("\n".join(footer))
    return "\n\n".join(parts)


def linkable(url: str) -> bool:
    """An http(s) address made only of printing characters: no spaces, no bidi or other invisible controls.

    A target that is not is never linked: "…\\u202eexe.txt" would show one address and open another.
    """
    return url.startswith(("http://", "https://")) and url.isprintable() and not any(c.isspace() for c in url)


def headline(item: Item, limit: int = HEADLINE_CHARS) -> str:
    # Items from feeds are cleaned at the boundary; this also covers items made elsewhere.
    return shorten(strip_controls(item.headline), limit)


def lead(item: Item, limit: int = LEAD_CHARS) -> str:
    """The first few sentences of the article's prose, cut at a word boundary."""
    return cut_lead(strip_controls(item.lead), limit)


def hashtags(topics: tuple[str, ...], lang: str = "ar") -> str:
    tags = [tag for tag in (hashtag(x) for x in topics) if tag]
    tags = list(dict.fromkeys(tags))
    line = " ".join(escape(x) for x in tags[:MAX_HASHTAGS])
    if len(tags) > MAX_HASHTAGS:
        line += " " + t("alert.more_topics", lang, n=len(tags) - MAX_HASHTAGS)
    return line


def hashtag(topic: str) -> str:
    """«الملف النووي» → #الملف_النووي (Telegram links letters, digits and _)."""
    body = _HASHTAG_JUNK.sub("_", strip_marks(unquote(topic)[0])).strip("_")
    return f"#{shorten(body, 60).rstrip('…')}" if body else ""


def published_line(when: datetime | None, style: AlertStyle) -> str:
    if when is None:
        return ""
    local = when.astimezone(ZoneInfo(style.timezone))
    offset = local.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    tz = f"GMT{hours:+d}" if hours else "GMT"
    months = MONTHS.get(style.lang, MONTHS["ar"])
    return t(
        "alert.time", style.lang,
        day=local.day, month=months[local.month - 1], year=local.year, hm=local.strftime("%H:%M"), tz=tz,
    )

