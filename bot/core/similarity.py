"""Is this the same story as one already alerted? Pure.

Five outlets report one earthquake in five wordings; a subscriber should get
one alert. Each item is reduced to *keys*: content words brought to a light
stem (one clitic prefix off, up to two regular suffixes off, common broken
plurals made singular, so «الزلزال», «زلزالا» and «زلازل» agree), the words
for one kind of event folded to one key («مقتل» / «مصرع» / «وفاة» /
«استشهاد»), and the numbers the text gives (Arabic-Indic digits and the
decimal comma folded: «٦٫٣» = «6,3» = «6.3»).

Keys are weighted by how rare they are in a background corpus of real
breaking headlines (`bot.core.story_weights`, built from
tests/data/breaking/corpus.tsv): sharing «يحيى السنوار» or «296» says much
more than sharing «إسرائيل» or «غزة». Two items tell one event when what one
headline says is largely found in the other item (weighted), or their whole
texts overlap strongly, and enough rare weight is shared.

A false merge hides a different story from the user, which is worse than a
duplicate, so vetoes come first: two measured quantities that differ by more
than a tenth (a 6.2 and a 5.1 earthquake); two headlines that each name a
country or city the other item never mentions (المغرب–البرتغال /
المغرب–إسبانيا; a capital stands for its state, a dateline is dropped); a
death reported as an attempt, a failure or a claim against the same death as
fact; an event one headline names only as a time («قبل وفاتها»); and an item
that dates its event from an earlier one («بعد أسبوع من …») against one that
does not. Sharing a place or a person is never enough on its own, and
`recent` windows (see `bot.core.stories`) bound how far back we look.

Hand-written rather than datasketch/rapidfuzz/scikit-learn: the window holds
at most a few hundred recent stories, so exact weighted set overlap is cheap,
and the Arabic stemming is what matters, which no general library does.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from bot.core.morphology import BROKEN_PLURALS, PREFIXES
from bot.core.normalize import normalize
from bot.core.story_weights import DF, DOCS

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
إثر جراء بسبب نتيجة عقب وسط أكثر نحو حوالي أقل الأقل فيه فيها منه منها عليه عليها له لها به بها
السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة
"""

# Words that name one kind of event, folded to one key: outlets pick
# different ones for the same fact («مقتل السنوار» / «اغتيال السنوار»).
_EVENT_WORDS = {
    "death": "مقتل قتل قتيل قتلى يقتل مصرع وفاة وفاته وفاتها توفي توفيت استشهاد شهيد شهداء استشهد "
             "اغتيال اغتال يغتال تغتال اغتالت حتفه حتفهم",
    "injury": "إصابة إصابات مصاب مصابين جريح جرحى أصيب جرح",
    "quake": "زلزال زلازل زلزالين هزة",
    "blast": "انفجار انفجارات تفجير تفجيرات",
    "strike": "قصف غارة غارات ضربة ضربات هجوم هجمات هجوما استهداف استهدف يستهدف تستهدف",
    "win": "فوز يفوز فاز تغلب يقصي أقصى إقصاء تفوق يتفوق انتصار",
    "truce": "هدنة",
    "leave": "غادر يغادر مغادرة",
    "shooting": "رصاص",
    # The same party under the names outlets give it.
    "israel": "إسرائيل الاحتلال الصهيوني الصهيونية الإسرائيلي",
}

# Phrases that name one thing in several words, folded to one word first
# (normalized text): «وقف إطلاق النار» is a truce, «تل أبيب» stands for Israel.
_PHRASES_WRITTEN = {
    "وقف إطلاق النار": "هدنة", "وقف إطلاق نار": "هدنة", "وقف الحرب": "هدنة",
    "إطلاق نار": "رصاص", "إطلاق النار": "رصاص", "طلق ناري": "رصاص", "إطلاق الرصاص": "رصاص",
    "كأس العالم": "مونديال", "بابا الفاتيكان": "البابا",
    "تل أبيب": "إسرائيل", "الكيان الصهيوني": "إسرائيل",
    "ربع نهائي": "quarterfinal", "ربع النهائي": "quarterfinal", "دور الثمانية": "quarterfinal",
}

# Words that make a death unconfirmed (a failed attempt, a claim): such an
# item and one that reports the death as fact tell two moments of a story.
_TENTATIVE_WRITTEN = "محاولة محاولات فشل نجا ينجو نجاة ادعت ادعى زعم زعمت يزعم تزعم مزاعم"

# Countries and capitals (and the cities breaking news names most), for the
# conflicting-place veto. Stems are computed with the same rules as the text.
_PLACES_WRITTEN = """
مصر السعودية الإمارات قطر الكويت البحرين عمان اليمن العراق سوريا لبنان الأردن فلسطين
ليبيا تونس الجزائر المغرب موريتانيا السودان الصومال جيبوتي إيران تركيا أفغانستان باكستان
الهند الصين اليابان روسيا أوكرانيا أمريكا فرنسا ألمانيا بريطانيا إيطاليا إسبانيا البرتغال
هولندا بلجيكا اليونان قبرص الأرجنتين البرازيل المكسيك كندا أستراليا إندونيسيا ماليزيا الفلبين
تايلاند ميانمار نيبال إثيوبيا كينيا نيجيريا مالي النيجر تشاد فنزويلا كولومبيا تشيلي
القاهرة الرياض دبي أبوظبي الدوحة بغداد دمشق بيروت عمّان طهران أنقرة إسطنبول كابول
الخرطوم طرابلس بنغازي درنة الرباط الجزائر تونس صنعاء عدن القدس غزة رفح
جنين نابلس حلب حمص إدلب الموصل البصرة أربيل موسكو كييف واشنطن باريس لندن برلين روما
"""

# Capitals stand for their states: «قلب طهران» and «إيران» name no two places.
_CAPITALS_WRITTEN = {
    "القاهرة": "مصر", "الرياض": "السعودية", "أبوظبي": "الإمارات", "الدوحة": "قطر", "بغداد": "العراق",
    "دمشق": "سوريا", "بيروت": "لبنان", "طهران": "إيران", "أنقرة": "تركيا", "كابول": "أفغانستان",
    "الخرطوم": "السودان", "الرباط": "المغرب", "صنعاء": "اليمن", "موسكو": "روسيا", "كييف": "أوكرانيا",
    "واشنطن": "أمريكا", "باريس": "فرنسا", "لندن": "بريطانيا", "برلين": "ألمانيا", "روما": "إيطاليا",
}

# A dateline before the text proper («دبي، الإمارات العربية المتحدة (CNN) --»,
# «إسلام آباد –»): where the outlet wrote from, not where the event is.
_DATELINE = re.compile(r"^(?:(?:[^\s.:!?؟]+\s){0,2}[^\s.:!?؟]+|[^.:!?؟]{0,50}\))\s*(?:--|–|—)\s")
# «بعد أسبوع من …»: the item measures its event from an earlier one.
_LATER = re.compile(r"\bبعد (?:اسبوع|اسبوعين|ايام|يومين)\b")

_WHOLE_NAMES: dict[str, str] = {}  # filled below, once `stem` exists

_PREFIXES_LONGEST = tuple(sorted((p for p in PREFIXES if p), key=len, reverse=True))
_SUFFIXES = ("يات", "يين", "يون", "ات", "ون", "ين", "ان", "يه", "ها", "هما", "هم", "ه", "ي", "ا")
_MIN_STEM = 3
# Arabic decimal and thousands separators are not folded by NFKC.
_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ","})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_THOUSANDS = re.compile(r"^(\d{1,3}),(\d{3})$")
_WORD = re.compile(r"[^\W\d_]+")
# A figure worth agreeing on: any number key but a year, which many stories share.
_FIGURE = re.compile(r"#(?!(?:19|20)\d\d$)")

# Tuned on all of tests/data/stories/pairs.tsv (development data; see
# benchmarks/eval_stories.py): the independent estimate is a new blind set.
MIN_SHARED_WEIGHT = 12.0  # about two rare keys (a name and a number), or four common ones
MIN_COVER = 0.65  # of the better-covered headline's weight found in the other item
MIN_OVERLAP = 0.5  # of the lighter item's whole weight shared
MEASURE_TOLERANCE = 0.1  # relative: two magnitudes closer than this may be one estimate and another


@dataclass(frozen=True, slots=True)
class Signature:
    """What one item says about its event, reduced for comparison."""

    head: frozenset[str]  # keys of the headline
    keys: frozenset[str]  # keys of the headline and lead (numbers as «#296»)
    reach: frozenset[str]  # keys, and the states of the capitals among them
    measures: frozenset[str]  # numbers with a decimal part: magnitudes, rates
    places: frozenset[str]  # places the headline names
    tentative: bool  # a death it reports is unconfirmed (an attempt, a failure, a claim)
    before: frozenset[str]  # events the headline names only as a time («قبل وفاتها»)
    later: bool  # it dates its event from an earlier one («بعد أسبوع من …»)
    head_weight: float
    weight: float


@lru_cache(maxsize=131_072)
def stem(word: str) -> str:
    """A light stem of one normalized word: one clitic prefix and up to two suffixes off."""
    if word in _WHOLE_NAMES:  # «لبنان», «فرنسا», «بيروت»: the first letter is the name's own
        return _WHOLE_NAMES[word]
    for p in _PREFIXES_LONGEST:
        # A lone و/ف/ب/ك/ل may be the word's own first letter (وزير, فرنسا, بيروت):
        # taken off only when a long stem remains.
        rest = len(word) - len(p)
        if word.startswith(p) and rest >= (_MIN_STEM if len(p) > 1 else _MIN_STEM + 1):
            word = word[len(p):]
            break
    if word.startswith("ي") and len(word) > _MIN_STEM:  # a verb's present: يغادر → غادر, يتأهل → تأهل
        word = word[1:]
    word = BROKEN_PLURALS.get(word, word)
    for _ in range(3):  # الإيرانية → إيراني → إيران; إسبانيا → إسباني → إسبان
        for s in _SUFFIXES:
            if word.endswith(s) and len(word) - len(s) >= _MIN_STEM:
                word = word[: -len(s)]
                break
        else:
            break
    return BROKEN_PLURALS.get(word, word)


def _stems(written: str) -> list[str]:
    return [stem(normalize(w)) for w in written.split()]


_WHOLE_NAMES.update({w: stem("ال" + w) for w in map(normalize, _PLACES_WRITTEN.split())
                     if w[0] in "وفبكل" and not w.startswith("ال")})
stem.cache_clear()
_STOP = frozenset(_stems(_STOP_WRITTEN))
_CANON = {s: "~" + name for name, ws in _EVENT_WORDS.items() for s in _stems(ws)}
_PLACES = frozenset(_stems(_PLACES_WRITTEN)) - _STOP
_TENTATIVE = frozenset(_stems(_TENTATIVE_WRITTEN))
_PHRASES = {normalize(k): normalize(v) for k, v in _PHRASES_WRITTEN.items()}
_PHRASE = re.compile("|".join(rf"\b{re.escape(k)}\b" for k in sorted(_PHRASES, key=len, reverse=True)))
_DEATH = "~death"
_COUNTRY_OF = {stem(normalize(c)): stem(normalize(n)) for c, n in _CAPITALS_WRITTEN.items()}
_BEFORE = re.compile(r"\bقبل (\w+)")


def key(word: str) -> str | None:
    """The comparable key of one normalized word, or None for a word that says nothing."""
    s = stem(word)
    if s in _STOP or len(s) < 2:
        return None
    return _CANON.get(s, s)


def numbers(text: str) -> frozenset[str]:
    """The numbers in normalized `text`: «3,700» is 3700, «6,3» is 6.3."""
    out = set()
    for n in _NUMBER.findall(text.translate(_SEPARATORS)):
        m = _THOUSANDS.match(n)
        out.add(m[1] + m[2] if m else n.replace(",", "."))
    return frozenset(out)


def keys(text: str) -> frozenset[str]:
    """The keys of normalized `text`: content-word keys and its numbers (as «#296»)."""
    folded = _PHRASE.sub(lambda m: _PHRASES[m[0]], text)
    found = {k for w in _WORD.findall(folded) if (k := key(w)) is not None}
    return frozenset(found | {"#" + n for n in numbers(text)})


@lru_cache(maxsize=65_536)
def weight(k: str) -> float:
    """How much sharing `k` says: rarer in the background corpus, more (inverse document frequency)."""
    return math.log((DOCS + 1) / (DF.get(k, 1) + 1))


def _total(ks: frozenset[str]) -> float:
    return sum(weight(k) for k in ks)


@lru_cache(maxsize=8192)  # every poll compares with the same recent stories
def signature(headline: str, lead: str = "", lead_words: int = 30) -> Signature:
    """The headline and the first `lead_words` words of the lead, reduced."""
    head = _DATELINE.sub("", normalize(headline), count=1)
    text = head
    if lead:
        text += " " + " ".join(_DATELINE.sub("", normalize(lead), count=1).split()[:lead_words])
    hk, ks = keys(head), keys(text)
    measures = frozenset(n for n in numbers(text) if "." in n)
    tentative = _DEATH in ks and any(stem(w) in _TENTATIVE for w in _WORD.findall(text))
    before = frozenset(k for k in map(key, _BEFORE.findall(head)) if k is not None and k.startswith("~"))
    ks_places = ks | {_COUNTRY_OF[k] for k in ks if k in _COUNTRY_OF}
    later = bool(_LATER.search(text))
    return Signature(hk, ks, ks_places, measures, hk & _PLACES, tentative, before, later, _total(hk), _total(ks))


def _covers(a: Signature, b: Signature) -> float:
    """How much of `a`'s headline (by weight) `b` tells."""
    return _total(a.head & b.keys) / a.head_weight if a.head_weight else 0.0


def score(a: Signature, b: Signature) -> float:
    """Overall agreement in [0, 1]: the better-covered headline, or the whole texts'
    shared weight of the lighter one, whichever is higher."""
    shared = _total(a.keys & b.keys)
    light = min(a.weight, b.weight)
    overlap = shared / light if light else 0.0
    return max(max(_covers(a, b), _covers(b, a)), overlap)


def same_story(a: Signature, b: Signature) -> bool:
    """Precision first: no conflicting measure or place, enough rare weight shared,
    and one headline largely told by the other item (or the texts largely shared)."""
    if _disagree(a.measures, b.measures) or _other_places(a, b) or _unconfirmed(a, b) or _before(a, b) or _before(b, a) or a.later != b.later:
        return False
    common = a.keys & b.keys
    if len([k for k in common if _FIGURE.match(k)]) >= 2:
        return True  # two exact figures agree (a toll and the injured, a magnitude and a toll)
    shared = _total(common)
    if shared < MIN_SHARED_WEIGHT:
        return False
    light = min(a.weight, b.weight)
    if light and shared / light >= MIN_OVERLAP:
        return True
    return max(_covers(a, b), _covers(b, a)) >= MIN_COVER


def _disagree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two measured quantities that differ (a 6.2 and a 5.1 earthquake): two events.
    Agencies' first estimates differ a little (7.7 / 7.3, 6.3 / 6.4): within
    a tenth they may be one quake. Whole numbers may differ within one story
    (a toll that rises)."""
    if not (a and b) or a & b:
        return False
    return not any(abs(float(x) - float(y)) <= MEASURE_TOLERANCE * max(float(x), float(y)) for x in a for y in b)


def _before(a: Signature, b: Signature) -> bool:
    """`a`'s headline names as news an event `b`'s headline names only as a time
    («وفاة الملكة» / «الصورة الأخيرة للملكة قبل وفاتها»): two stories."""
    return bool(b.before & (a.head - a.before))


def _unconfirmed(a: Signature, b: Signature) -> bool:
    """Both report a death, one as an attempt, a failure or a claim, the other as
    fact: «فشل محاولة اغتيال …» / «… يؤكد مقتل …» are two moments of a story."""
    return _DEATH in a.keys and _DEATH in b.keys and a.tentative != b.tentative


def _other_places(a: Signature, b: Signature) -> bool:
    """Each headline names a place the other item never mentions: two events."""
    return bool(a.places - b.reach) and bool(b.places - a.reach)
