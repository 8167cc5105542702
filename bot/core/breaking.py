"""Is this item «عاجل»? A pure decision over one item.

Every rule looks at normalized text, so tatweel («عاجـل») and diacritics
(«عاجِل») count, while the adjective in running text («دعوة عاجلة»,
«عاجلاً أو آجلاً», «استعجل») never does: the marker must stand alone as a
word at a position where outlets put labels (see `bot.core.markers`).
"""

from __future__ import annotations

from bot.core.markers import (
    BREAKING_CATEGORIES,
    DEFAULT_BREAKING_PATHS,
    HASHTAG,
    TITLE_PREFIX,
    TITLE_PREFIX_EN,
    TITLE_SUFFIX,
    breaking_path,
    first_line,
    has_headline,
    is_marker_line,
    marks_body,
    strip_marker,
    strip_marker_line,
)
from bot.core.models import Breaking, BreakingMode, Item
from bot.core.normalize import normalize
from bot.core.vocab import BreakingReason

__all__ = ["detect", "is_marker_line", "strip_marker", "strip_marker_line"]


def detect(item: Item, mode: BreakingMode = "marked", sections: tuple[str, ...] = DEFAULT_BREAKING_PATHS) -> Breaking:
    """Decide whether `item` is breaking and name the rule that said so.

    The title rules need a headline besides the label: a column titled
    «عاجل !!» or «خبر عاجل» is not breaking news.
    """
    if mode == "all":
        return Breaking(True, BreakingReason.FEED_ALL)
    if any(normalize(c).strip() in BREAKING_CATEGORIES for c in item.categories):
        return Breaking(True, BreakingReason.CATEGORY)
    title = normalize(item.title).strip()
    if has_headline(title):
        if TITLE_PREFIX.search(title) or TITLE_PREFIX_EN.search(title):
            return Breaking(True, BreakingReason.TITLE_PREFIX)
        if TITLE_SUFFIX.search(title):
            return Breaking(True, BreakingReason.TITLE_SUFFIX)
        if HASHTAG.search(title):
            return Breaking(True, BreakingReason.TITLE_HASHTAG)
    if marks_body(item.body) and (has_headline(title) or has_headline(first_line(strip_marker_line(item.body)))):
        return Breaking(True, BreakingReason.BODY_FIRST_LINE)
    if breaking_path(item.link, sections):
        return Breaking(True, BreakingReason.LINK_PATH)
    return Breaking(False, None)
