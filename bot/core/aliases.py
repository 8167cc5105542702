"""Spelling variants of names (ترامب/ترمب/Trump), as an immutable lookup.

The operator edits `config/aliases.toml`; `bot.app.config` reads the file and
hands the parsed groups here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bot.core.morphology import strip_article
from bot.core.normalize import words
from bot.core.senses import Senses


@lru_cache(maxsize=65_536)
def phrase_key(text: str) -> tuple[str, ...]:
    """The comparable form of a name or topic: normalized words, articles dropped."""
    return tuple(strip_article(w) for w in words(text))


@dataclass(frozen=True)
class Aliases:
    groups: tuple[tuple[str, ...], ...] = ()
    _by_key: Mapping[tuple[str, ...], tuple[int, ...]] = field(default_factory=dict, repr=False)
    _keys: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)  # variant → its key
    # One-way expansions of a concept topic («إيران» → «طهران» as the government), not symmetric like variants.
    concepts: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False)
    senses: Senses = field(default_factory=Senses, repr=False)

    def with_lexicon(self, concepts: Mapping[str, Iterable[str]], senses: Senses) -> Aliases:
        """The same variants, plus concept expansions and the sense rules."""
        table = {phrase_key(name): tuple(p.strip() for p in phrases if p.strip()) for name, phrases in concepts.items()}
        return replace(self, concepts=table, senses=senses)

    def expansions(self, text: str) -> tuple[str, ...]:
        """The phrases a concept topic also stands for (empty for a plain topic)."""
        return self.concepts.get(phrase_key(text), ()) if self.concepts else ()

    @classmethod
    def from_groups(cls, groups: Iterable[Iterable[str]]) -> Aliases:
        clean = tuple(tuple(v.strip() for v in g if v.strip()) for g in groups)
        by_key: dict[tuple[str, ...], list[int]] = {}
        keys = {v: phrase_key(v) for group in clean for v in group}
        for i, group in enumerate(clean):
            for variant in group:
                key = keys[variant]
                if key and i not in by_key.setdefault(key, []):
                    by_key[key].append(i)
        return cls(clean, {k: tuple(v) for k, v in by_key.items()}, keys)

    def variants(self, text: str) -> tuple[str, ...]:
        """Other spellings of `text` (not including itself), in file order."""
        if not self._by_key:
            return ()
        key = phrase_key(text)
        out: list[str] = []
        for i in self._by_key.get(key, ()):
            out.extend(v for v in self.groups[i] if self._keys[v] != key and v not in out)
        return tuple(out)

    def __len__(self) -> int:
        return len(self.groups)


NO_ALIASES = Aliases()
