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

# Per-item caps, applied where feed text enters (bot.feeds.items) before any
# expensive work, so cleaning, matching and formatting always see bounded text.
# Raw markup is cut at MARKUP_FACTOR times the cap before HTML parsing; the
# cleaned text is then cut to the cap itself.
MAX_TITLE_CHARS = 1_000
MAX_BODY_CHARS = 20_000
MARKUP_FACTOR = 8
MAX_TITLE_MARKUP = MAX_TITLE_CHARS * MARKUP_FACTOR
MAX_BODY_MARKUP = MAX_BODY_CHARS * MARKUP_FACTOR

# Characters a reader never sees but a terminal or Telegram client obeys:
# bidi embeddings, overrides, isolates and marks (which let a feed make
# "…\u202eexe.txt" read as "…txt.exe"), the Arabic letter mark, C0/C1 control
# characters other than whitespace (tab, line breaks), the BOM, the deprecated format
# controls and the interlinear annotation marks. Joiners (U+200C/U+200D) stay:
# Persian spelling and emoji sequences need them.
_CONTROLS = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb]+"
)

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
    # Controls go after decoding ("&#x202E;" is one too) and after the line split
    # (\v, \f, \x1c-\x1e and \x85 end lines for splitlines, so they keep doing that).
    lines = (_SPACES.sub(" ", strip_controls(line)).strip() for line in text.splitlines())
    return [line for line in lines if line]


def strip_controls(text: str) -> str:
    """`text` without bidi controls and other non-printing control characters.

    Whitespace controls (tab, the line breaks \\n \\v \\f \\r \\x85) stay: callers
    collapse or split on them. So do the zero-width joiners, which spelling needs.
    """
    return _CONTROLS.sub("", text)


def cut_markup(markup: str, limit: int) -> str:
    """At most `limit` characters of raw `markup`, cut before a tag or entity left unfinished.

    Cheap by design: it runs on hostile input before any parsing.
    """
    if len(markup) <= limit:
        return markup
    cut = markup[:limit]
    lt = cut.rfind("<", max(0, limit - 1_000))
    if lt > cut.rfind(">"):
        cut = cut[:lt]
    amp = cut.rfind("&", max(0, len(cut) - 40))
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut


def cap_text(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a space or line break, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


# Boilerplate families, recognised by shape whatever the site (normalized text:
# ة→ه, ى→ي, hamza seats folded, Latin casefolded).
_BOILERPLATE_LINE = re.compile(
    r"^(?:"
    r"the post .{1,300} appeared first on .{1,200}"  # WordPress feed footer
    r"|(?:اقرا|طالع|شاهد|اقرءوا|اقرؤوا|تابع|اطلع علي)\s+(?:ايضا|كذلك|المزيد|اكثر)\b.{0,300}"  # "read also" links
    r"|(?:المصدر|مصدر الصوره|الصوره|صوره|تصوير|تصميم|photo|image|credit)\s*[:：(|\-–].{0,120}"  # credits
    r"|(?:صوره ارشيفيه|ارشيفيه|\(ارشيفيه\)|صوره تعبيريه|صوره توضيحيه)"
    r"|(?:شارك|مشاركه|انسخ|نسخ)(?:\s+\S+){0,3}\s*(?:عبر|علي|على)?\s*(?:فيسبوك|تويتر|واتساب|تلغرام|x|facebook|twitter|whatsapp|telegram).{0,80}"
    r"|(?:تابعونا|تابعوا|تابعنا)\s+(?:علي|عبر|في).{0,120}"
    r")$"
)
# «[…]» and «[...]»: an excerpt's cut mark, not text.
_CUT_MARK = re.compile(r"\s*\[(?:…|\.\.\.)\]\s*$")


def is_boilerplate(line: str) -> bool:
    norm = normalize(line).strip(" .:")
    return any(norm == b.strip(" .:") for b in _BOILERPLATE) or bool(_BOILERPLATE_LINE.match(norm))


def without_cut_mark(line: str) -> str:
    return _CUT_MARK.sub("", line)


def clean_lines(lines: list[str], title: str = "") -> list[str]:
    """Drop boilerplate, repeated lines, and captions that merely repeat the headline.

    Photo captions are often the headline or a truncated start of it
    («اتصالات سرية بين…»); a reader gains nothing from seeing them again.
    """
    title_norm = normalize(title).strip()
    seen: set[str] = set()
    kept: list[str] = []
    for raw in lines:
        line = without_cut_mark(raw)
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
