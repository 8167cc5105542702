"""What every stage reads from an item, derived once when the item is made.

The display headline (marker removed) and the lead (the first sentences of
the prose) used to be re-derived by story keys, matching explanations and
formatting, each through display code. `Item` now computes them at
construction (see `Item.__post_init__`), and every stage reads the fields.
"""

from __future__ import annotations

import re

from bot.core.markers import has_headline, strip_marker, strip_marker_line

# The stored lead is long enough for any configured lead length up to this;
# formatting cuts it down to `alerts.lead_chars` at sentence boundaries.
LEAD_MAX = 1000
_MIN_PROSE_WORDS = 8  # shorter body lines are subheadings or captions, not a lead
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")


def display_headline(title: str, body: str) -> str:
    """The headline without its «عاجل» label; the first prose line when the title is
    missing or says nothing but the label («عاجل !!»)."""
    text = strip_marker(title) if title and has_headline(title, 1) else first_prose_line(body) or title
    return " ".join(text.split())


def first_prose_line(body: str) -> str:
    return next((p for p in strip_marker_line(body).splitlines() if p.strip()), "")


def article_lead(body: str, headline: str, limit: int = LEAD_MAX) -> str:
    """The first few sentences of the article's prose (not the headline again)."""
    paragraphs = [
        p for p in strip_marker_line(body).splitlines() if len(p.split()) >= _MIN_PROSE_WORDS and p.strip() != headline
    ]
    return cut_lead(" ".join(paragraphs[:3]), limit)


def cut_lead(text: str, limit: int) -> str:
    """Whole sentences of `text` within `limit` characters; a first sentence too long is shortened."""
    if not text:
        return ""
    out = ""
    for sentence in _SENTENCE_END.split(text):
        candidate = f"{out} {sentence}".strip()
        if len(candidate) > limit:
            return out or shorten(sentence, limit)
        out = candidate
    return out


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,،.؛:-–—") + "…"
