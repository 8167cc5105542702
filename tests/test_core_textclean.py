"""Unit tests for `bot.core.textclean`: HTML → the plain lines a reader wants."""

from __future__ import annotations

import pytest

from bot.core.textclean import clean_lines, html_to_lines, html_to_text, is_boilerplate

TITLE = "اتصالات سرية بين طهران وواشنطن ومحادثات مرتقبة في قطر أو عمان"


# --- html_to_lines --------------------------------------------------------------


def test_tags_are_removed() -> None:
    assert html_to_lines('<p>كشفت <b>تقارير</b> <a href="https://x.example">صحفية</a></p>') == ["كشفت تقارير صحفية"]


def test_entities_are_decoded() -> None:
    assert html_to_lines("<p>&quot;عراقجي&quot; &amp; ويتكوف &#1593;&#1575;&#1580;&#1604;</p>") == ['"عراقجي" & ويتكوف عاجل']


def test_double_escaped_entities_are_decoded() -> None:
    assert html_to_lines("<p>&amp;quot;اتفاق&amp;quot; &amp;amp; هدنة</p>") == ['"اتفاق" & هدنة']


def test_correctly_escaped_ampersand_text_survives() -> None:
    assert html_to_lines("<p>?a=1&amp;reg=2&amp;copy=3</p>") == ["?a=1&reg=2&copy=3"]


def test_script_style_and_friends_are_skipped() -> None:
    markup = (
        "<p>قبل</p><script>var x = '<p>لا</p>';</script><style>p { color: red }</style>"
        "<noscript>فعّل جافاسكربت</noscript><iframe>إطار</iframe><p>بعد</p>"
    )
    assert html_to_lines(markup) == ["قبل", "بعد"]


def test_block_tags_become_lines_inline_tags_do_not() -> None:
    markup = "<div>سطر أول<br>سطر ثان</div><ul><li>بند</li></ul><h2>عنوان</h2><span>مع</span><em>بعض</em>"
    assert html_to_lines(markup) == ["سطر أول", "سطر ثان", "بند", "عنوان", "معبعض"]


def test_spaces_collapsed_and_blank_lines_dropped() -> None:
    assert html_to_lines("<p>  كلمة \u00a0\t  أخرى  </p><p>   </p>\n\n<p>ثالثة</p>") == ["كلمة أخرى", "ثالثة"]


def test_plain_text_passes_through() -> None:
    assert html_to_lines("سطر\nسطر آخر") == ["سطر", "سطر آخر"]


# --- clean_lines / is_boilerplate -------------------------------------------------


@pytest.mark.parametrize("line", ["تم نسخ الرابط", "اقرأ أيضا", "اقرأ أيضًا:", "شارك الخبر", "Copied", "  انسخ الرابط."])
def test_boilerplate_lines_are_dropped(line: str) -> None:
    assert is_boilerplate(line)
    assert clean_lines(["خبر مهم", line, "تفاصيل"]) == ["خبر مهم", "تفاصيل"]


def test_line_that_only_mentions_boilerplate_words_is_kept() -> None:
    line = "قال الوزير إن على المواطنين أن يقرأوا أيضا تقرير المفاوضات"
    assert not is_boilerplate(line)
    assert clean_lines([line]) == [line]


def test_a_read_also_link_line_is_boilerplate() -> None:
    # The «اقرأ أيضًا …» family (issue 9): a link to another story, whatever follows.
    assert is_boilerplate("اقرأ أيضا تقريرنا عن المفاوضات")


def test_repeated_lines_are_dropped_even_with_different_diacritics() -> None:
    assert clean_lines(["سطر مكرر", "آخر", "سطر مكرر", "سطرٌ مكرّر"]) == ["سطر مكرر", "آخر"]


def test_caption_that_is_the_headline_or_its_start_is_dropped() -> None:
    lines = [TITLE, "اتصالات سرية بين طهران", "كشفت تقارير صحفية عن اتصالات سرية"]
    assert clean_lines(lines, TITLE) == ["كشفت تقارير صحفية عن اتصالات سرية"]


def test_line_starting_with_the_same_word_as_the_headline_is_kept() -> None:
    lines = ["اتصالات مكثفة بين القاهرة والدوحة", "اتصالات سريةٌ جدا"]
    assert clean_lines(lines, TITLE) == lines


def test_prefix_cut_inside_a_word_is_kept() -> None:
    # «اتصالات سر» is a character prefix of the headline but not a word-boundary start.
    assert clean_lines(["اتصالات سر"], TITLE) == ["اتصالات سر"]


def test_without_title_nothing_is_treated_as_a_caption() -> None:
    assert clean_lines([TITLE]) == [TITLE]


# --- html_to_text -----------------------------------------------------------------


def test_html_to_text_joins_cleaned_lines() -> None:
    markup = (
        "<figure><img src='x.jpg'><figcaption>اتصالات سرية بين طهران</figcaption></figure>"
        "<p>كشفت تقارير صحفية عن بدء اتصالات سرية.</p>"
        "<p>تم نسخ الرابط</p>"
        "<p>كشفت تقارير صحفية عن بدء اتصالات سرية.</p>"
        "<p>وأضافت المصادر أن اللقاء قد يعقد في مسقط.</p>"
    )
    assert html_to_text(markup, TITLE) == ("كشفت تقارير صحفية عن بدء اتصالات سرية.\nوأضافت المصادر أن اللقاء قد يعقد في مسقط.")


def test_html_to_text_of_empty_markup_is_empty() -> None:
    assert html_to_text("") == ""
    assert html_to_text("<p> </p><br/>") == ""
