"""Is this the same story as one already alerted? Pure.

Five outlets report one earthquake in five wordings; a subscriber should get
one alert. Two headlines are compared on what carries the event: content
words reduced to a light stem (clitics and regular suffixes off, so «الزلزال»
and «زلزالا» agree), character trigrams of those stems (so verb and noun
forms of one root, «يعلن» / «إعلان», still overlap), and the numbers both
mention.

A false merge hides a different story from the user, which is worse than a
duplicate, so the rule is built for precision: two items merge only when they
share several content words *and* their overall overlap is high. Sharing a
place or a person is never enough on its own: «غارة على خان يونس» today and
«غارة على خان يونس» next week are different stories, and `recent` windows
(see `bot.core.stories`) bound how far back we look.

Hand-written rather than datasketch/rapidfuzz: the window holds at most a few
hundred recent stories, so exact set overlap is cheap, and the Arabic stemming
is what matters, which no general library does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.core.morphology import PREFIXES
from bot.core.normalize import normalize

# Function words, reporting verbs and newsroom labels: shared by any two
# headlines, so they say nothing about the event.
_STOP_WRITTEN = """
في من على إلى الى عن مع بعد قبل خلال بين حول ضد منذ حتى عند لدى أمام امام تحت فوق دون
أن ان إن لن لم لا ما ماذا هل قد كما أو او ثم بل لكن إلا الا غير كل بعض أي أيضا أيضًا
الذي التي الذين اللذان هذا هذه ذلك تلك هناك هنا هو هي هم نحن أنه انه أنها انها
كان كانت يكون تكون وكان وكانت يمكن
قال قالت يقول تقول أكد أكدت يؤكد تؤكد أعلن أعلنت يعلن تعلن وأكد وقال وقالت
أفاد أفادت ذكر ذكرت نقلت نقل أشار أشارت أوضح أوضحت مصدر مصادر وكالة وكالات
عاجل عاجلة خبر أخبار فيديو بالفيديو صور بالصور شاهد مباشر تحديث الآن اليوم أمس غدا
السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة
"""
_PREFIXES_LONGEST = tuple(sorted((p for p in PREFIXES if p), key=len, reverse=True))
_SUFFIXES = ("يات", "يين", "يون", "ات", "ون", "ين", "ان", "ها", "هم", "هما", "ه", "ي")
_MIN_STEM = 3
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_]+")

# Tuned on the development half of tests/data/stories (see benchmarks/eval_stories.py);
# the other half is held out and only reported.
MIN_SHARED_STEMS = 2
MIN_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class Signature:
    """What one item says about its event, reduced for comparison."""

    stems: frozenset[str]
    grams: frozenset[str]
    numbers: frozenset[str]


def _stopwords() -> frozenset[str]:
    return frozenset(stem(normalize(w)) for w in _STOP_WRITTEN.split())


@lru_cache(maxsize=131_072)
def stem(word: str) -> str:
    """A light stem of one normalized word: one clitic prefix and one suffix off."""
    for p in _PREFIXES_LONGEST:
        # A lone و/ف/ب/ك/ل may be the word's own first letter (وزير, فرنسا, بيروت):
        # taken off only when a long stem remains.
        rest = len(word) - len(p)
        if word.startswith(p) and rest >= (_MIN_STEM if len(p) > 1 else _MIN_STEM + 2):
            word = word[len(p):]
            break
    for s in _SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= _MIN_STEM:
            return word[: -len(s)]
    return word


_STOP = _stopwords()


@lru_cache(maxsize=8192)  # every poll compares with the same recent stories
def signature(headline: str, lead: str = "", lead_words: int = 30) -> Signature:
    """The headline and the first `lead_words` words of the lead, reduced."""
    text = normalize(headline)
    if lead:
        text += " " + " ".join(normalize(lead).split()[:lead_words])
    stems = frozenset(s for w in _WORD.findall(text) if (s := stem(w)) not in _STOP and len(s) >= 2)
    grams = frozenset(g for s in stems for g in _trigrams(s))
    numbers = frozenset(_NUMBER.findall(text))
    return Signature(stems, grams, numbers)


def _trigrams(word: str) -> tuple[str, ...]:
    padded = f"#{word}#"
    return tuple(padded[i : i + 3] for i in range(len(padded) - 2))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    # Of the shorter side: a terse headline is wholly inside another outlet's
    # longer headline and lead when both tell one event.
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def score(a: Signature, b: Signature) -> float:
    """Overall overlap in [0, 1]: whole stems, and trigrams for other forms of a root
    («اغتيال» / «تغتال») and spellings of a name («فرنسيس» / «فرانسيس»)."""
    return 0.5 * _overlap(a.stems, b.stems) + 0.5 * _overlap(a.grams, b.grams)


def same_story(a: Signature, b: Signature) -> bool:
    """Precision first: several shared content words and a high overall overlap.

    Two measured quantities that differ (a 6.2 and a 5.1 earthquake) are two
    events; whole numbers may differ within one story (a toll that rises)."""
    if _disagree(a.numbers, b.numbers):
        return False
    shared = len(a.stems & b.stems) + len(a.numbers & b.numbers)
    return shared >= MIN_SHARED_STEMS and score(a, b) >= MIN_SCORE


def _disagree(a: frozenset[str], b: frozenset[str]) -> bool:
    da = {n for n in a if not n.isdigit()}
    db = {n for n in b if not n.isdigit()}
    return bool(da and db and not da & db)
