"""The «عاجل» marker as newsrooms write it: finding it and removing it from text.

Pure text functions (no `Item`), so that both breaking detection and the
item's display headline can use them without an import cycle.
"""

from __future__ import annotations

import re

from bot.core.normalize import _DROP_CLASS, normalize

BREAKING_CATEGORIES = frozenset(
    normalize(c)
    for c in ("عاجل", "أخبار عاجلة", "العاجل", "خبر عاجل", "عاجل الآن", "Breaking", "Breaking News", "Urgent")
)

_MARKER = r"(?:خبر\s+)?(?:عاجل|العاجل)"
_NOT_WORD = r"(?![^\W_])"
TITLE_PREFIX = re.compile(rf"^[\W_]*{_MARKER}{_NOT_WORD}")
TITLE_PREFIX_EN = re.compile(r"^[\W_]*(?:breaking|urgent)(?:\s+news)?\s*(?:[:|\-–—]|\.\.)")
TITLE_SUFFIX = re.compile(rf"[|\-–—(\[]\s*{_MARKER}\s*[)\]]?[\W_]*$")
HASHTAG = re.compile(rf"#{_MARKER}{_NOT_WORD}")
_MARKER_ALONE = re.compile(rf"^[\W_]*(?:{_MARKER}|breaking(?:\s+news)?|urgent){_NOT_WORD}[\W_]*$")


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def is_marker_line(line: str) -> bool:
    """True when a line says nothing but «عاجل» (or "Breaking")."""
    return bool(_MARKER_ALONE.match(normalize(line).strip()))


# --- removing the marker from display text -------------------------------
# Display text is the original (not normalized) text, so the patterns must
# tolerate the same noise normalization removes.

def _tolerant(word: str) -> str:
    variants = {"ا": "[اأإآٱ]", "ه": "[هة]", "ي": "[يى]"}
    marks = f"[{_DROP_CLASS}]*"
    return "".join(variants.get(ch, re.escape(ch)) + marks for ch in word)


_O_MARKER = rf"(?:{_tolerant('خبر')}\s+)?(?:{_tolerant('ال')})?{_tolerant('عاجل')}"
_O_PREFIX = re.compile(
    rf"^[\W_]*{_O_MARKER}{_NOT_WORD}[\s\]\)»]*(?:[:|\-–—.…]+\s*)?"
    rf"|^[\W_]*(?i:breaking(?:\s+news)?|urgent)\s*(?:[:|\-–—]|\.\.)+\s*"
)
_O_SUFFIX = re.compile(rf"\s*[|\-–—(\[]\s*{_O_MARKER}\s*[)\]]?[\W_]*$")
_O_HASHTAG = re.compile(rf"\s*#{_O_MARKER}{_NOT_WORD}")


def strip_marker(title: str) -> str:
    """The headline without its «عاجل» label, for display."""
    out = _O_PREFIX.sub("", title, count=1)
    out = _O_SUFFIX.sub("", out, count=1)
    out = _O_HASHTAG.sub("", out)
    return out.strip() or title.strip()


def strip_marker_line(body: str) -> str:
    """The body without a leading line that only says «عاجل»."""
    lines = body.splitlines()
    while lines and (not lines[0].strip() or is_marker_line(lines[0])):
        lines.pop(0)
    return "\n".join(lines)
