"""Arabic-aware text normalization and tokenization.

Everything that compares Arabic text (breaking markers, topics, dedup keys)
goes through `normalize` so that spelling noise never decides a match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Token:
    """One word: its normalized form, where it stands in the original text,
    and which clause it belongs to."""

    norm: str
    start: int
    end: int
    clause: int


def tokenize(text: str) -> tuple[Token, ...]:
    """Split `text` into whole words, keeping original spans and clause ids."""
    tokens: list[Token] = []
    clause = 0
    last_end = 0
    for m in WORD_RE.finditer(text):
        if CLAUSE_BREAK_RE.search(text, last_end, m.start()):
            clause += 1
        norm = normalize(m.group())
        last_end = m.end()
        if norm:
            tokens.append(Token(norm, m.start(), m.end(), clause))
    return tuple(tokens)


def words(text: str) -> list[str]:
    """Normalized words of `text`, without spans (the cheap path)."""
    return WORD_RE.findall(normalize(text))
