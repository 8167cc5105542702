"""Breaking detection: table-driven, one readable id per rule or trap."""

import pytest

from bot.core.breaking import detect, strip_marker, strip_marker_line
from bot.core.models import Item


def item(title: str = "", body: str = "", categories: tuple[str, ...] = ()) -> Item:
    return Item("f", "u", title, body, categories=categories)


BREAKING = [
    ("colon", "عاجل: بوتين يعلن التعبئة", "title_prefix"),
    ("pipe-spaced", "عاجل | انفجار في الميناء", "title_prefix"),
    ("pipe-tight", "عاجل| انفجار في الميناء", "title_prefix"),
    ("hashtag-first", "#عاجل زلزال يضرب المنطقة", "title_prefix"),
    ("emoji", "🔴 عاجل الرئيس يصل إلى الدوحة", "title_prefix"),
    ("brackets", "[عاجل] مجلس الأمن ينعقد", "title_prefix"),
    ("khabar-ajel", "خبر عاجل: إغلاق المطار", "title_prefix"),
    ("dots", "عاجل.. وزير الخارجية يستقيل", "title_prefix"),
    ("tatweel", "عاجـــل: هزة أرضية", "title_prefix"),
    ("diacritics", "عاجِلٌ: هزة أرضية", "title_prefix"),
    ("suffix", "ارتفاع أسعار الوقود | عاجل", "title_suffix"),
    ("hashtag-inside", "الأرصاد تحذر #عاجل من السيول", "title_hashtag"),
    ("english-breaking", "BREAKING: markets fall", "title_prefix"),
    ("english-urgent", "URGENT: evacuation ordered", "title_prefix"),
    ("very-urgent", "🚨عـــاجـــل جــداً | انفجارات تهز طهران", "title_prefix"),
    ("brand-tag-end", "اعتراض صاروخ في سماء تل أبيب #العربية_عاجل", "title_hashtag"),
    ("brand-tag-first", "#الشرق_عاجل ماكرون: أجريت محادثات مع رئيسي لبنان وسوريا", "title_hashtag"),
    ("speaker-only", "عاجل | ترامب:", "title_prefix"),
]


@pytest.mark.parametrize("title,reason", [(t, r) for _, t, r in BREAKING], ids=[i for i, _, _ in BREAKING])
def test_title_markers_are_breaking(title: str, reason: str) -> None:
    verdict = detect(item(title))
    assert (verdict.is_breaking, verdict.reason) == (True, reason)


NOT_BREAKING = [
    ("dawa-ajila", "دعوة عاجلة لعقد اجتماع طارئ"),
    ("ijra-ajil", "الحكومة تطالب بإجراء عاجل"),
    ("bisura-ajila", "نقل المصابين بصورة عاجلة إلى المستشفى"),
    ("ajilan-aw-ajilan", "عاجلاً أو آجلاً سيعود الهدوء"),
    ("istajal", "الوزير استعجل القرار"),
    ("record-breaking", "Record-breaking heat in Cairo"),
    ("breaking-bad", "Breaking Bad actor visits Dubai"),
    ("adjective-at-end", "المعارضة تطالب بتحقيق عاجل"),
]


@pytest.mark.parametrize("title", [t for _, t in NOT_BREAKING], ids=[i for i, _ in NOT_BREAKING])
def test_running_text_is_not_breaking(title: str) -> None:
    assert not detect(item(title, "نص الخبر"))


@pytest.mark.parametrize(
    "cat", ["عاجل", "أخبار عاجلة", "العاجل", "Breaking", "عاجـل"], ids=["ajel", "akhbar-ajila", "al-ajel", "english", "tatweel"]
)
def test_breaking_category(cat: str) -> None:
    assert detect(item("عنوان عادي", categories=("سياسة", cat))).reason == "category"


def test_ordinary_category_is_not_breaking() -> None:
    assert not detect(item("عنوان عادي", categories=("سياسة", "اقتصاد")))


def test_body_first_line_marker_alone() -> None:
    assert detect(item("اتصالات سرية", "\n\nعاجل\nنص الخبر")).reason == "body_first_line"


def test_body_first_line_with_running_text_is_not_breaking() -> None:
    assert not detect(item("عنوان", "عاجل الوزير إلى المستشفى بعد الحادث\nنص"))


def test_marker_deeper_in_body_is_not_breaking() -> None:
    assert not detect(item("عنوان", "سطر أول\nعاجل"))


def test_feed_mode_all_makes_everything_breaking() -> None:
    assert detect(item("أي خبر"), "all").reason == "feed_all"


@pytest.mark.parametrize(
    "title,expected",
    [
        ("عاجل: بوتين يعلن", "بوتين يعلن"),
        ("🔴 عاجل | البنك المركزي يرفع الفائدة", "البنك المركزي يرفع الفائدة"),
        ("[عاجل] مجلس الأمن", "مجلس الأمن"),
        ("خبر عاجل: إغلاق المطار", "إغلاق المطار"),
        ("ارتفاع الوقود | عاجل", "ارتفاع الوقود"),
        ("BREAKING: markets fall", "markets fall"),
        ("عاجل", "عاجل"),  # nothing else to show: keep the word rather than an empty headline
    ],
)
def test_strip_marker_for_display(title: str, expected: str) -> None:
    assert strip_marker(title) == expected


def test_strip_marker_line() -> None:
    assert strip_marker_line("عاجل\nالفقرة الأولى") == "الفقرة الأولى"


# --- issue 9: markers where real newsrooms put them ---------------------------
from bot.core.derive import display_headline  # noqa: E402
from bot.core.models import Item as _Item  # noqa: E402


def _item(title: str, body: str = "", link: str | None = None) -> _Item:
    return _Item("f", "u", title, body, link)


def test_marker_at_the_end_after_double_dot_or_ellipsis() -> None:
    for title in ("الزمالك يحذر من كارثة بنهائي السوبر.. عاجل", "انفجار في ميناء بيروت … عاجل", "زلزال يضرب تركيا / عاجل"):
        assert detect(_item(title)).reason == "title_suffix", title
        assert "عاجل" not in display_headline(title, "")


def test_marker_after_a_dateline_in_the_first_body_line() -> None:
    for line in ("الجنوب اليمني | عاجل", "بيروت - عاجل", "عاجل | الرئاسة تعلن الحداد"):
        item = _item("الرئاسة تعلن الحداد ثلاثة أيام", f"{line}\nأعلنت الرئاسة الحداد العام.")
        assert detect(item).reason == "body_first_line", line


def test_a_dateline_without_the_marker_is_not_breaking() -> None:
    assert not detect(_item("الرئاسة تعلن الحداد", "بيروت - سكاي نيوز عربية\nأعلنت الرئاسة الحداد."))


def test_breaking_section_in_the_link_path_is_configurable() -> None:
    item = _item("الرئاسة تعلن الحداد", "", "https://news.example/news/breaking/2026/11/24/x")
    assert detect(item).reason == "link_path"
    assert not detect(item, "marked", ())
    assert not detect(_item("الرئاسة تعلن الحداد", "", "https://3ajel24.com/2021/05/x"))


def test_a_title_that_is_only_the_marker_is_not_a_headline() -> None:
    assert not detect(_item("عاجل !!", "منذ عدة سنوات ونحن نقرأ على أسفل الشاشات كلمة عاجل"))
    assert not detect(_item("خبر عاجل", "جلس الطبيب والمهندس ليشاهدوا المباراة"))
    assert display_headline("عاجل !!", "الجيش يعلن السيطرة على المدينة\nتفاصيل") == "الجيش يعلن السيطرة على المدينة"


def test_a_running_text_hashtag_is_not_a_brand_label() -> None:
    assert not detect(item("الحكومة تدعو إلى #اجتماع_عاجل لبحث الأزمة"))


def test_a_brand_label_and_a_link_alone_on_the_next_line_mark_the_body() -> None:
    assert detect(item("الدفاع المدني: زوال الخطر عن مدينة الرياض", "#الحدث_عاجل https://t.co/x1"))


def test_the_emphatic_label_leaves_the_display_headline() -> None:
    assert strip_marker("🚨عـــاجـــل جــداً | انفجارات تهز طهران") == "انفجارات تهز طهران"
    assert strip_marker("اعتراض صاروخ في سماء تل أبيب #العربية_عاجل") == "اعتراض صاروخ في سماء تل أبيب"
