"""Topic matching: which topics does an item's text mention, and why.

Topics are indexed in a trie of their words' core forms, so matching an item
costs a few dictionary look-ups per word of text plus the matches, whatever
the number of topics. Each word of the text is analysed once (`bot.core.morphology.analyze`)
into the forms it may stand for; a topic matches when its words are found in
order, at most one extra word apart, inside one clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from bot.core.identity_cache import IdentityCache
from bot.core.models import Item, TopicMatch, WordHit
from bot.core.morphology import CLITIC, EXACT, analyze
from bot.core.normalize import Token, tokenize
from bot.core.senses import Senses
from bot.core.topics import Topic, WordSpec

MAX_GAP = 1  # extra words allowed between two words of a phrase

RULE_LABELS_AR = {
    "exact": "تطابق",
    "clitic": "سابقة متصلة",
    "nisba": "صفة نسب",
    "feminine": "تأنيث",
    "plural": "جمع",
    "broken_plural": "جمع تكسير",
    "pronoun": "ضمير متصل",
    "quoted": "مطابقة حرفية",
    "alias": "اسم بديل",
    "concept": "ضمن الموضوع",
}


Entry = tuple[str, int]  # (topic key, index of the pattern in topic.patterns)
BURST = 8  # a node holds this many passing patterns before giving them nodes of their own


class _Node:
    """A trie node: patterns ending here, and patterns passing through.

    Passing patterns are kept in a short list (`tails`) until there are more
    than BURST of them, then pushed one level down. Most phrases so stay in
    a list near the root (little memory), while a common opening such as
    «الولايات المتحدة», shared by thousands of patterns, grows real levels
    and is walked once instead of checked once per pattern.
    """

    __slots__ = ("children", "ends", "tails")

    def __init__(self) -> None:
        self.children: dict[str, _Node] | None = None
        self.ends: list[Entry] | None = None
        self.tails: list[tuple[tuple[WordSpec, ...], Entry]] | None = None

    def child(self, form: str) -> _Node:
        if self.children is None:
            self.children = {}
        node = self.children.get(form)
        if node is None:
            node = self.children[form] = _Node()
        return node

    def insert(self, pattern: tuple[WordSpec, ...], depth: int, entry: Entry) -> None:
        node, n = self, len(pattern)
        while depth < n and node.children is not None:
            below = node.children.get(pattern[depth].form)
            if below is None:
                break
            node, depth = below, depth + 1
        if depth == n:
            if node.ends is None:
                node.ends = []
            node.ends.append(entry)
            return
        if node.tails is None:
            node.tails = []
        node.tails.append((pattern, entry))
        if len(node.tails) > BURST:
            tails, node.tails = node.tails, None
            for p, e in tails:
                node.child(p[depth].form).insert(p, depth + 1, e)

    def discard(self, pattern: tuple[WordSpec, ...], depth: int, key: str) -> None:
        node: _Node | None = self
        while node is not None:
            if node.tails:
                node.tails = [t for t in node.tails if t[1][0] != key] or None
            if depth == len(pattern):
                node.ends = [e for e in node.ends or () if e[0] != key] or None
                return
            node = node.children.get(pattern[depth].form) if node.children else None
            depth += 1
        # Emptied nodes stay: harmless, and re-adding a topic is common.


class TopicIndex:
    """Distinct topics, indexed for matching; updated in place, never rebuilt.

    Patterns live in a trie keyed by their words' forms (see `_Node`).
    Matching walks it from each word of the text, following only the words
    that come next (at most one extra word apart, inside one clause).
    """

    def __init__(self, topics: Iterable[Topic] = ()) -> None:
        self._topics: dict[str, Topic] = {}
        self._root: dict[str, _Node] = {}
        for topic in topics:
            self.add(topic)

    def __len__(self) -> int:
        return len(self._topics)

    def __contains__(self, key: str) -> bool:
        return key in self._topics

    def get(self, key: str) -> Topic | None:
        return self._topics.get(key)

    def add(self, topic: Topic) -> None:
        if topic.key in self._topics:
            return
        self._topics[topic.key] = topic
        for i, pattern in enumerate(topic.patterns):
            first = self._root.get(pattern[0].form) or self._root.setdefault(pattern[0].form, _Node())
            first.insert(pattern, 1, (topic.key, i))

    def remove(self, key: str) -> None:
        topic = self._topics.pop(key, None)
        if topic is None:
            return
        for pattern in topic.patterns:
            first = self._root.get(pattern[0].form)
            if first is not None:
                first.discard(pattern, 1, key)

    def match_item(self, item: Item, rejected: dict[str, str] | None = None, lang: str = "ar") -> dict[str, TopicMatch]:
        """Every topic key the item mentions, with evidence (headline first).

        `rejected` collects why a found word is not the topic, in `lang` (for /test and `check`).
        """
        found = self.match_text(item.title, "title", rejected, lang)
        # The body only adds topics the headline did not already match (their evidence is the headline's).
        self._match_into(found, item.body, "body", rejected, lang)
        if rejected is not None:
            for key in found:
                rejected.pop(key, None)
        return found

    def match_text(
        self, text: str, field: str = "text", rejected: dict[str, str] | None = None, lang: str = "ar"
    ) -> dict[str, TopicMatch]:
        """Topics the text mentions. A match a sense rule vetoes is left out (its reason goes to `rejected`)."""
        found: dict[str, TopicMatch] = {}
        self._match_into(found, text, field, rejected, lang)
        return found

    def _match_into(
        self, found: dict[str, TopicMatch], text: str, field: str, rejected: dict[str, str] | None, lang: str = "ar"
    ) -> None:
        """Add to `found` the topics `text` mentions that it does not hold yet, in the order they are met."""
        tokens = tokenize(text)
        forms = [analyze(t.norm) for t in tokens]
        n = len(tokens)
        # Where the next word of a phrase may stand after each token: the
        # following one or two words (MAX_GAP = 1), inside the same clause.
        # Clause ids never decrease, so the word two ahead shares the clause
        # only if the next one does.
        after: list[tuple[int, ...]] = []
        for i in range(n - 2):
            c = tokens[i].clause
            after.append((i + 1, i + 2) if tokens[i + 2].clause == c else (i + 1,) if tokens[i + 1].clause == c else ())
        if n >= 2:
            after.append((n - 1,) if tokens[n - 1].clause == tokens[n - 2].clause else ())
        if n >= 1:
            after.append(())
        topics = self._topics
        # Whether a match starting at a token could be part of a person's name
        # (computed at most once per token, for the senses it was asked for).
        risky_senses: Senses | None = None
        risky: list[bool | None] = []
        vetoes: dict[tuple[int, tuple[str, ...], tuple[tuple[int, str], ...], bool, frozenset[str]], str | None] = {}
        for i in range(n):
            for key, p in self._candidates(forms, after, i):
                if key in found:
                    continue
                topic = topics[key]
                pattern = topic.patterns[p]
                chain = _chain(pattern, tokens, forms, i)
                if not chain:
                    continue
                senses = topic.senses
                reason = None
                if senses.rules or senses.persons:
                    # `veto` is called only when it might object (`Senses.may_veto_*`
                    # are its necessary conditions), so the result is the same.
                    if senses is not risky_senses:
                        risky_senses, risky = senses, [None] * n
                    start_risk = risky[i]
                    if start_risk is None:
                        start_risk = risky[i] = senses.may_veto_start(i, tokens)
                    concept = pattern[0].concept
                    if start_risk or (
                        senses.may_veto_word(pattern[0].form, chain[0][1])
                        if len(pattern) == 1
                        else any(senses.may_veto_word(spec.form, used) for (_, used), spec in zip(chain, pattern, strict=True))
                    ):
                        # Topics that share a word (aliases, concepts) ask the same question: asked once.
                        # The topic's own words matter only to the name checks (`names=start_risk`).
                        forms_used = tuple(s.form for s in pattern)
                        own = own_words(topic) if start_risk else _NO_WORDS
                        asked = (id(senses), forms_used, tuple(chain), concept, own)
                        if asked in vetoes:
                            reason = vetoes[asked]
                        else:
                            reason = vetoes[asked] = senses.veto(
                                forms_used, chain, tokens, lang, concept=concept, names=start_risk, own=own
                            )
                if reason is None:
                    found[key] = _evidence(topic, pattern, chain, tokens, text, field)
                    if rejected is not None:
                        rejected.pop(key, None)
                elif rejected is not None:
                    rejected.setdefault(key, f"{text[tokens[chain[0][0]].start : tokens[chain[-1][0]].end]} ← {reason}")

    def _candidates(self, forms: list[dict[str, str]], after: list[tuple[int, ...]], i: int) -> list[Entry]:
        """Patterns that may start at token i (every one is verified by `_chain`)."""
        out: list[Entry] = []
        root = self._root
        for form in forms[i]:
            node = root.get(form)
            if node is None:
                continue
            if node.ends:  # most first words end a one-word topic and go no deeper
                out.extend(node.ends)
            if node.tails or node.children:
                _walk_on(node, 1, forms, after, i, out)
        return out


def _walk_on(node: _Node, depth: int, forms: list[dict[str, str]], after: list[tuple[int, ...]], pos: int, out: list[Entry]) -> None:
    """Follow the words after token `pos` into `node`'s passing patterns and children."""
    nexts = after[pos]
    if node.tails:  # a cheap look at the next word spares most of _chain's work
        for pattern, entry in node.tails:
            form = pattern[depth].form
            for j in nexts:
                if form in forms[j]:
                    out.append(entry)
                    break
    if node.children:
        for j in nexts:
            for form in forms[j]:
                child = node.children.get(form)
                if child is None:
                    continue
                if child.ends:
                    out.extend(child.ends)
                if child.tails or child.children:
                    _walk_on(child, depth + 1, forms, after, j, out)


def _accept(spec: WordSpec, token: Token, cand: dict[str, str]) -> str | None:
    """The rule by which `token` stands for `spec`, or None."""
    if spec.exact:
        return "quoted" if token.norm == spec.form else None
    rule = cand.get(spec.form)
    if rule is None:
        return None
    if token.norm == spec.word:
        rule = EXACT
    if spec.concept and rule in (EXACT, CLITIC):
        return "concept"
    return "alias" if spec.alias and rule in (EXACT, CLITIC) else rule


def _chain(
    pattern: tuple[WordSpec, ...], tokens: tuple[Token, ...], forms: list[dict[str, str]], start: int
) -> list[tuple[int, str]] | None:
    """Token positions (and rules) that spell `pattern` from `start`, or None."""
    rule = _accept(pattern[0], tokens[start], forms[start])
    if rule is None:
        return None
    return _extend(pattern, 1, tokens, forms, [(start, rule)])


def _extend(
    pattern: tuple[WordSpec, ...],
    k: int,
    tokens: tuple[Token, ...],
    forms: list[dict[str, str]],
    chain: list[tuple[int, str]],
) -> list[tuple[int, str]] | None:
    if k == len(pattern):
        return chain
    prev = chain[-1][0]
    clause = tokens[prev].clause
    for j in range(prev + 1, min(prev + 2 + MAX_GAP, len(tokens))):
        if tokens[j].clause != clause:
            break
        rule = _accept(pattern[k], tokens[j], forms[j])
        if rule is not None:
            done = _extend(pattern, k + 1, tokens, forms, [*chain, (j, rule)])
            if done:
                return done
    return None


def _evidence(
    topic: Topic,
    pattern: tuple[WordSpec, ...],
    chain: list[tuple[int, str]],
    tokens: tuple[Token, ...],
    text: str,
    field: str,
) -> TopicMatch:
    start, end = tokens[chain[0][0]].start, tokens[chain[-1][0]].end
    if len(chain) == 1:  # most matches are one word: its span is the whole match's
        hits: tuple[WordHit, ...] = (_hit(text[start:end], pattern[0].source, chain[0][1]),)
    else:
        hits = tuple(
            _hit(text[tokens[j].start : tokens[j].end], spec.source, rule)
            for (j, rule), spec in zip(chain, pattern, strict=True)
        )
    return TopicMatch(topic.text, field, start, end, text[start:end], hits)


def own_words(topic: Topic) -> frozenset[str]:
    """Every word of a topic's patterns: its own given names («خليفة» of «خليفة حفتر») are no other person."""
    return _own_words(topic.patterns)


def _words_of(patterns: tuple[tuple[WordSpec, ...], ...]) -> frozenset[str]:
    return frozenset(s.word for p in patterns for s in p) | frozenset(s.form for p in patterns for s in p)


# Asked for every match the sense rules check: remembered by the patterns' identity.
_own_words = IdentityCache(_words_of)
_NO_WORDS: frozenset[str] = frozenset()


@lru_cache(maxsize=65_536)
def _hit(text: str, topic_word: str, rule: str) -> WordHit:
    # Immutable and repeated (news reuses words, topics share them): shared, not rebuilt per match.
    return WordHit(text, topic_word, rule)


def explain(match: TopicMatch, labels: dict[str, str] = RULE_LABELS_AR) -> str:
    """«الإيرانية ← إيران (صفة نسب)», one part per word that was not plain."""
    parts = [f"{h.text} ← {h.topic_word} ({labels.get(h.rule, h.rule)})" for h in match.hits]
    return "، ".join(parts)
