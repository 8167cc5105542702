"""Site chrome: what an outlet adds to every item, learned from its own items.

One outlet ends every title with « | الحرة», another starts every one with
«اليوم السابع - », a WordPress site ends every body with its tagline. Such
text is the outlet's, not the story's: it must not reach the alert headline
and must never match a topic («المغرب» in «جريدة إلكترونية مغربية»).

Nothing here is a list of outlets: an affix or a line counts as chrome when
it repeats across most items of one feed. Boilerplate families that any site
may use (WordPress's «The post … appeared first on …», «[…]», «اقرأ أيضًا»,
photo credits) are recognised by shape, in `bot.core.textclean`.

A single title (a feed's first items, a text sent to /test) has no feed to
learn from, so a tail is also recognised by its shape (`strip_outlet_tail`):
after « - » or « | », a short segment that reads as a publication's name
(«جريدة …», «… اليوم», «… 24», «… أون لاين», a Latin acronym) or as a call
to follow the site («تابعونا على فيسبوك»).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.markers import is_marker_line
from bot.core.normalize import normalize, words

# An outlet's name is joined to the headline by one of these.
_SEPARATORS = r"[|\-–—:ـ«»]|\s[|\-–—]\s"
_SUFFIX = re.compile(rf"\s*(?:{_SEPARATORS})\s*([^|\-–—:]{{2,60}})$")
_PREFIX = re.compile(rf"^([^|\-–—:]{{2,60}}?)\s*(?:{_SEPARATORS})\s*")
MIN_ITEMS = 4  # fewer items are no evidence of a pattern
SHARE = 0.6  # an affix or a line on at least this share of the items is chrome


@dataclass(frozen=True, slots=True)
class Chrome:
    suffix: str = ""  # normalized, as found after the separator
    prefix: str = ""
    lines: frozenset[str] = frozenset()  # normalized body lines that repeat across items

    def __bool__(self) -> bool:
        return bool(self.suffix or self.prefix or self.lines)


def learn(titles: Sequence[str], bodies: Sequence[str]) -> Chrome:
    """The affixes and lines that repeat across most of one feed's items."""
    if len(titles) < MIN_ITEMS:
        return Chrome()
    need = max(MIN_ITEMS - 1, int(SHARE * len(titles) + 0.999))
    return Chrome(
        _common(titles, _SUFFIX, need),
        _common(titles, _PREFIX, need),
        _common_lines(bodies, need) if len(bodies) >= MIN_ITEMS else frozenset(),
    )


def _common(titles: Sequence[str], pattern: re.Pattern[str], need: int) -> str:
    found: Counter[str] = Counter()
    for title in titles:
        m = pattern.search(title.strip())
        if m:
            found[normalize(m.group(1)).strip()] += 1
    if not found:
        return ""
    affix, n = found.most_common(1)[0]
    # A breaking label that every item of a breaking-only feed carries is not
    # the outlet's name: it must stay for detection.
    if n < need or not affix or is_marker_line(affix):
        return ""
    return affix


def _common_lines(bodies: Sequence[str], need: int) -> frozenset[str]:
    counts: Counter[str] = Counter()
    for body in bodies:
        counts.update({normalize(line).strip() for line in body.splitlines() if line.strip()})
    return frozenset(line for line, n in counts.items() if n >= need and line and not is_marker_line(line))


def strip_title(title: str, chrome: Chrome) -> str:
    """The title without the outlet's learned suffix and prefix (never emptied)."""
    out = title.strip()
    if chrome.suffix:
        m = _SUFFIX.search(out)
        if m and normalize(m.group(1)).strip() == chrome.suffix:
            out = out[: m.start()].rstrip()
    if chrome.prefix:
        m = _PREFIX.search(out)
        if m and normalize(m.group(1)).strip() == chrome.prefix:
            out = out[m.end() :].lstrip()
    return out or title.strip()


def strip_body(body: str, chrome: Chrome) -> str:
    if not chrome.lines:
        return body
    return "\n".join(line for line in body.splitlines() if normalize(line).strip() not in chrome.lines)


# Words that open or close a publication's name, and calls to follow a site.
# Not outlet names: the shapes any outlet's name takes («جريدة X», «X اليوم», «X 24»).
_OUTLET_HEADS = frozenset(words(
    "جريدة صحيفة بوابة موقع مجلة قناة تلفزيون تلفزيونا وكالة شبكة راديو إذاعة منصة يومية"
))
_OUTLET_TAILS = frozenset(words(
    "اليوم الآن 24 نت نيوز أونلاين لاين الإخبارية الإخباري الإلكترونية إلكترونية الإلكتروني بوست تايمز عربي السابع بريس"
    " إنترناشيونال إنترناشونال انترناشيونال الرقمية الرقمي الغد العربي"
))
_FOLLOW_CALLS = frozenset(words(
    "تابعونا تابعوا انضموا انضم اشترك اشتركوا حملوا حمل لمتابعة للمزيد تابعنا تابع اقرأ شاهد طالع الأكثر المصدر"
))
_TAIL = re.compile(r"\s+(?:[|\-–—]|::)\s+([^|\-–—]{2,60})$")
_CALL_TAIL = re.compile(r"\s*(?:\.\.+|…|[|\-–—])\s*([^|\-–—.…]{2,60})$")
_LATIN_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
MAX_TAIL_WORDS = 6
MIN_HEADLINE_WORDS = 3  # what is left must still read as a headline


def strip_outlet_tail(title: str) -> str:
    """The title without a tail shaped like an outlet's name or a call to follow it.

    «… - المصري اليوم», «… | جريدة إلكترونية مغربية», «….. تابعونا على تليغرام».
    A tail is removed only when at least three words of headline remain.
    """
    out = title.strip()
    for pattern, is_chrome in ((_CALL_TAIL, _is_call), (_TAIL, _is_outlet_name)):
        m = pattern.search(out)
        if m and is_chrome(m.group(1)) and len(words(out[: m.start()])) >= MIN_HEADLINE_WORDS:
            out = out[: m.start()].rstrip()
    return out


def _is_call(segment: str) -> bool:
    ws = words(segment)
    return bool(ws) and ws[0] in _FOLLOW_CALLS


def _is_outlet_name(segment: str) -> bool:
    ws = words(segment)
    if not ws or len(ws) > MAX_TAIL_WORDS:
        return False
    return ws[0] in _OUTLET_HEADS or ws[-1] in _OUTLET_TAILS or bool(_LATIN_ACRONYM.search(segment)) or _is_call(segment)
