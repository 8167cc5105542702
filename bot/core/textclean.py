"""HTML to clean plain text, the way a reader would want to see it."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from bot.core.normalize import normalize

_BLOCK_TAGS = frozenset(
    ["p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "figcaption", "tr", "table", "section", "article", "header", "footer", "hr"]
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "iframe"})
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# Lines that news CMSs append to every article; they are page chrome, not news.
_BOILERPLATE = tuple(
    normalize(s)
    for s in (
        "تم نسخ الرابط",
        "انسخ الرابط",
        "شارك الخبر",
        "شارك هذا المقال",
        "اقرأ أيضا",
        "اقرأ ايضا:",
        "طالع أيضا",
        "للمزيد من الأخبار",
        "تابعونا على",
        "Copied",
    )
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_lines(markup: str) -> list[str]:
    """Plain-text lines of `markup`: tags gone, entities decoded, spaces collapsed."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    # Some feeds double-escape ("&amp;quot;"). Decode a second time only
    # complete entities ("&quot;"), never bare legacy names: "?a=1&reg=2" is a URL, not "®=2".
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), "".join(parser.parts))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def is_boilerplate(line: str) -> bool:
    norm = normalize(line).strip(" .:")
    return any(norm == b.strip(" .:") for b in _BOILERPLATE)


def clean_lines(lines: list[str], title: str = "") -> list[str]:
    """Drop boilerplate, repeated lines, and captions that merely repeat the headline.

    Photo captions are often the headline or a truncated start of it
    («اتصالات سرية بين…»); a reader gains nothing from seeing them again.
    """
    title_norm = normalize(title).strip()
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        norm = normalize(line).strip()
        if not norm or norm in seen or is_boilerplate(line):
            continue
        if _is_title_fragment(norm, title_norm):
            continue
        seen.add(norm)
        kept.append(line)
    return kept


def _is_title_fragment(norm: str, title_norm: str) -> bool:
    """True when `norm` is the headline or a start of it cut at a word boundary."""
    if not title_norm or not title_norm.startswith(norm):
        return False
    return len(norm) == len(title_norm) or title_norm[len(norm)] == " "


def html_to_text(markup: str, title: str = "") -> str:
    """Cleaned plain text, one paragraph per line."""
    return "\n".join(clean_lines(html_to_lines(markup), title))
