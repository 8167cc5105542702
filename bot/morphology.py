"""Light, rule-based Arabic morphology for matching.

Root stemmers (ISRI, tashaphyne) conflate unrelated words (غزة/غزو,
أمريكا/أمير) and mangle names, so instead each word of an item is analysed
into a few *candidate topic forms*: strip an attached clitic prefix, then undo
one regular suffix (nisba, feminine, sound plural, possessive pronoun).
A topic word matches when its form is among the candidates.

All input is already normalized (see `bot.normalize`): ة is ه, ى is ي,
hamza seats are ء.
"""

from __future__ import annotations

from functools import lru_cache

# Rule names, in order of preference when several analyses give one form.
EXACT, CLITIC, FEMININE, PLURAL, NISBA, PRONOUN = "exact", "clitic", "feminine", "plural", "nisba", "pronoun"

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
        for form, rule in _suffix_forms(rest):
            _add(found, form, rule)
    return found


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
