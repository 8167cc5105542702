"""Hostile feed entries (issue 12): poison dates, bidi and control characters, huge inputs.

Each entry is converted on its own, so one bad entry never costs its feed the
other items; invisible controls never reach an alert; and every item's text is
capped before the expensive work (HTML cleaning, matching, formatting).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import pytest

from bot.core.formatting import AlertStyle, format_alert, linkable
from bot.core.models import Item
from bot.core.textclean import (
    MAX_BODY_CHARS,
    MAX_TITLE_CHARS,
    cap_text,
    cut_markup,
    html_to_lines,
    strip_controls,
)
from bot.feeds.items import item_from_entry, items_and_errors, items_from_feed

FEED_ID = "hostile"
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)

# Every bidi control the issue names, plus C0/C1 controls, DEL, BOM and the deprecated format controls.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
CONTROLS = BIDI + "\x00\x01\x07\x08\x1b\x7f\x80\x9b\ufeff\u206a\u206f\ufff9"


def rss(poison_item: str) -> bytes:
    """An RSS feed: a good item, the poisoned one, another good item."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>t</title><link>https://news.example/</link>
<item><title>عاجل: الخبر الأول</title><link>https://news.example/1</link><guid>n-1</guid>
  <pubDate>Mon, 06 Jan 2020 09:12:00 GMT</pubDate><description>نص الخبر الأول.</description></item>
{poison_item}
<item><title>عاجل: الخبر الثالث</title><link>https://news.example/3</link><guid>n-3</guid>
  <pubDate>Mon, 06 Jan 2020 10:00:00 GMT</pubDate><description>نص الخبر الثالث.</description></item>
</channel></rss>""".encode()


POISON_DATES = {
    "year-9999": "<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate>",
    "year-1-with-offset": "<pubDate>0001-01-01T00:00:00+05:00</pubDate>",
}


def poisoned_feed(date_xml: str) -> Any:
    item = f"<item><title>عاجل: الخبر المسموم</title><link>https://news.example/2</link><guid>n-2</guid>{date_xml}</item>"
    return feedparser.parse(rss(item))


def contains_any(text: str, chars: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in chars if c in text]


# --- 1. per-item isolation and the date window -------------------------------------------------


@pytest.mark.parametrize("date_xml", POISON_DATES.values(), ids=POISON_DATES.keys())
def test_poison_date_does_not_cost_the_feed_its_other_items(date_xml: str) -> None:
    items = items_from_feed(FEED_ID, poisoned_feed(date_xml))
    assert [i.uid for i in items] == ["g:n-1", "g:n-2", "g:n-3"]
    assert items[0].published == datetime(2020, 1, 6, 9, 12, tzinfo=UTC)
    assert items[2].published == datetime(2020, 1, 6, 10, 0, tzinfo=UTC)
    assert items[1].published is None  # an implausible date is a missing date, not an error
    assert items[1].title == "عاجل: الخبر المسموم"
    for item in items:  # and every stage after parsing copes (year 9999 overflowed in the alert's time line)
        assert "الخبر" in format_alert(item, "مصدر", ("الخبر",), AlertStyle("Asia/Riyadh")).html


@pytest.mark.parametrize("date_xml", POISON_DATES.values(), ids=POISON_DATES.keys())
def test_poison_date_is_not_counted_as_an_error(date_xml: str) -> None:
    items, errors = items_and_errors(FEED_ID, poisoned_feed(date_xml), NOW)
    assert len(items) == 3 and errors == ()
    assert items[1].published is None


def test_entry_failing_anywhere_is_skipped_and_reported() -> None:
    parsed = {
        "entries": [
            {"id": "1", "title": "عاجل: خبر سليم"},
            {"id": "2", "title": "رابط ليس نصا", "link": 12345},  # .strip() on an int
            {"id": "3", "title": "وسوم تالفة", "tags": [None]},  # .get() on None
            {"id": "4", "title": "عاجل: خبر سليم آخر"},
        ]
    }
    items, errors = items_and_errors(FEED_ID, parsed, NOW)
    assert [i.uid for i in items] == ["g:1", "g:4"]
    assert len(errors) == 2
    assert errors[0].startswith("entry 1: AttributeError") and errors[1].startswith("entry 2: AttributeError")
    assert all(len(e) <= 200 for e in errors)
    assert items_from_feed(FEED_ID, parsed, NOW) == items  # the old entry point skips them too


def struct(when: datetime) -> time.struct_time:
    return when.utctimetuple()


@pytest.mark.parametrize(
    "when,kept",
    [
        (NOW - timedelta(days=3650), True),
        (datetime(1990, 1, 1, tzinfo=UTC), True),
        (datetime(1989, 12, 31, 23, 59, tzinfo=UTC), False),
        (NOW + timedelta(hours=23), True),  # clocks and time zones drift; a day of slack
        (NOW + timedelta(days=2), False),
    ],
)
def test_dates_outside_the_window_are_missing(when: datetime, kept: bool) -> None:
    item = item_from_entry(FEED_ID, {"title": "خبر", "published_parsed": struct(when)}, NOW)
    assert item.published == (when if kept else None)


def test_now_may_be_a_timestamp_or_naive_utc() -> None:
    entry = {"title": "خبر", "published_parsed": struct(NOW + timedelta(hours=12))}
    assert item_from_entry(FEED_ID, entry, NOW.timestamp()).published is not None
    assert item_from_entry(FEED_ID, entry, NOW.replace(tzinfo=None)).published is not None
    assert item_from_entry(FEED_ID, entry, NOW - timedelta(days=2)).published is None


def test_implausible_published_falls_back_to_updated() -> None:
    updated = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    entry = {"title": "خبر", "published_parsed": time.struct_time((0, 12, 31, 19, 0, 0, 6, 366, 0)), "updated_parsed": struct(updated)}
    assert item_from_entry(FEED_ID, entry, NOW).published == updated


# --- 2. bidi and control characters ------------------------------------------------------------

SPOOF_LINK = "https://news.example/files/photo\u202egnp.exe"


def spoofed_feed() -> Any:
    item = (
        "<item><title>عاجل: صورة \u202eexe.txt &amp;#x202E; \u2067مضمن\u2069\u200f</title>"
        f"<link>{SPOOF_LINK}</link><guid>s-1</guid>"
        "<description>&lt;p&gt;كشفت مصادر \u202bمطلعة\u202c عن تفاصيل جديدة حول الاتفاق المرتقب بين الطرفين خلال الأسبوع المقبل.\u061c&lt;/p&gt;</description>"
        "<category>عاجل\u200f</category></item>"
    )
    return feedparser.parse(rss(item))


def test_bidi_title_and_link_make_an_alert_without_controls_or_link() -> None:
    item = items_from_feed(FEED_ID, spoofed_feed())[1]
    html = format_alert(item, "مصدر", ("الاتفاق",)).html
    assert contains_any(html, CONTROLS) == []
    assert "<a " not in html and "href" not in html and "اقرأ الخبر كاملًا" not in html
    assert "صورة exe.txt" in html and "كشفت مصادر مطلعة" in html


def test_item_text_fields_carry_no_controls() -> None:
    item = items_from_feed(FEED_ID, spoofed_feed())[1]
    for field in (item.title, item.body, item.headline, item.lead, *item.categories):
        assert contains_any(field, CONTROLS) == [], field
    assert item.categories == ("عاجل",)
    assert item.link == SPOOF_LINK  # the link (and so the id) is kept as the feed gave it; it is just never linked


def test_controls_are_stripped_from_hand_made_items_too() -> None:
    item = Item("f", "u", f"عاجل: خبر{BIDI}", f"نص {CONTROLS}طويل بما يكفي ليكون فقرة تمهيدية في هذا الخبر العاجل.", link=SPOOF_LINK)
    html = format_alert(item, f"مصدر{BIDI}", ()).html
    assert contains_any(html, CONTROLS) == [] and "<a " not in html


@pytest.mark.parametrize(
    "link",
    [
        SPOOF_LINK,
        "https://news.example/a\u200fb",
        "https://news.example/a\u2066b",
        "https://news.example/a b",
        "https://news.example/a\tb",
        "https://news.example/a\u00a0b",
        "https://news.example/a\x00b",
        "https://news.example/a\nb",
        "https://news.example/\u200b",
    ],
)
def test_link_with_invisible_or_space_characters_is_not_linked(link: str) -> None:
    assert not linkable(link)
    assert "<a " not in format_alert(Item("f", "u", "عاجل: خبر", "", link=link), "S", ()).html


@pytest.mark.parametrize("link", ["https://news.example/a?b=1&c=2#x", "http://news.example/%D8%B9", "https://news.example/عاجل/خبر"])
def test_ordinary_links_are_still_linked(link: str) -> None:
    assert linkable(link)
    assert "<a href=" in format_alert(Item("f", "u", "عاجل: خبر", "", link=link), "S", ()).html


def test_strip_controls_removes_each_control_and_keeps_text() -> None:
    for ch in CONTROLS:
        assert strip_controls(f"أ{ch}ب") == "أب", f"U+{ord(ch):04X}"
    kept = "نصٌّ عربيّ\tمع\nسطر و«اقتباس» — ZWNJ\u200cZWJ\u200d 👨\u200d👩 ۱۲۳ é"
    assert strip_controls(kept) == kept


def test_encoded_controls_are_decoded_then_stripped() -> None:
    assert html_to_lines("<p>أ&#x202E;ب&#8207;ج&amp;#x202d;د</p>") == ["أبجد"]


# --- 3. caps before expensive work ------------------------------------------------------------------


def timed_item(entry: dict[str, Any]) -> tuple[Item, float]:
    start = time.perf_counter()
    item = item_from_entry(FEED_ID, entry, NOW)
    return item, time.perf_counter() - start


def test_five_megabyte_title_is_capped_quickly() -> None:
    title = "عاجل: " + "خبر طويل " * 600_000
    assert len(title) > 5_000_000
    item, seconds = timed_item({"title": title, "link": "https://news.example/big"})
    assert seconds < 0.5, f"{seconds:.2f} s"
    assert 0 < len(item.title) <= MAX_TITLE_CHARS and item.title.startswith("عاجل: خبر طويل")
    assert len(item.headline) <= MAX_TITLE_CHARS


def test_title_of_200000_escaped_tags_is_capped_quickly() -> None:
    item, seconds = timed_item({"title": "&lt;b&gt;" * 200_000})
    assert seconds < 0.5, f"{seconds:.2f} s"
    assert 0 < len(item.title) <= MAX_TITLE_CHARS and item.title.startswith("<b><b>")


def test_five_megabyte_body_is_capped_quickly() -> None:
    body = "<p>" + "كلمة " * 1_000_000 + "</p>"
    item, seconds = timed_item({"title": "عاجل: خبر", "summary": body, "content": [{"value": body}]})
    assert seconds < 0.5, f"{seconds:.2f} s"
    assert 0 < len(item.body) <= MAX_BODY_CHARS


def test_ordinary_text_is_not_cut() -> None:
    title = ("كلمة " * (MAX_TITLE_CHARS // 5))[: MAX_TITLE_CHARS].strip()
    item = item_from_entry(FEED_ID, {"title": title, "summary": "<p>فقرة.</p><p>فقرة ثانية.</p>"}, NOW)
    assert item.title == title and item.body == "فقرة.\nفقرة ثانية."


def test_many_tags_are_capped() -> None:
    item = item_from_entry(FEED_ID, {"title": "خبر", "tags": [{"term": "وسم " * 10_000}] * 100_000}, NOW)
    assert len(item.categories) <= 50 and all(len(c) <= 200 for c in item.categories)


def test_cut_markup_never_leaves_half_a_tag_or_entity() -> None:
    assert cut_markup("<p>short</p>", 100) == "<p>short</p>"
    assert cut_markup('abc <a href="https://x.example/long">', 10) == "abc "
    assert cut_markup("abc &quot; def", 8) == "abc "
    assert cut_markup("abc &amp; def", 10) == "abc &amp; "


def test_cap_text_cuts_at_a_space_with_an_ellipsis() -> None:
    assert cap_text("قصير", 10) == "قصير"
    assert cap_text("كلمة كلمة كلمة", 11) == "كلمة كلمة…"
    assert cap_text("سطر\nسطر ثان طويل", 9) == "سطر\nسطر…"
    assert len(cap_text("x" * 50, 10)) == 10
