"""The matching basics every subscriber relies on (the deep rules have their own eval set)."""

import pytest

from bot.app.config import DEFAULT_CONFIG_DIR, load_aliases
from bot.core.matching import TopicIndex, _chain, explain
from bot.core.models import Item
from bot.core.morphology import analyze
from bot.core.normalize import normalize, tokenize
from bot.core.subscriptions import ChatInfo, Subscriptions
from bot.core.topics import parse_topic
from tests.helpers import DATA


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("عاجِل", "عاجل"),
        ("عاجـــل", "عاجل"),
        ("أإآٱ", "اااا"),
        ("مستشفى", "مستشفي"),
        ("غزة", "غزه"),
        ("٢٠٢٦ ۱۲", "2026 12"),
        ("TRUMP", "trump"),
        ("مس\u200cؤول", "مسءول"),
        ("ﻻ", "لا"),  # NFKC folds presentation forms
    ],
    ids=["diacritics", "tatweel", "alef-hamza", "alef-maqsura", "ta-marbuta", "digits", "latin-case", "zwnj-hamza", "nfkc"],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_tokenize_keeps_original_spans_and_clauses() -> None:
    text = "الملفُّ النووي، الإيرانية."
    toks = tokenize(text)
    assert [text[t.start : t.end] for t in toks] == ["الملفُّ", "النووي", "الإيرانية"]
    assert [t.clause for t in toks] == [0, 0, 1]


def matches(topic: str, text: str) -> bool:
    index = TopicIndex([parse_topic(topic)])
    return bool(index.match_text(text))


@pytest.mark.parametrize(
    "text",
    ["كسر الجمود في الملف النووي الإيراني", "تتعلق بالملف النووي", "رسالة للملف النووي", "والملف النووي مطروح", "الملفّ النوويّ"],
    ids=["plain", "bi", "lil", "wa", "shadda"],
)
def test_phrase_with_clitics(text: str) -> None:
    assert matches("الملف النووي", text)


@pytest.mark.parametrize(
    "topic,text",
    [("مصر", "اشتباكات في مصراتة"), ("قطر", "قطرة ماء"), ("غزة", "أمطار غزيرة"), ("الملف النووي", "النووي الملف")],
    ids=["misr-misrata", "qatar-drop", "gaza-heavy-rain", "order"],
)
def test_whole_words_only(topic: str, text: str) -> None:
    assert not matches(topic, text)


def test_topic_of_only_punctuation_is_rejected() -> None:
    assert parse_topic("!!! 🔥") is None


def test_explanation_names_the_rule() -> None:
    index = TopicIndex([parse_topic("إيران")])
    (m,) = index.match_text("الخارجية الإيرانية تنفي").values()
    assert m.span == "الإيرانية"
    assert explain(m) == "الإيرانية ← إيران (صفة نسب)"


def test_one_alert_per_chat_listing_every_matched_topic() -> None:
    subs = Subscriptions()
    subs.set_chat(7, ChatInfo("ar"))
    for t in ("الملف النووي", "إيران", "غزة"):
        subs.add(7, t)
    subs.add(8, "غزة")
    item = Item("f", "u", "اتصالات بشأن الملف النووي الإيراني", "")
    (r,) = subs.recipients(item)
    assert (r.chat_id, set(r.topics)) == (7, {"الملف النووي", "إيران"})


def test_exclusion_silences_a_chat() -> None:
    subs = Subscriptions()
    subs.add(7, "إيران")
    subs.add(7, "كرة القدم", "exclude")
    subs.add(8, "إيران")
    item = Item("f", "u", "منتخب إيران لكرة القدم يفوز", "")
    assert [r.chat_id for r in subs.recipients(item)] == [8]


def test_removing_last_follower_drops_topic_from_index() -> None:
    subs = Subscriptions()
    topic = subs.add(7, "غزة")
    assert topic is not None and topic.key in subs.index
    subs.remove(7, topic.key)
    assert topic.key not in subs.index


def _every_topic_everywhere(topics: list, text: str) -> set[str]:  # type: ignore[type-arg]
    """The index's reference: try every pattern of every topic at every word."""
    tokens = tokenize(text)
    forms = [analyze(t.norm) for t in tokens]
    return {t.key for t in topics if any(_chain(p, tokens, forms, i) for p in t.patterns for i in range(len(tokens)))}


def test_index_finds_exactly_what_trying_every_topic_finds() -> None:
    rows = [line.split("\t") for line in (DATA / "match_eval.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    aliases = load_aliases(DEFAULT_CONFIG_DIR / "aliases.toml")
    topics = list({t.key: t for t in (parse_topic(r[2], aliases) for r in rows) if t}.values())
    index = TopicIndex(topics)
    for text in {r[3] for r in rows}:
        assert set(index.match_text(text)) == _every_topic_everywhere(topics, text), text


def test_phrases_sharing_an_opening_are_added_and_removed_independently() -> None:
    a, b, c = (parse_topic(t) for t in ("سعر الدولار", "سعر الدولار الجمركي", "سعر"))
    index = TopicIndex([a, b, c])
    text = "ارتفاع سعر صرف الدولار الجمركي اليوم"
    assert set(index.match_text(text)) == {a.key, b.key, c.key}
    index.remove(a.key)
    assert set(index.match_text(text)) == {b.key, c.key}
    index.add(a)
    index.remove(c.key)
    assert set(index.match_text(text)) == {a.key, b.key}
    assert set(index.match_text("ارتفاع سعر صرف. الدولار الجمركي")) == set()  # not across a sentence
