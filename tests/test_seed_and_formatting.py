"""The seed article end to end through cleaning and formatting, plus Telegram limits."""

from datetime import UTC, datetime

import pytest

from bot.core.formatting import AlertStyle, format_alert, hashtag, lead, shorten
from bot.core.models import Item
from bot.core.telegram_limits import MAX_MESSAGE_UNITS, fits, utf16_len, visible_text
from tests.helpers import GOLDEN, SEED_TEXT, seed_item

HEADLINE = "اتصالات سرية بين طهران وواشنطن ومحادثات مرتقبة في قطر أو عمان"


def test_seed_feed_carries_the_seed_article() -> None:
    item = seed_item()
    assert item.title == HEADLINE
    first_para = SEED_TEXT.read_text(encoding="utf-8").splitlines()[8]
    assert first_para in item.body


def test_seed_body_is_clean() -> None:
    body = seed_item().body
    assert "<strong>" not in body and "تم نسخ الرابط" not in body
    lines = body.splitlines()
    assert len(lines) == len(set(lines)), "repeated captions survive"
    assert "اتصالات سرية بين" not in lines and "اتصالات سرية بين طهران وواشنطن" not in lines


def test_golden_alert_for_seed() -> None:
    alert = format_alert(seed_item(), "الأخبار العربية (تجريبي)", ("الملف النووي",), AlertStyle("Asia/Riyadh"))
    golden = (GOLDEN / "seed_alert.html").read_text(encoding="utf-8")
    assert alert.html == golden


def test_seed_alert_reads_cleanly() -> None:
    html = format_alert(seed_item(), "الأخبار العربية", ("الملف النووي",)).html
    text = visible_text(html)
    assert f"<b>{HEADLINE}</b>" in html
    assert "#الملف_النووي" in text
    assert "تم نسخ الرابط" not in text and "<strong>" not in text and "&lt;strong" not in html
    assert text.count("اتصالات سرية بين طهران وواشنطن") == 1 + text.count("كشفت تقارير صحفية عن بدء اتصالات سرية بين طهران وواشنطن")
    assert "\nعاجل\n" not in text


def test_english_alert() -> None:
    html = format_alert(seed_item(), "News", ("الملف النووي",), AlertStyle("UTC", "en")).html
    assert html.startswith("🔴 <b>BREAKING</b> | News") and "Read the full story" in html and "Nov 2026" in html


def test_everything_is_escaped() -> None:
    item = Item("f", "u", "عاجل: <script>alert(1)</script> & co", "نص <b>غامق</b> & رموز كافية لعمل فقرة تمهيدية طويلة بما يكفي", link='https://x.example/?a=1&b="2"')
    html = format_alert(item, "Src <i>", ("<topic>",)).html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://x.example/?a=1&amp;b=&quot;2&quot;"' in html
    assert "Src &lt;i&gt;" in html


def test_non_http_link_is_not_linked() -> None:
    html = format_alert(Item("f", "u", "عاجل: خبر", "", link="javascript:alert(1)"), "S", ()).html
    assert "<a " not in html


def test_huge_item_fits_telegram_limit() -> None:
    huge = "كلمة " * 5000 + "."
    item = Item("f", "u", "عاجل: " + "عنوان طويل جدا " * 400, huge, published=datetime(2026, 1, 1, tzinfo=UTC))
    html = format_alert(item, "مصدر", tuple(f"موضوع {i}" for i in range(40))).html
    assert fits(html) and utf16_len(visible_text(html)) <= MAX_MESSAGE_UNITS


def test_utf16_counts_emoji_as_two() -> None:
    assert utf16_len("🔴") == 2 and utf16_len("عاجل") == 4


@pytest.mark.parametrize("topic,tag", [("الملف النووي", "#الملف_النووي"), ("سعر الدولار!", "#سعر_الدولار"), ('"عمان"', "#عمان"), ("الملفّ", "#الملف")])
def test_hashtag(topic: str, tag: str) -> None:
    assert hashtag(topic) == tag


def test_shorten_cuts_at_word_boundary() -> None:
    assert shorten("واحد اثنان ثلاثة أربعة", 14) == "واحد اثنان…"


def test_lead_is_a_few_sentences_within_limit() -> None:
    text = lead(seed_item(), 400)
    assert text.startswith("كشفت تقارير صحفية") and len(text) <= 400 and text.endswith(".")
