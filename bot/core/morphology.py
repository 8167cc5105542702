"""Light, rule-based Arabic morphology for matching.

Root stemmers (ISRI, tashaphyne) conflate unrelated words (غزة/غزو,
أمريكا/أمير) and mangle names, so instead each word of an item is analysed
into a few *candidate topic forms*: strip an attached clitic prefix, then undo
one regular suffix (nisba, feminine, sound plural, possessive pronoun).
A topic word matches when its form is among the candidates.

All input is already normalized (see `bot.core.normalize`): ة is ه, ى is ي,
hamza seats are ء.
"""

from __future__ import annotations

from functools import lru_cache

# Rule names, in order of preference when several analyses give one form.
EXACT, CLITIC, FEMININE, PLURAL, NISBA, PRONOUN = "exact", "clitic", "feminine", "plural", "nisba", "pronoun"
BROKEN_PLURAL = "broken_plural"

# Broken plurals cannot be derived by rule without a root stemmer (and its
# false friends), so the ones news uses every day are listed: singular → plural,
# as written; they are normalized below.
_BROKEN_PLURALS_WRITTEN = {
    "سعر": "أسعار", "بنك": "بنوك", "ميناء": "موانئ", "مطر": "أمطار", "سوق": "أسواق", "شهر": "أشهر",
    "يوم": "أيام", "دولة": "دول", "مدينة": "مدن", "جيش": "جيوش", "حزب": "أحزاب", "وزير": "وزراء",
    "رئيس": "رؤساء", "سفينة": "سفن", "صاروخ": "صواريخ", "قاعدة": "قواعد", "منطقة": "مناطق",
    "أسير": "أسرى", "قتيل": "قتلى", "جريح": "جرحى", "سجين": "سجناء", "شهيد": "شهداء", "لاعب": "لاعبون",
    "سهم": "أسهم", "نفق": "أنفاق", "حدود": "حدود", "بلد": "بلدان", "شعب": "شعوب", "طفل": "أطفال",
    "مستشفى": "مستشفيات", "جامعة": "جامعات", "مدرسة": "مدارس", "مسجد": "مساجد", "كنيسة": "كنائس",
    "قرية": "قرى", "حي": "أحياء", "شارع": "شوارع", "طريق": "طرق", "جسر": "جسور", "مصنع": "مصانع",
    "مصرف": "مصارف", "عملة": "عملات", "قرار": "قرارات", "قانون": "قوانين", "حاكم": "حكام", "ملك": "ملوك",
    "أمير": "أمراء", "سفير": "سفراء", "نائب": "نواب", "قائد": "قادة", "ضابط": "ضباط", "جندي": "جنود",
    "مقاتل": "مقاتلون", "لاجئ": "لاجئون", "مهاجر": "مهاجرون", "صحفي": "صحفيون", "طبيب": "أطباء",
    "عامل": "عمال", "تاجر": "تجار", "مستثمر": "مستثمرون", "مصدر": "مصادر", "خبر": "أخبار",
    "زلزال": "زلازل", "إعصار": "أعاصير", "سيل": "سيول", "عاصفة": "عواصف", "بركان": "براكين",
    "نهر": "أنهار", "بحر": "بحار", "جزيرة": "جزر", "جبل": "جبال", "حقل": "حقول", "بئر": "آبار",
    "سلاح": "أسلحة", "دبابة": "دبابات", "طائرة": "طائرات", "مسيرة": "مسيرات", "لغم": "ألغام",
    "ملف": "ملفات", "روسيا": "الروس", "أمريكا": "الأمريكان", "العراق": "العراقيون",
}



_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ك", "ل")
# ل + ال is written لل; every other combination simply concatenates.
PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {c + p + a for c in _CONJ for p in _PREP for a in ("", "ال")} - {"لال", "ولال", "فلال"}
        | {"لل", "ولل", "فلل"},
        key=len,
    )
)

_NISBA_ENDINGS = ("يين", "يون", "يان", "يات", "يه", "ي")
_PRONOUNS = ("هما", "هم", "ها", "كم", "نا", "ه")
_MIN_STEM = 2


def _broken_plurals() -> dict[str, str]:
    from bot.core.normalize import (
        normalize,  # local: normalize imports nothing from here, keep it that way
    )

    table: dict[str, str] = {}
    for singular, plural in _BROKEN_PLURALS_WRITTEN.items():
        core = strip_article(normalize(plural))
        if core != strip_article(normalize(singular)):
            table[core] = strip_article(normalize(singular))
    return table


def strip_article(word: str) -> str:
    """A topic word's core: without its article, since «ملف» should find «الملف»."""
    if word.startswith("ال") and len(word) > 3 and word != "الله":
        return word[2:]
    return word


@lru_cache(maxsize=262_144)
def analyze(token: str) -> dict[str, str]:
    """Candidate topic cores for one normalized word, each with its rule.

    The result is small (a handful of forms) and cached: news reuses words.
    """
    found: dict[str, str] = {token: EXACT}
    if not _is_arabic(token):
        return found
    for prefix in PREFIXES:
        if not token.startswith(prefix):
            continue
        rest = token[len(prefix):]
        if len(rest) < _MIN_STEM:
            continue
        _add(found, rest, EXACT if not prefix else CLITIC)
        if rest in BROKEN_PLURALS:
            _add(found, BROKEN_PLURALS[rest], BROKEN_PLURAL)
        for form, rule in _suffix_forms(rest):
            _add(found, form, rule)
    return found


@lru_cache(maxsize=65_536)
def topic_core(word: str) -> str:
    """A topic word's matching core: no article, and a nisba plural made singular
    (الحوثيين → حوثي), since the text's singular and plurals all reach the singular."""
    core = strip_article(word)
    if len(core) >= 5 and core.endswith(("يين", "يون")):
        return core[:-2]
    return core


def _add(found: dict[str, str], form: str, rule: str) -> None:
    if form not in found:
        found[form] = rule


def _suffix_forms(word: str) -> list[tuple[str, str]]:
    """Forms of `word` with one regular suffix undone."""
    forms: list[tuple[str, str]] = []
    n = len(word)
    # Feminine of an adjective in ي: النووية → النووي. Only after ي, so that
    # قطرة (a drop) never reaches قطر.
    if word.endswith("يه") and n >= 4:
        forms.append((word[:-1], FEMININE))
    # Sound plurals and duals; short stems are excluded because قطرات, مصرين,
    # لبن+ان are different words, not inflections of a 3-letter topic.
    if word.endswith("ات") and n - 2 >= 3:
        stem = word[:-2]
        if n - 2 >= 4 or stem.endswith("ي"):
            forms.append((stem, PLURAL))
        forms.append((stem + "ه", PLURAL))  # مفاوضات → مفاوضه
    for ending in ("ون", "ين", "ان"):
        stem = word[:-2]
        if word.endswith(ending) and (len(stem) >= 4 or (len(stem) >= 3 and stem.endswith("ي"))):
            forms.append((stem, PLURAL))
    for ending in _NISBA_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= _MIN_STEM:
            forms.extend((s, NISBA) for s in _nisba_nouns(stem))
            break
    forms.extend(_pronoun_forms(word))
    return forms


def _nisba_nouns(stem: str) -> tuple[str, ...]:
    """Nouns a nisba stem can come from: مصر‑ي, أمريك‑ي ← أمريكا, روس‑ي ← روسيا, سعودي‑ة."""
    return (stem, stem + "ا", stem + "يا", stem + "يه", stem + "ه")


def _pronoun_forms(word: str) -> list[tuple[str, str]]:
    for ending in _PRONOUNS:
        stem = word[: -len(ending)]
        if not word.endswith(ending) or len(stem) < 3:
            continue
        if ending == "ه" and len(stem) < 4:
            continue  # a lone ه is too often part of the word itself
        if stem.endswith("ت"):
            return [(stem, PRONOUN), (stem[:-1] + "ه", PRONOUN)]  # حكومتها → حكومه
        return [(stem, PRONOUN)]
    return []


def _is_arabic(word: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in word)


BROKEN_PLURALS: dict[str, str] = _broken_plurals()
