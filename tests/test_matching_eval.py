"""Precision and recall of topic matching over the labelled evaluation set.

tests/data/match_eval.tsv holds (topic, text, should-match) cases written in
the style of Egyptian, Gulf, Levantine and Maghreb outlets, one category per
rule or trap. The `hard` category (broken plurals, synonyms, epithets) is
included in the figures: it is what a reader expects, not what is easy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app.config import DEFAULT_CONFIG_DIR, load_lexicon
from bot.core.matching import TopicIndex
from bot.core.topics import parse_topic

DATA = Path(__file__).parent / "data" / "match_eval.tsv"
MIN_PRECISION, MIN_RECALL = 0.98, 0.95


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    topic: str
    text: str
    expected: bool


def load_cases() -> list[Case]:
    # Plain split, not csv: quoted topics ("عمان") must keep their quotes.
    lines = DATA.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["id", "category", "topic", "text", "expected"]
    cases = []
    for line in lines[1:]:
        id_, category, topic, text, expected = line.split("\t")
        cases.append(Case(id_, category, topic, text, expected == "1"))
    return cases


CASES = load_cases()
ALIASES = load_lexicon(DEFAULT_CONFIG_DIR)


def predict(case: Case) -> bool:
    topic = parse_topic(case.topic, ALIASES)
    return bool(topic and TopicIndex([topic]).match_text(case.text))


def test_eval_set_is_substantial() -> None:
    assert len(CASES) >= 300 and len({c.id for c in CASES}) == len(CASES)
    per_category = Counter(c.category for c in CASES)
    assert all(n >= 10 for n in per_category.values()), per_category


def test_precision_and_recall() -> None:
    outcomes = Counter()
    misses = []
    for case in CASES:
        got = predict(case)
        outcomes[(got, case.expected)] += 1
        if got != case.expected:
            misses.append(f"{'FP' if got else 'FN'} {case.id} [{case.category}] {case.topic!r} ~ {case.text}")
    tp, fp, fn = outcomes[(True, True)], outcomes[(True, False)], outcomes[(False, True)]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nmatching eval: {len(CASES)} cases, precision {precision:.3f}, recall {recall:.3f}, misses {len(misses)}")
    print("\n".join(misses))
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, "\n".join(misses)


@pytest.mark.parametrize("category", sorted({c.category for c in CASES} - {"hard"}))
def test_every_rule_category_is_right(category: str) -> None:
    wrong = [c.id for c in CASES if c.category == category and predict(c) != c.expected]
    assert wrong == []
