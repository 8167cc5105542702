"""Arabic-aware text normalization and tokenization.

Everything that compares Arabic text (breaking markers, topics, dedup keys)
goes through `normalize` so that spelling noise never decides a match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Harakat, Quranic annotation marks and superscript alef carry no meaning for
# matching; tatweel is pure typography; zero-width and bidi controls are
# invisible artefacts of copy-paste and CMS editors.
_DROP = (
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
    + [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u061c", "\u00ad"]
)

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه",
    # Hamza seats vary between outlets (مسؤول / مسئول): fold both to bare hamza.
    "ؤ": "ء", "ئ": "ء",
    "ی": "ي", "ک": "ك",  # Persian letters that leak into Arabic copy
}

_TABLE: dict[int, str | None] = {ord(ch): None for ch in _DROP}
_TABLE.update({ord(k): v for k, v in _FOLD.items()})
_TABLE.update({0x0660 + i: str(i) for i in range(10)})  # Arabic-Indic digits
_TABLE.update({0x06F0 + i: str(i) for i in range(10)})  # Eastern Arabic-Indic digits

# A word in *original* text: letters/digits plus the marks we drop, so that
# «عاجِـل» stays one word and spans point at the source.
_DROP_CLASS = "".join(re.escape(ch) for ch in _DROP)
WORD_RE = re.compile(rf"(?:[^\W_]|[{_DROP_CLASS}])+")

# Punctuation that ends a clause; phrase topics never match across it.
CLAUSE_BREAK_RE = re.compile(r"[.،؛;:|…!?؟,\n\r\u06d4]")


_MARKS_ONLY: dict[int, str | None] = {ord(ch): None for ch in _DROP}


def strip_marks(text: str) -> str:
    """Remove diacritics, tatweel and invisible marks, but keep spelling (for display)."""
    return text.translate(_MARKS_ONLY)


def normalize(text: str) -> str:
    """Fold `text` to the canonical form used for every comparison."""
    return unicodedata.normalize("NFKC", text).translate(_TABLE).casefold()


class Token(NamedTuple):
    """One word: its normalized form, where it stands in the original text,
    and which clause it belongs to. (A named tuple: items have hundreds of
    words, and a tuple is the cheapest immutable record to build.)"""

    norm: str
    start: int
    end: int
    clause: int


def tokenize(text: str) -> tuple[Token, ...]:
    """Split `text` into whole words, keeping original spans and clause ids."""
    tokens: list[Token] = []
    append = tokens.append
    breaks = [b.start() for b in CLAUSE_BREAK_RE.finditer(text)]
    breaks.append(len(text) + 1)  # a sentinel after every word: no bounds checks below
    clause = k = 0
    next_break = breaks[0]
    normalize_word = _normalize_word
    new = tuple.__new__  # Token(…) without the named tuple's Python-level __new__: items have hundreds of words
    for m in WORD_RE.finditer(text):
        start, end = m.span()
        if next_break < start:  # punctuation since the last word
            clause += 1
            k += 1
            while breaks[k] < start:
                k += 1
            next_break = breaks[k]
        norm = normalize_word(m.group())
        if norm:
            append(new(Token, (norm, start, end, clause)))
    return tuple(tokens)


@lru_cache(maxsize=131_072)
def _normalize_word(word: str) -> str:
    return normalize(word)


def words(text: str) -> list[str]:
    """Normalized words of `text`, without spans (the cheap path)."""
    return WORD_RE.findall(normalize(text))
