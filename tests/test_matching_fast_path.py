"""The matcher's shortcuts change no result.

`TopicIndex.match_text` asks `Senses.veto` only when one of its cheap
necessary conditions holds, answers a repeated veto question once per text,
shares `WordHit` records and lets the body skip topics the headline matched.
Here it is compared with the straightforward path it replaced (every match
vetoed, evidence built afresh, headline and body matched independently):
same topics, same order, same evidence, same rejections.
"""

from __future__ import annotations

import importlib.util
import random
import re

from bot.app.config import DEFAULT_CONFIG_DIR, load_lexicon
from bot.core.matching import TopicIndex, _chain, own_words
from bot.core.models import Item, TopicMatch, WordHit
from bot.core.morphology import analyze
from bot.core.normalize import tokenize
from bot.core.topics import parse_topic
from tests.helpers import DATA, ROOT

LEXICON = load_lexicon(DEFAULT_CONFIG_DIR)


def reference_match_text(index: TopicIndex, text: str, field: str, rejected: dict[str, str] | None) -> dict[str, TopicMatch]:
    """The matcher before its shortcuts, kept as the reference."""
    tokens = tokenize(text)
    forms = [analyze(t.norm) for t in tokens]
    n = len(tokens)
    after = [tuple(j for j in range(i + 1, min(i + 3, n)) if tokens[j].clause == tokens[i].clause) for i in range(n)]
    found: dict[str, TopicMatch] = {}
    for i in range(n):
        for key, p in index._candidates(forms, after, i):
            if key in found:
                continue
            topic = index._topics[key]
            pattern = topic.patterns[p]
            chain = _chain(pattern, tokens, forms, i)
            if not chain:
                continue
            reason = (
                topic.senses.veto([s.form for s in pattern], chain, tokens, concept=pattern[0].concept, own=own_words(topic))
                if topic.senses.rules or topic.senses.persons
                else None
            )
            if reason is None:
                start, end = tokens[chain[0][0]].start, tokens[chain[-1][0]].end
                hits = tuple(
                    WordHit(text[tokens[j].start : tokens[j].end], spec.source, rule)
                    for (j, rule), spec in zip(chain, pattern, strict=True)
                )
                found[key] = TopicMatch(topic.text, field, start, end, text[start:end], hits)
                if rejected is not None:
                    rejected.pop(key, None)
            elif rejected is not None:
                rejected.setdefault(key, f"{text[tokens[chain[0][0]].start : tokens[chain[-1][0]].end]} ← {reason}")
    return found


def reference_match_item(index: TopicIndex, item: Item, rejected: dict[str, str]) -> dict[str, TopicMatch]:
    found = reference_match_text(index, item.title, "title", rejected)
    for key, m in reference_match_text(index, item.body, "body", rejected).items():
        found.setdefault(key, m)
    for key in found:
        rejected.pop(key, None)
    return found


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_matching", ROOT / "benchmarks" / "bench_matching.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows() -> list[list[str]]:
    return [
        line.split("\t")
        for name in ("match_eval.tsv", "match_heldout.tsv", "match_heldout2.tsv")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()[1:]
    ]


def test_fast_path_equals_reference_on_the_bench_items_and_vocabulary() -> None:
    bench = _bench()
    rng = random.Random(7)
    vocab = bench.vocabulary(rng)  # type: ignore[attr-defined]
    items = bench.make_items(rng, 60)  # type: ignore[attr-defined]
    texts = [r[2] for r in _rows()] + ['"' + v + '"' for v in vocab[:200]]
    index = TopicIndex(t for t in (parse_topic(v, LEXICON) for v in [*vocab, *texts]) if t)
    for item in items:
        fast: dict[str, str] = {}
        slow: dict[str, str] = {}
        got = index.match_item(item, fast)
        want = reference_match_item(index, item, slow)
        assert list(got.items()) == list(want.items())
        assert list(fast.items()) == list(slow.items())


def test_fast_path_equals_reference_on_the_labelled_sets() -> None:
    rows = _rows()
    index = TopicIndex(t for t in (parse_topic(r[2], LEXICON) for r in rows) if t)
    vetoed = 0
    for text in sorted({r[3] for r in rows}):
        fast: dict[str, str] = {}
        slow: dict[str, str] = {}
        assert list(index.match_text(text, "title", fast).items()) == list(reference_match_text(index, text, "title", slow).items())
        assert list(fast.items()) == list(slow.items())
        vetoed += len(slow)
    assert vetoed  # the sense rules were exercised
    for _, _, topic_text, text, _ in rows:  # one topic at a time, as the eval does
        topic = parse_topic(topic_text, LEXICON)
        if topic:
            one = TopicIndex([topic])
            fast, slow = {}, {}
            assert one.match_text(text, "text", fast) == reference_match_text(one, text, "text", slow)
            assert fast == slow


# Every kind of veto, each next to a match that stands: nisba surnames of unlisted
# people, patronymics, listed names, word rules with context, quoted topics.
VETO_TEXTS = [
    "التقى الوزير أحمد المصري بالسفير الإيراني، ثم زار طارق حسن السوداني القاهرة",
    "قال سعد الإيراني إن إيران ترفض، وأعلن فيصل بن فرحان أن السعودية توافق",
    "استقبل خالد بن محمد بن زايد وفدا، ومحمد بن زايد يلتقي رئيس وزراء الهند",
    "عباس عراقجي يصل إلى مسقط والرئيس محمود عباس في رام الله، وعباس عراقجي يغادر، ولعباس كامل دور",
    "تركي آل الشيخ يعلن، وتركيا تعلن، والتمر الهندي في الهند",
    "اتفاق مالي ضخم؛ انقلاب عسكري في مالي. مالي تعلن الطوارئ قرب باماكو",
    "صور من الفضاء، وغارة على مدينة صور جنوب لبنان",
    "ارتفاع أسعار الذهب مقابل الدولار، ومليار دولار، والدولار الكندي يتراجع",
    "مباراة حماسية، ووفد من حماس يصل القاهرة، وبحماس كبير",
    "محمد بن راشد يفتتح المعرض، وراشد يصل إلى دبي",
]


def test_every_kind_of_veto() -> None:
    topics = [r[2] for r in _rows()] + ["إيران", "مصر", "السودان", "السعودية", "تركيا", "الهند", "مالي", "صور",
                                         "الذهب", "الدولار", "سعر الدولار", "حماس", "عباس", "عراقجي", "محمد بن زايد",
                                         '"مالي"', '"الإيراني"', "المصري", "راشد"]
    index = TopicIndex(t for t in (parse_topic(v, LEXICON) for v in topics) if t)
    vetoed = set()
    parts = [p.strip() for t in VETO_TEXTS for p in re.split("[،؛.]", t)]
    for text in VETO_TEXTS + parts:
        fast: dict[str, str] = {}
        slow: dict[str, str] = {}
        assert list(index.match_text(text, "body", fast).items()) == list(reference_match_text(index, text, "body", slow).items())
        assert list(fast.items()) == list(slow.items())
        vetoed.update(slow)
        for name in ("السودان", "مصر", "إيران", "مالي", "محمد بن زايد", "عباس", "تركيا", "راشد"):
            one = TopicIndex([parse_topic(name, LEXICON)])
            fast, slow = {}, {}
            assert list(one.match_text(text, "body", fast).items()) == list(reference_match_text(one, text, "body", slow).items())
            assert fast == slow
            vetoed.update(slow)
    assert len(vetoed) >= 8, vetoed


def test_seed_article_paragraphs() -> None:
    rows = _rows()
    index = TopicIndex(t for t in (parse_topic(r[2], LEXICON) for r in rows) if t)
    seed = (ROOT / "seeds" / "000_bd537ae80dd81654.txt").read_text(encoding="utf-8")
    item = Item("seed", "u", seed.split("\n", 1)[0], seed)
    fast: dict[str, str] = {}
    slow: dict[str, str] = {}
    assert list(index.match_item(item, fast).items()) == list(reference_match_item(index, item, slow).items())
    assert fast == slow
