"""The «عاجل» marker as newsrooms write it: finding it and removing it from text.

Pure text functions (no `Item`), so that both breaking detection and the
item's display headline can use them without an import cycle.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from bot.core.normalize import _DROP_CLASS, normalize

BREAKING_CATEGORIES = frozenset(
    normalize(c)
    for c in ("عاجل", "أخبار عاجلة", "العاجل", "خبر عاجل", "عاجل الآن", "Breaking", "Breaking News", "Urgent")
)

# «عاجل», «خبر عاجل», and the emphatic «عاجل جدا» / «عاجل عاجل» of social posts.
_MARKER = r"(?:خبر\s+)?(?:عاجل|العاجل)(?:\s+(?:جدا|عاجل)(?![^\W_]))*"
_NOT_WORD = r"(?![^\W_])"
# A broadcaster's branded label: «#العربية_عاجل», «#الشرق_عاجل», «#الحدث_عاجل». The brand
# is definite, which keeps out hashtags of running text such as «#اجتماع_عاجل».
_BRAND_TAG = r"#ال[^\W\d_]+_عاجل(?![^\W_])"
_URLS = re.compile(r"https?://\S+")
TITLE_PREFIX = re.compile(rf"^[\W_]*{_MARKER}{_NOT_WORD}")
TITLE_PREFIX_EN = re.compile(r"^[\W_]*(?:breaking|urgent)(?:\s+news)?\s*(?:[:|\-–—]|\.\.)")
# What joins a label to the headline: a bar, a dash, a bracket, a colon, a
# slash, or the «..»/«…» newsrooms type after a headline («… .. عاجل»).
_JOIN = r"(?:[|\-–—(\[/:،]|\.{2,}|…)"
TITLE_SUFFIX = re.compile(rf"{_JOIN}\s*{_MARKER}\s*[)\]]?[\W_]*$")
# The first line of a body: «الجنوب اليمني | عاجل», «بيروت - عاجل» (a dateline, then the label)…
BODY_DATELINE = re.compile(rf"^[^|\-–—:/\n]{{1,40}}?\s*{_JOIN}\s*{_MARKER}{_NOT_WORD}[\W_]*$")
# …or the label opening the line, then the text («عاجل | …», «عاجل: …»).
BODY_PREFIX = re.compile(rf"^[\W_]*{_MARKER}{_NOT_WORD}\s*{_JOIN}")
_ANY_MARKER = re.compile(rf"{_MARKER}{_NOT_WORD}|\b(?:breaking|urgent)(?:\s+news)?\b")
_WORD = re.compile(r"[^\W\d_]{2,}")
# Sections of a site's URL that hold breaking news only.
DEFAULT_BREAKING_PATHS = ("breaking", "breaking-news", "breakingnews", "urgent", "عاجل", "اخبار-عاجلة", "akhbar-3ajel")
HASHTAG = re.compile(rf"#{_MARKER}{_NOT_WORD}|{_BRAND_TAG}")
_MARKER_ALONE = re.compile(rf"^[\W_]*(?:{_MARKER}|{_BRAND_TAG}|breaking(?:\s+news)?|urgent){_NOT_WORD}[\W_]*$")


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def has_headline(text: str, min_words: int = 2) -> bool:
    """True when `text` says something besides the label: «عاجل !!» and «خبر عاجل» do not.

    A speaker with a colon counts as one more word: «عاجل | ترامب:» opens a
    statement (the post goes on below it), while «عاجل.. ومستعجل» is a column's title.
    """
    rest = _ANY_MARKER.sub(" ", normalize(text))
    n = len(_WORD.findall(rest))
    return n >= min_words or (n == min_words - 1 and n > 0 and rest.rstrip().endswith(":"))


def marks_body(body: str) -> bool:
    """The first line of the body carries the label: alone, after a dateline, or opening the text."""
    line = _URLS.sub(" ", normalize(first_line(body))).strip()
    return bool(_MARKER_ALONE.match(line) or BODY_DATELINE.match(line) or BODY_PREFIX.match(line))


def breaking_path(link: str | None, sections: tuple[str, ...] = DEFAULT_BREAKING_PATHS) -> bool:
    """The item's link lies in a breaking-news section of the site (`/news/breaking/…`)."""
    if not link or not sections:
        return False
    path = unquote(urlsplit(link).path).casefold()
    segments = {seg for seg in path.split("/") if seg}
    return any(s.casefold() in segments for s in sections)


def is_marker_line(line: str) -> bool:
    """True when a line says nothing but «عاجل» (or "Breaking"; a link after it does not count)."""
    return bool(_MARKER_ALONE.match(_URLS.sub(" ", normalize(line)).strip()))


def is_label_with_dateline(line: str) -> bool:
    """«عاجل | الكويت:»: the label and at most a place or a source, the news on the next line."""
    text = normalize(line)
    return bool(_ANY_MARKER.search(text)) and len(_WORD.findall(_ANY_MARKER.sub(" ", text))) < 2


# --- removing the marker from display text -------------------------------
# Display text is the original (not normalized) text, so the patterns must
# tolerate the same noise normalization removes.

def _tolerant(word: str) -> str:
    variants = {"ا": "[اأإآٱ]", "ه": "[هة]", "ي": "[يى]"}
    marks = f"[{_DROP_CLASS}]*"
    return "".join(variants.get(ch, re.escape(ch)) + marks for ch in word)


_O_WORD = rf"(?:{_tolerant('ال')})?{_tolerant('عاجل')}"
_O_MARKER = rf"(?:{_tolerant('خبر')}\s+)?{_O_WORD}(?:\s+(?:{_O_WORD}|{_tolerant('جدا')}[\u064b-\u065f]*){_NOT_WORD})*"
_O_PREFIX = re.compile(
    rf"^[\W_]*{_O_MARKER}{_NOT_WORD}[\s\]\)»]*(?:[:|\-–—.…]+\s*)?"
    rf"|^[\W_]*(?i:breaking(?:\s+news)?|urgent)\s*(?:[:|\-–—]|\.\.)+\s*"
)
_O_SUFFIX = re.compile(rf"\s*{_JOIN}\s*{_O_MARKER}\s*[)\]]?[\W_]*$")
_O_HASHTAG = re.compile(rf"\s*#(?:{_tolerant('ال')}[^\W\d_]+_)?{_O_MARKER}{_NOT_WORD}")


def strip_marker(title: str) -> str:
    """The headline without its «عاجل» label, for display."""
    out = _O_PREFIX.sub("", title, count=1)
    out = _O_SUFFIX.sub("", out, count=1)
    out = _O_HASHTAG.sub("", out)
    return out.strip() or title.strip()


def strip_marker_line(body: str) -> str:
    """The body without a leading line that only says «عاجل» (or a dateline and «عاجل»)."""
    lines = body.splitlines()
    while lines and (not lines[0].strip() or is_marker_line(lines[0]) or BODY_DATELINE.match(normalize(lines[0]).strip())):
        lines.pop(0)
    if lines and BODY_PREFIX.match(normalize(lines[0]).strip()):
        lines[0] = strip_marker(lines[0])
    return "\n".join(lines)
