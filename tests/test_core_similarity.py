"""The rules `bot.core.similarity` uses to tell one story told twice from two stories.

Each test names one rule; the examples are written for the rule, not copied
from the labelled pairs (tests/data/stories), which measure the whole.
"""

from __future__ import annotations

import time

from bot.core import similarity
from bot.core.normalize import normalize


def same(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return similarity.same_story(similarity.signature(*a), similarity.signature(*b))


def stem(word: str) -> str:
    return similarity.stem(normalize(word))


def test_a_country_and_its_adjective_reach_one_stem() -> None:
    assert stem("إيران") == stem("الإيرانية") == stem("الإيراني")
    assert stem("لبنان") == stem("اللبنانية")


def test_common_broken_plurals_reach_their_singular() -> None:
    assert stem("قتلى") == stem("قتيل")
    assert stem("الزلازل") == stem("زلزال")


def test_the_decimal_comma_and_the_arabic_decimal_separator_are_one_magnitude() -> None:
    a = ("زلزال بقوة 6.3 درجات يضرب غرب أفغانستان ويوقع 14 قتيلا", "")
    assert same(a, ("زلزال بقوة 6,3 درجات يضرب غرب أفغانستان", ""))
    assert same(a, ("زلزال بقوة ٦٫٣ درجات يضرب غرب أفغانستان", ""))
    assert similarity.numbers("3,700 جريح") == frozenset({"3700"})


def test_words_for_one_kind_of_event_are_one_key() -> None:
    death = {similarity.key(stem_input) for stem_input in map(normalize, ("مقتل", "مصرع", "وفاة", "استشهاد", "اغتيال"))}
    assert len(death) == 1
    assert same(("مقتل القيادي يحيى السنوار في رفح", ""), ("اغتيال يحيى السنوار في رفح", ""))


def test_a_shared_rare_name_counts_more_than_shared_common_words() -> None:
    # Few words in common, but they are the name and the event; the rest is each outlet's wording.
    a = ("الجيش الإسرائيلي يعلن رسميا اغتيال يحيى السنوار", "")
    b = ("إسرائيل تعلن اغتيال يحيى السنوار في عملية عسكرية بغزة", "")
    assert same(a, b)
    # Common words alone (Israel, Gaza, army, announce) are not one story.
    assert not same(("الجيش الإسرائيلي يعلن بدء عملية عسكرية في غزة", ""),
                    ("إسرائيل تعلن انسحاب الجيش من شمال غزة", ""))


def test_two_exact_figures_that_agree_are_one_report() -> None:
    a = ("632 قتيلا في أعنف زلزال يضرب المغرب", "ارتفع عدد الضحايا إلى 632 قتيلا و329 مصابا.")
    b = ("السلطات المغربية تعلن مقتل 632 شخصا وإصابة 329 آخرين جراء الزلزال الذي ضرب إقليم الحوز", "")
    assert same(a, b)
    # A year is no such figure.
    assert not same(("انتخابات 2024 في أمريكا: 538 صوتا", ""), ("مونديال 2024 في قطر: 538 مشجعا", ""))


def test_headlines_that_each_name_a_place_the_other_never_mentions_are_two_stories() -> None:
    a = ("المنتخب المغربي يفوز على البرتغال ويتأهل إلى نصف نهائي كأس العالم", "")
    b = ("المنتخب المغربي يفوز على إسبانيا ويتأهل إلى ربع نهائي كأس العالم", "")
    assert not same(a, b)
    # One side naming a place the other leaves out is only more detail.
    assert same(a, ("المنتخب المغربي يتأهل إلى نصف نهائي كأس العالم بفوزه على البرتغال في قطر", ""))


def test_comparing_with_500_recent_stories_stays_cheap() -> None:
    # A budget guard, not a rule: every breaking item is compared with the whole window.
    stories = [similarity.signature(f"خبر رقم {i} عن حادث سير في مدينة {i}", "تفاصيل الخبر " * 10) for i in range(500)]
    item = similarity.signature("زلزال بقوة 6.1 درجات يضرب ولاية ملاطيا شرقي تركيا", "")
    start = time.perf_counter()
    for _ in range(10):
        for s in stories:
            similarity.same_story(item, s)
    assert (time.perf_counter() - start) / 10 < 0.05  # measured ~1 ms; generous for a loaded CI machine


def test_one_letter_clitics_and_the_present_tense_prefix_come_off() -> None:
    assert stem("بمقتل") == stem("مقتل")
    assert stem("يغادر") == stem("غادر")
    assert stem("إسبانيا") == stem("الإسباني")  # a country in -ا and its adjective
    assert same(("البابا فرنسيس يغادر المستشفى في روما", ""), ("البابا فرنسيس غادر مستشفى جيميلي في روما صباح اليوم", ""))


def test_agencies_first_magnitudes_may_differ_a_little() -> None:
    a = ("زلزال بقوة 7.7 درجات يضرب وسط ميانمار ويهز بانكوك", "")
    assert same(a, ("زلزال بقوة 7.3 درجات يضرب ميانمار ويهز بانكوك عاصمة تايلاند", ""))
    assert not same(a, ("زلزال بقوة 5.1 درجات يضرب وسط ميانمار ويهز بانكوك", ""))


def test_phrases_for_one_thing_are_one_key() -> None:
    def keys(text: str) -> frozenset[str]:
        return similarity.keys(normalize(text))
    assert keys("وقف إطلاق النار") == keys("الهدنة")
    assert keys("إطلاق نار") == keys("طلق ناري")
    assert keys("تل أبيب") == keys("إسرائيل")


def test_a_capital_stands_for_its_state() -> None:
    # «طهران» and «إيران» are not two places naming two events.
    a = ("انفجارات تهز طهران بعد هجوم إسرائيلي على منشآت نووية", "")
    assert same(a, ("إسرائيل تعلن هجوما على منشآت نووية في إيران", ""))
    assert not same(a, ("إسرائيل تعلن هجوما على منشآت نووية في العراق", ""))


def test_a_dateline_is_not_the_place_of_the_event() -> None:
    a = ("المغرب يفوز على إسبانيا بركلات الترجيح ويتأهل إلى ربع نهائي كأس العالم", "")
    b = ("دبي، الإمارات العربية المتحدة (CNN) -- تفوق المنتخب المغربي على نظيره الإسباني بركلات الترجيح في كأس العالم", "")
    assert same(a, b)


def test_a_failed_attempt_or_a_claim_is_not_the_confirmed_death() -> None:
    confirmed = ("حزب الله يؤكد مقتل القيادي فؤاد شكر في غارة إسرائيلية على الضاحية الجنوبية", "")
    assert not same(("فشل محاولة اغتيال القيادي في حزب الله فؤاد شكر بغارة على الضاحية الجنوبية", ""), confirmed)
    assert not same(("إسرائيل تزعم اغتيال القيادي في حزب الله فؤاد شكر بغارة على الضاحية الجنوبية", ""), confirmed)
    assert same(("حزب الله يعلن استشهاد القيادي فؤاد شكر بغارة إسرائيلية على الضاحية الجنوبية", ""), confirmed)


def test_an_event_named_only_as_a_time_is_not_the_news() -> None:
    assert not same(("عاجل وفاة الملكة إليزابيث الثانية", ""), ("الصورة الأخيرة للملكة إليزابيث الثانية قبل وفاتها", ""))


def test_an_event_dated_from_an_earlier_one_is_a_later_event() -> None:
    a = ("زلزال بقوة 6.3 درجة يضرب غرب أفغانستان قرب هرات", "")
    assert not same(a, ("زلزال بقوة 6.3 درجة يضرب غرب أفغانستان قرب هرات بعد أسبوع من زلزال مدمر", ""))
