"""A subscriber's topic, parsed into the word patterns the matcher looks for."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.core.aliases import NO_ALIASES, Aliases
from bot.core.morphology import topic_core
from bot.core.normalize import tokenize
from bot.core.senses import NO_SENSES, Senses

_QUOTES = {'"': '"', "«": "»", "“": "”", "'": "'", "„": "“"}
MAX_PATTERNS = 48  # variants and concept phrases of one topic


@dataclass(frozen=True, slots=True)
class WordSpec:
    """One word a pattern needs: its core form and how strictly to match it."""

    form: str  # normalized; article stripped unless exact
    word: str  # normalized, article kept: the text's word equals it → "exact"
    source: str  # the topic word or alias variant as written, for explanations
    exact: bool = False  # quoted topic: this very word, nothing attached
    alias: bool = False
    concept: bool = False  # from a concept's expansion («طهران» for «إيران»)


@dataclass(frozen=True, slots=True)
class Topic:
    text: str  # as the subscriber wrote it
    key: str  # identity: two topics with one key are the same topic
    patterns: tuple[tuple[WordSpec, ...], ...]
    senses: Senses = NO_SENSES  # when a found word is not the named thing (see bot.core.senses)

    @property
    def exact(self) -> bool:
        return self.key.startswith('"')


def unquote(text: str) -> tuple[str, bool]:
    """Strip one pair of surrounding quotes; report whether there were any."""
    t = text.strip()
    if len(t) >= 2 and _QUOTES.get(t[0]) == t[-1]:
        return t[1:-1].strip(), True
    return t, False


def parse_topic(text: str, aliases: Aliases = NO_ALIASES) -> Topic | None:
    """Parse what a subscriber typed; None when nothing matchable is left."""
    inner, quoted = unquote(text)
    ws = _written_words(inner)
    if not ws:
        return None
    if quoted:
        spec = tuple(WordSpec(norm, norm, orig, exact=True) for orig, norm in ws)
        return Topic(text.strip(), '"' + " ".join(n for _, n in ws) + '"', (spec,))
    base = _specs(ws, alias=False)
    concepts = [_specs(_written_words(p), alias=False, concept=True) for p in aliases.expansions(inner)]
    patterns = [base, *_alias_patterns(inner, ws, aliases), *[p for p in concepts if p]]
    key = " ".join(s.form for s in base)
    return Topic(text.strip(), key, tuple(dict.fromkeys(patterns))[:MAX_PATTERNS], aliases.senses)


Written = tuple[tuple[str, str], ...]  # (as written, normalized) per word


@lru_cache(maxsize=65_536)
def _written_words(text: str) -> Written:
    return tuple((text[t.start : t.end], t.norm) for t in tokenize(text))


def _specs(ws: Written, *, alias: bool, concept: bool = False) -> tuple[WordSpec, ...]:
    return tuple(_spec(orig, norm, alias, concept) for orig, norm in ws)


@lru_cache(maxsize=262_144)
def _spec(orig: str, norm: str, alias: bool, concept: bool = False) -> WordSpec:
    # Shared, immutable specs: a large topic list repeats the same words, so
    # caching saves both the morphology work and the memory of copies.
    return WordSpec(topic_core(norm), norm, orig, alias=alias, concept=concept)


def _alias_patterns(inner: str, ws: Written, aliases: Aliases) -> list[tuple[WordSpec, ...]]:
    """Patterns for the whole topic's variants, then for each word's variants."""
    out = [_specs(_written_words(v), alias=True) for v in aliases.variants(inner)]
    if len(ws) > 1:
        for i, (orig, _) in enumerate(ws):
            for variant in aliases.variants(orig):
                vw = _written_words(variant)
                out.append(_specs(ws[:i], alias=False) + _specs(vw, alias=True) + _specs(ws[i + 1 :], alias=False))
    return [p for p in out if p]
