"""Unit tests for `bot.feeds.items`: feedparser-shaped dicts → frozen `Item`s."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from bot.feeds.items import item_from_entry, items_from_feed, stable_id

FEED_ID = "demo-news"
TITLE = "عاجل: اتصالات سرية بين طهران وواشنطن"
BODY = "كشفت تقارير صحفية عن بدء اتصالات سرية بين طهران وواشنطن."


def entry(**fields: Any) -> dict[str, Any]:
    """A feedparser-shaped entry: title and summary by default, anything else as given."""
    base: dict[str, Any] = {"title": TITLE, "summary": f"<p>{BODY}</p>"}
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


# --- stable_id --------------------------------------------------------------------


def test_guid_beats_link_beats_hash() -> None:
    assert stable_id("guid-1", "https://example.com/a", TITLE, BODY) == "g:guid-1"
    assert stable_id(None, "https://example.com/a", TITLE, BODY) == "l:https://example.com/a"
    hashed = stable_id(None, None, TITLE, BODY)
    assert hashed.startswith("h:") and len(hashed) == 2 + 24


def test_hash_id_is_stable_and_changes_with_the_text() -> None:
    first = stable_id(None, None, TITLE, BODY)
    assert stable_id(None, None, TITLE, BODY) == first
    assert stable_id(None, None, TITLE, BODY + " تحديث") != first
    assert stable_id(None, None, TITLE + " تحديث", BODY) != first


def test_hash_id_ignores_diacritics_and_tatweel() -> None:
    # The hash is over normalized text, so a re-render with a diacritic does not make a "new" item.
    assert stable_id(None, None, "عاجـل: اتصالاتٌ سرية", BODY) == stable_id(None, None, "عاجل: اتصالات سرية", BODY)


# --- item_from_entry: ids ------------------------------------------------------------


def test_entry_id_from_guid() -> None:
    item = item_from_entry(FEED_ID, entry(id=" news-88231 ", link="https://example.com/a"))
    assert item.uid == "g:news-88231"
    assert item.feed_id == FEED_ID


def test_entry_id_from_guid_key_when_id_missing() -> None:
    assert item_from_entry(FEED_ID, entry(guid="news-1")).uid == "g:news-1"


def test_entry_id_falls_back_to_link_then_hash() -> None:
    by_link = item_from_entry(FEED_ID, entry(id="   ", link=" https://example.com/a "))
    assert by_link.uid == "l:https://example.com/a"
    assert by_link.link == "https://example.com/a"

    by_hash = item_from_entry(FEED_ID, entry())
    assert by_hash.uid == stable_id(None, None, by_hash.title, by_hash.body)
    assert by_hash.uid.startswith("h:")
    assert by_hash.link is None


def test_entry_hash_id_is_stable_across_calls() -> None:
    assert item_from_entry(FEED_ID, entry()).uid == item_from_entry(FEED_ID, entry()).uid
    assert item_from_entry(FEED_ID, entry()).uid != item_from_entry(FEED_ID, entry(summary="<p>نص آخر</p>")).uid


# --- item_from_entry: text ---------------------------------------------------------------


def test_title_is_plain_text() -> None:
    item = item_from_entry(FEED_ID, entry(title="<b>عاجل</b>: اتصالات &amp; محادثات"))
    assert item.title == "عاجل: اتصالات & محادثات"


def test_content_encoded_is_preferred_over_a_shorter_summary() -> None:
    full = "<p>الفقرة الأولى من المقال الكامل.</p><p>الفقرة الثانية من المقال الكامل.</p>"
    item = item_from_entry(FEED_ID, entry(summary="<p>مقتطف قصير</p>", content=[{"value": full}]))
    assert item.body == "الفقرة الأولى من المقال الكامل.\nالفقرة الثانية من المقال الكامل."


def test_summary_is_kept_when_it_is_the_longer_one() -> None:
    item = item_from_entry(FEED_ID, entry(content=[{"value": "<p>قصير</p>"}, {"value": None}]))
    assert item.body == BODY


CAPTION_SUMMARY = "<figcaption>اتصالات سرية بين طهران</figcaption><p>" + BODY + "</p>"


def test_body_drops_a_caption_repeating_the_headline() -> None:
    item = item_from_entry(FEED_ID, entry(title="اتصالات سرية بين طهران وواشنطن", summary=CAPTION_SUMMARY))
    assert item.body == BODY


def test_body_drops_a_caption_repeating_a_marked_headline() -> None:
    assert item_from_entry(FEED_ID, entry(title=TITLE, summary=CAPTION_SUMMARY)).body == BODY


def test_categories_are_kept_in_order() -> None:
    item = item_from_entry(FEED_ID, entry(tags=[{"term": "عاجل"}, {"term": " سياسة "}, {"term": None}, {}]))
    assert item.categories == ("عاجل", "سياسة")


def test_no_tags_gives_no_categories() -> None:
    assert item_from_entry(FEED_ID, entry()).categories == ()
    assert item_from_entry(FEED_ID, entry(tags=[])).categories == ()


def test_whitespace_only_tag_term_is_not_a_category() -> None:
    assert item_from_entry(FEED_ID, entry(tags=[{"term": "  "}, {"term": "عاجل"}])).categories == ("عاجل",)


# --- item_from_entry: dates -----------------------------------------------------------------


def test_published_parsed_becomes_an_aware_utc_datetime() -> None:
    parsed = time.struct_time((2026, 11, 24, 9, 12, 0, 1, 328, 0))  # feedparser's UTC struct_time
    item = item_from_entry(FEED_ID, entry(published_parsed=parsed))
    assert item.published == datetime(2026, 11, 24, 9, 12, tzinfo=UTC)
    assert item.published is not None and item.published.utcoffset() is not None


def test_updated_parsed_is_the_fallback_date() -> None:
    parsed = time.struct_time((2026, 1, 2, 3, 4, 5, 4, 2, 0))
    assert item_from_entry(FEED_ID, entry(updated_parsed=parsed)).published == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_no_date_gives_none() -> None:
    assert item_from_entry(FEED_ID, entry()).published is None


# --- items_from_feed --------------------------------------------------------------------------


def test_items_from_feed_keeps_order_and_skips_empty_entries() -> None:
    parsed = {
        "entries": [
            entry(id="1"),
            {"id": "2", "link": "https://example.com/empty", "title": "  ", "summary": "<p> </p>"},
            entry(id="3", title=None, summary="<p>نص بلا عنوان</p>"),
            entry(id="4", title="عنوان بلا نص", summary=None),
        ]
    }
    items = items_from_feed(FEED_ID, parsed)
    assert [i.uid for i in items] == ["g:1", "g:3", "g:4"]
    assert items[1].title == "" and items[1].body == "نص بلا عنوان"
    assert items[2].body == ""


def test_items_from_feed_without_entries_is_empty() -> None:
    assert items_from_feed(FEED_ID, {}) == ()
    assert items_from_feed(FEED_ID, {"entries": []}) == ()
