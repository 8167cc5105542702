"""Names that are also ordinary words: when a match is not the named thing.

«مالي» is Mali and "financial"; «صور» is Tyre and "pictures"; «عباس» is a
president and the first name of a foreign minister. A native reader tells
them apart by the article, the inflection and the neighbouring words. These
rules are data (`config/senses.toml`, each with its reason), checked after a
topic's words were found, so they only ever remove a match, and the reason
is shown by /test and `check`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.identity_cache import IdentityCache
from bot.core.morphology import strip_article
from bot.core.normalize import Token, words

# Prefixes that carry the definite article (already normalized).
_ARTICLE_PREFIXES = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل")
_INFLECTED = frozenset({"feminine", "plural", "nisba", "broken_plural", "pronoun"})
# «X بن Y»: whatever follows «بن» is a father's name, part of someone else's name.
_PATRONYMIC = frozenset({"بن", "ابن", "بنت"})
# After a person's name: his son, another person («ترامب الابن», «رونالدو جونيور»).
_SON = frozenset({"الابن", "جونيور", "الصغير"})
# After a title: a former holder of it («الرئيس الأمريكي الأسبق»).
_FORMER = frozenset({"السابق", "الاسبق", "السابقه", "الراحل"})
# Any of these after a match may make it another person (`_other_person`).
_AFTER_A_NAME = _PATRONYMIC | _SON | _FORMER
# Given names that are also titles or common words («سلطان عمان», «أمل مصر»): before a
# name they do not make it someone's family name.
_ALSO_WORDS = frozenset(words("سلطان أمل نور هدى منى سعيد جمال كريم كمال رياض بدر"))


@dataclass(frozen=True, slots=True)
class SenseRule:
    """When one topic word, as found in a text, is NOT the named thing."""

    word: str  # the topic word's core form (normalized, no article)
    reason_ar: str
    reason_en: str
    no_article: bool = False  # a proper name that never takes ال: «المالي» is an adjective
    needs_article: bool = False  # only with ال: «دولار» alone is an amount
    no_inflection: bool = False  # «مالية», «حماسية», «الذهبية» are other words
    bad_prefixes: tuple[str, ...] = ()  # «بحماس» is "with enthusiasm"
    context: tuple[tuple[str, ...], ...] = ()  # one of these must stand near (e.g. «مدينة» for صور)…
    context_before: tuple[str, ...] = ()  # …or one of these words just before it («في مالي»)…
    clause_start: bool = False  # …or the word opens its clause («مالي تعلن…»)
    not_with: tuple[tuple[str, ...], ...] = ()  # none of these may stand within `window` words
    window: int = 4  # how near, in words, inside the clause
    not_before: tuple[str, ...] = ()  # the next word makes it another thing («أمريكا الجنوبية»)
    not_after: tuple[str, ...] = ()  # the previous word makes it another thing («التمر الهندي»)
    not_forms: tuple[str, ...] = ()  # morphology rules that make it another word («عراقة», «الذهبي»)
    allow_after: tuple[str, ...] = ()  # the previous word makes an article or nisba form right («الجيش المالي»)
    number_after: bool = False  # a number next means a measure («قطر 48 بوصة» is a diameter)
    not_before_endings: tuple[str, ...] = ()  # the next word ending so makes it another thing («طالبان مصريان»)
    family_name: bool = False  # a person's family name: another given name before it is another person…
    own_given: tuple[str, ...] = ()  # …unless it is one of these («دونالد ترامب», not «إيفانكا ترامب»)
    adjective_after_noun: bool = False  # a surname that is a nisba: after a definite noun it is an adjective


@dataclass(frozen=True, slots=True)
class Senses:
    rules: Mapping[str, SenseRule] = field(default_factory=dict)
    # Full names of people: a topic that is only part of one («عباس» in «عباس عراقجي») is someone else.
    persons: tuple[tuple[str, ...], ...] = ()
    # Given names: a nisba right after one is a surname («محمد شياع السوداني»), not a country.
    given_names: frozenset[str] = frozenset()
    # Words after which a nisba is a surname or a title («تركي آل الشيخ»).
    name_continuations: frozenset[str] = frozenset({"ال", "بن", "ابن"})
    # word → (name, position of the word in it), so that a match is compared only with the
    # listed names that contain its first word.
    person_index: Mapping[str, tuple[tuple[tuple[str, ...], int], ...]] = field(default_factory=dict)
    # Rules for a whole phrase («الاتحاد الأوروبي لكرة القدم» is UEFA), keyed by the phrase's forms.
    phrases: Mapping[tuple[str, ...], SenseRule] = field(default_factory=dict)
    phrase_words: frozenset[str] = frozenset()  # words of those phrases (a cheap test before the look-up)
    # Words before a name that make it the name of a place or an institution, not the thing itself:
    # any topic after `places` («شارع فلسطين»), a person after `institutions` («جامعة محمد بن زايد»).
    places: frozenset[str] = frozenset()
    institutions: frozenset[str] = frozenset()
    # Titles that open a person's name («الملك سلمان»), as core forms without the article.
    titles: frozenset[str] = frozenset()
    # A nisba right after one of these nouns names a kind of thing («الفول السوداني», «الحمام التركي»)…
    nisba_not_after: frozenset[str] = frozenset()
    # …and a nisba in a text with one of these phrases is a recipe or a product («طريقة عمل …».
    nisba_not_with: tuple[tuple[str, ...], ...] = ()
    # Words whose rule says they are a family name (a cheap test in `may_veto_start`).
    family_words: frozenset[str] = frozenset()
    named_after_words: frozenset[str] = frozenset()  # places | institutions

    @classmethod
    def build(
        cls,
        rules: Iterable[SenseRule] = (),
        persons: Iterable[str] = (),
        given_names: Iterable[str] = (),
        **lists: Iterable[str],
    ) -> Senses:
        """`lists`: places, institutions, titles, nisba_not_after, nisba_not_with (words or phrases)."""
        full = tuple(sorted({tuple(words(p)) for p in persons if len(words(p)) > 1}, key=len, reverse=True))
        given = frozenset(w for n in given_names for w in words(n))
        index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for name in full:
            for k, w in enumerate(name):
                index.setdefault(w, []).append((name, k))
        single = {r.word: r for r in rules if " " not in r.word}
        phrases = {tuple(r.word.split()): r for r in rules if " " in r.word}

        def flat(key: str) -> frozenset[str]:
            return frozenset(w for v in lists.get(key, ()) for w in words(v))

        return cls(
            single, full, given, person_index={w: tuple(v) for w, v in index.items()}, phrases=phrases,
            phrase_words=frozenset(w for p in phrases for w in p),
            places=flat("places"), institutions=flat("institutions"),
            titles=frozenset(strip_article(w) for w in flat("titles")), nisba_not_after=flat("nisba_not_after"),
            nisba_not_with=tuple(tuple(words(v)) for v in lists.get("nisba_not_with", ())),
            family_words=frozenset(w for w, r in single.items() if r.family_name),
            named_after_words=flat("places") | flat("institutions"),
        )

    def rule(self, form: str) -> SenseRule | None:
        return self.rules.get(form)

    def is_person(self, forms: Sequence[str]) -> bool:
        """Whether a topic (its words' core forms) names a person: a given name, a title or «بن» in it,
        or a family name that has its own rule («ترامب»)."""
        if not forms:
            return False
        rule = self.rules.get(forms[-1])
        return (
            forms[0] in self.given_names
            or forms[0] in self.titles
            or any(f in _PATRONYMIC for f in forms)
            or (rule is not None and rule.family_name)
        )

    def veto(
        self,
        forms: Sequence[str],
        chain: Sequence[tuple[int, str]],
        tokens: Sequence[Token],
        lang: str = "ar",
        *,
        concept: bool = False,
        names: bool = True,
        own: frozenset[str] = frozenset(),
    ) -> str | None:
        """Why this match (topic word forms `forms`, found at `chain`) is not the topic, or None.

        Word rules judge single words and concept phrases; a phrase the
        subscriber wrote («سعر الدولار») is specific enough on its own.
        `names=False`: the caller found `may_veto_start` False, so the
        patronymic and listed-person checks cannot object and are skipped.
        """
        first, last = chain[0][0], chain[-1][0]
        if names and self._patronymic(first, tokens):
            return _say(lang, "جزء من اسم شخص آخر («… بن …»)", "part of another person's name (… bin …)")
        person = self._inside_person(first, last, tokens) if names else None
        if person:
            name = " ".join(person)
            return _say(lang, f"جزء من اسم «{name}»", f"part of the name «{name}»")
        named = self._named_after(forms, first, tokens, lang, own) if names else None
        if named:
            return named
        other = self._other_person(forms, first, last, own, tokens) if names else None
        if other:
            return _say(lang, f"شخص آخر: «{other}»", f"another person: «{other}»")
        if len(chain) > 1 and not concept:
            return self._phrase_veto(forms, chain, tokens, lang)
        whole = len(chain) > 1  # a concept's phrase found whole («البيت الأبيض»): context is not needed
        for (pos, rule_used), form in zip(chain, forms, strict=True):
            reason = self._word_veto(form, pos, rule_used, tokens, lang, whole)
            if reason:
                return reason
        return None

    def _named_after(
        self, forms: Sequence[str], first: int, tokens: Sequence[Token], lang: str, own: frozenset[str] = frozenset()
    ) -> str | None:
        """«شارع فلسطين» is a street, «جامعة محمد بن زايد» a university: named after the thing, not it.

        The match may be a shorter form of the name («بن زايد»): the topic's own
        words before it belong to the name, so the word that decides is before them."""
        prev = _previous(tokens, first)
        for _ in range(3):
            if prev is None or tokens[prev].norm not in own:
                break
            prev = _previous(tokens, prev)
        if prev is not None and strip_article(tokens[prev].norm) in self.titles:
            prev = _previous(tokens, prev)  # «جائزة [الأمير] محمد بن سلمان»
        if prev is None:
            return None
        word = tokens[prev].norm
        if _member(word, self.places) or (_member(word, self.institutions) and self.is_person(forms)):
            return _say(lang, f"اسم مكان أو مؤسسة: «{word} …»", f"the name of a place or an institution: «{word} …»")
        return None

    def _other_person(
        self, forms: Sequence[str], first: int, last: int, own: frozenset[str], tokens: Sequence[Token]
    ) -> str | None:
        """«صدام حفتر» for «خليفة حفتر», «محمد رمضان» for the month: a given name that is not
        the topic's own stands right before the match, so the match is someone's family name.
        «كريستيانو رونالدو جونيور»: a son's name after it is another person too."""
        prev = _previous(tokens, first)
        if prev is not None:
            word = tokens[prev].norm
            if word in self.given_names and word not in _ALSO_WORDS and word not in own and not self._own_given(forms, word):
                return f"{word} {tokens[first].norm}"
        nxt = last + 1
        if nxt >= len(tokens) or tokens[nxt].clause != tokens[last].clause:
            return None
        after, word = tokens[nxt].norm, tokens[last].norm
        if after in _SON and self.is_person(forms):
            return f"{word} {after}"
        if after in _PATRONYMIC and not any(f in _PATRONYMIC for f in forms):
            return f"{word} {after} …"  # «الحجاج بن يوسف», «الخليل بن أحمد»: a person's own name
        if len(forms) > 1 and after in _FORMER:
            return f"{tokens[first].norm} … {after}"  # «الرئيس الأمريكي الأسبق»: a former holder of the title
        rule = self.rules.get(forms[-1]) if forms else None
        if rule is not None and rule.family_name and first == last and _is_surname_nisba(after, own):
            return f"{word} {after}"  # «عباس النوري»: a given name with another family name
        return None

    def _own_given(self, forms: Sequence[str], word: str) -> bool:
        rule = self.rules.get(forms[-1]) if forms else None
        return rule is not None and word in rule.own_given

    def _phrase_veto(self, forms: Sequence[str], chain: Sequence[tuple[int, str]], tokens: Sequence[Token], lang: str) -> str | None:
        """A phrase found whole: its own rule, or the words around it that make it another thing.

        The first word's «not_after» and the last word's «not_before» still
        apply («البنك الأهلي المصري» is a bank, «سعر الدولار الكندي» another currency).
        """
        first, last = chain[0][0], chain[-1][0]
        rule = self.phrases.get(tuple(forms))
        if rule is not None and (
            _neighbour(tokens, last, +1, rule.not_before)
            or _neighbour(tokens, first, -1, rule.not_after)
            or (bool(rule.not_with) and _near(tokens, last, rule.not_with, rule.window))
        ):
            return rule.reason_ar if lang == "ar" else rule.reason_en
        head, tail = self.rules.get(forms[0]), self.rules.get(forms[-1])
        if head is not None and _neighbour(tokens, first, -1, head.not_after):
            return head.reason_ar if lang == "ar" else head.reason_en
        if tail is not None and _neighbour(tokens, last, +1, tail.not_before):
            return tail.reason_ar if lang == "ar" else tail.reason_en
        return None

    def may_veto_start(self, first: int, tokens: Sequence[Token]) -> bool:
        """Whether a match starting at token `first` might be part of someone's name.

        A cheap necessary condition for the patronymic and listed-person vetoes
        (`_patronymic`, `_inside_person`), the only ones that apply to every
        match: when it is False and no matched word has a rule or is a nisba
        (see `may_veto_word`), `veto` surely returns None and is not called.
        It runs for every place a topic is found, so it is written out flat.
        """
        token = tokens[first]
        clause, word = token.clause, token.norm
        if first > 0 and tokens[first - 1].clause == clause:
            before = tokens[first - 1].norm
            if (
                before in _PATRONYMIC  # «بن [زايد]»
                or before in self.given_names
                or _with_one_prefix(before, self.named_after_words)
                or strip_article(before) in self.titles  # «جائزة الأمير محمد بن سلمان»: the word before the title may name an institution
            ):
                return True
            if word in _PATRONYMIC and first > 1 and tokens[first - 2].clause == clause and tokens[first - 2].norm in _PATRONYMIC:
                return True
        # What follows the match may make it someone else: «الحجاج بن يوسف», «… الأسبق», «عباس النوري».
        stop = min(first + 5, len(tokens))
        j = first + 1
        while j < stop and tokens[j].clause == clause:
            if tokens[j].norm in _AFTER_A_NAME:
                return True
            j += 1
        # «عباس النوري»: a nisba surname right after a one-word family name (`_other_person`'s last case).
        if (
            self.family_words
            and first + 1 < stop
            and tokens[first + 1].clause == clause
            and _is_surname_nisba(tokens[first + 1].norm, frozenset())
            and any(word.endswith(w) for w in self.family_words)
        ):
            return True
        index = self.person_index
        return bool(index) and (word in index or word[1:] in index or word[2:] in index)

    def may_veto_word(self, form: str, used: str) -> bool:
        """Whether `_word_veto` might object to a word found by rule `used` (a cheap necessary condition)."""
        return used != "quoted" and (used == "nisba" or form in self.rules or form in self.phrase_words)
    def _word_veto(self, form: str, pos: int, used: str, tokens: Sequence[Token], lang: str, whole: bool = False) -> str | None:
        if used == "quoted":
            return None  # the subscriber asked for this very word
        if used == "nisba":
            reason = self._nisba_veto(pos, tokens, lang)
            if reason:
                return reason
        rule = self.rules.get(form)
        if rule is None:
            return None
        return (rule.reason_ar if lang == "ar" else rule.reason_en) if self._breaks(rule, form, pos, used, tokens, whole) else None

    def _nisba_veto(self, pos: int, tokens: Sequence[Token], lang: str) -> str | None:
        """A nisba («السوداني», «التركي») that names a person, a club or a kind of thing, not the country."""
        token = tokens[pos].norm
        if self._surname(pos, tokens):
            return _say(lang, f"لقب شخص: «{token}»", f"a person's surname: «{token}»")
        if _opens_clause(tokens, pos) and token.startswith("ال") and token.endswith("ي") and len(token) > 4:
            # An adjective follows its noun; a definite singular nisba that opens the clause is itself
            # the noun: a person or a club («السوداني يبحث…», «المصري يفوز…»).
            return _say(lang, f"اسم شخص أو نادٍ: «{token}»", f"a person's or a club's name: «{token}»")
        if _neighbour(tokens, pos, -1, tuple(self.nisba_not_after)) or (
            self.nisba_not_with and _near(tokens, pos, self.nisba_not_with, 8)
        ):
            return _say(lang, f"صفة لشيء آخر: «{token}»", f"an adjective of something else: «{token}»")
        return None

    def _breaks(self, rule: SenseRule, form: str, pos: int, used: str, tokens: Sequence[Token], whole: bool = False) -> bool:
        token = tokens[pos].norm
        allowed = bool(rule.allow_after) and _neighbour(tokens, pos, -1, rule.allow_after)
        return (
            (not allowed and rule.no_article and _has_article(token, form))
            or (rule.needs_article and not _has_article(token, form) and used != "pronoun")
            or (not allowed and rule.no_inflection and used in _INFLECTED)
            or used in rule.not_forms
            or any(token == p + form or (token.startswith(p + form[:-1]) and len(token) <= len(p) + len(form) + 1) for p in rule.bad_prefixes)
            or _neighbour(tokens, pos, +1, rule.not_before)
            or _neighbour(tokens, pos, -1, rule.not_after)
            or (rule.number_after and _next_is_number(tokens, pos))
            or (bool(rule.not_before_endings) and _next_ends_with(tokens, pos, rule.not_before_endings))
            or (rule.family_name and self._other_given_name(rule, pos, tokens))
            or (rule.adjective_after_noun and self._after_definite_noun(pos, tokens))
            or (not allowed and not whole and not _in_context(rule, tokens, pos))
            or (bool(rule.not_with) and _near(tokens, pos, rule.not_with, rule.window))
        )

    def _other_given_name(self, rule: SenseRule, pos: int, tokens: Sequence[Token]) -> bool:
        """«إيفانكا ترامب», «يائير نتنياهو»: another given name before the family name is another person."""
        prev = _previous(tokens, pos)
        if prev is None:
            return False
        word = tokens[prev].norm
        return word in self.given_names and word not in rule.own_given

    def _after_definite_noun(self, pos: int, tokens: Sequence[Token]) -> bool:
        """«الجيش السوداني»: after a definite noun (not a title or a given name) a nisba is an adjective."""
        prev = _previous(tokens, pos)
        if prev is None:
            return False
        word = tokens[prev].norm
        return word.startswith("ال") and strip_article(word) not in self.titles and word not in self.given_names

    @staticmethod
    def _patronymic(first: int, tokens: Sequence[Token]) -> bool:
        """The match is a father's or grandfather's name: «خالد بن [محمد بن زايد]», «محمد [بن زايد]» after «بن»."""
        clause = tokens[first].clause

        def is_bin(j: int) -> bool:
            return j >= 0 and tokens[j].clause == clause and tokens[j].norm in _PATRONYMIC

        return is_bin(first - 1) or (tokens[first].norm in _PATRONYMIC and is_bin(first - 2))

    def _surname(self, pos: int, tokens: Sequence[Token]) -> bool:
        """A nisba after a given name (one or two words back), or before «آل»/«بن», names a person."""
        clause = tokens[pos].clause
        before = [tokens[j].norm for j in (pos - 1, pos - 2) if j >= 0 and tokens[j].clause == clause]
        after = tokens[pos + 1].norm if pos + 1 < len(tokens) and tokens[pos + 1].clause == clause else ""
        return any(w in self.given_names for w in before) or after in self.name_continuations

    def _inside_person(self, first: int, last: int, tokens: Sequence[Token]) -> tuple[str, ...] | None:
        """A listed full name that covers the match without its family name: someone else.

        «عباس» inside «عباس عراقجي» is not Mahmoud Abbas; «عراقجي» (the
        family name, which identifies the person) is still Araghchi.
        """
        if not self.person_index:
            return None
        word = tokens[first].norm
        span = last - first + 1
        for key in {word, word[1:], word[2:]}:
            for name, k in self.person_index.get(key, ()):
                start, n = first - k, len(name)
                end = start + n - 1
                if n > span and start >= 0 and last < end < len(tokens) and all(
                    _same_word(tokens[start + j].norm, name[j]) for j in range(n)
                ):
                    return name
        return None


def _say(lang: str, ar: str, en: str) -> str:
    return ar if lang == "ar" else en


def _previous(tokens: Sequence[Token], pos: int) -> int | None:
    """The word before `pos` in the same clause, if any."""
    j = pos - 1
    return j if j >= 0 and tokens[j].clause == tokens[pos].clause else None


def _opens_clause(tokens: Sequence[Token], pos: int) -> bool:
    return _previous(tokens, pos) is None


def _member(token: str, wanted: frozenset[str]) -> bool:
    """`token` is one of `wanted`, perhaps with one attached «و ف ب ل ال» («بشارع»، «وجامعة»)."""
    if not wanted:
        return False
    return _with_one_prefix(token, wanted)


def _with_one_prefix(token: str, wanted: frozenset[str] | tuple[str, ...]) -> bool:
    """`token` is in `wanted` as it is or without one attached «و ف ب ل ال» (spelled out: this runs per match)."""
    return (
        token in wanted
        or (token[:1] in _ONE_LETTER_PREFIXES and token[1:] in wanted)
        or (token[:2] == "ال" and token[2:] in wanted)
    )


def _is_surname_nisba(word: str, own: frozenset[str]) -> bool:
    return word.startswith("ال") and word.endswith("ي") and len(word) > 4 and word not in own


def _next_is_number(tokens: Sequence[Token], pos: int) -> bool:
    """A measure follows («قطر 48 بوصة»); a year does not count («قطر 2022» is the World Cup)."""
    j = pos + 1
    if j >= len(tokens) or tokens[j].clause != tokens[pos].clause or not tokens[j].norm.isdigit():
        return False
    word = tokens[j].norm
    return not (len(word) == 4 and word[:2] in ("19", "20"))


def _next_ends_with(tokens: Sequence[Token], pos: int, endings: tuple[str, ...]) -> bool:
    j = pos + 1
    return j < len(tokens) and tokens[j].clause == tokens[pos].clause and tokens[j].norm.endswith(endings)


_SAME_WORD_PREFIXES = frozenset({"و", "ف", "ب", "ل", "ال"})
_ONE_LETTER_PREFIXES = frozenset({"و", "ف", "ب", "ل"})


def _same_word(token: str, word: str) -> bool:
    """`token` is `word`, or `word` with one attached «و ف ب ل ال» (one slice, not five concatenations)."""
    return token == word or (token.endswith(word) and token[: len(token) - len(word)] in _SAME_WORD_PREFIXES)


def _has_article(token: str, form: str) -> bool:
    return any(token.startswith(p) and token[len(p) :].startswith(form[: max(1, len(form) - 1)]) for p in _ARTICLE_PREFIXES)


def _neighbour(tokens: Sequence[Token], pos: int, step: int, wanted: tuple[str, ...]) -> bool:
    j = pos + step
    if not wanted or not 0 <= j < len(tokens) or tokens[j].clause != tokens[pos].clause:
        return False
    # «بحي الزمالك» is «حي الزمالك»: one attached «و ف ب ل ال» does not change the neighbour.
    return _with_one_prefix(tokens[j].norm, wanted)


def _in_context(rule: SenseRule, tokens: Sequence[Token], pos: int) -> bool:
    """True when the rule asks for no context, or one of its context clues is there."""
    if not (rule.context or rule.context_before or rule.clause_start):
        return True
    if rule.clause_start and (pos == 0 or tokens[pos - 1].clause != tokens[pos].clause):
        return True
    if rule.context_before and _neighbour(tokens, pos, -1, rule.context_before):
        return True
    return bool(rule.context) and _near(tokens, pos, rule.context, rule.window)


def _near(tokens: Sequence[Token], pos: int, context: tuple[tuple[str, ...], ...], window: int) -> bool:
    lo, hi = max(0, pos - window), min(len(tokens), pos + window + 1)
    seq = [t.norm for t in tokens[lo:hi] if t.clause == tokens[pos].clause]
    # No word here begins any of the phrases (as written or after one attached «و ف ب ل ال»):
    # the usual answer, found with set look-ups instead of a scan per phrase.
    firsts = _first_words(context)
    if not any(_with_one_prefix(w, firsts) for w in seq):
        return False
    for phrase in context:
        n = len(phrase)
        for i in range(len(seq) - n + 1):
            if all(_same_word(seq[i + k], phrase[k]) for k in range(n)):
                return True
    return False


# The first words of a rule's phrases, remembered by the (long-lived) tuple's identity.
_first_words: IdentityCache[tuple[tuple[str, ...], ...], frozenset[str]] = IdentityCache(
    lambda context: frozenset(p[0] for p in context if p), limit=4096
)

NO_SENSES = Senses()
