"""Gazetteer: what each feature is called and how it is told, compiled for the matcher.

Each feature's entry (from its layer YAML) gives names (aliases), a route rule
(its ends and head nouns), an event rule (visitor, place, time), nouns that
refer back to it, exclusions and curated quotes. ``Gazetteer`` folds every
phrase into word keys (``geo.folding``) and indexes them by their first key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from geo.folding import Phrase, phrase_keys, phrases, skeleton, word_key
from geo.rules import AliasRule, EventRule, RouteRule, TaggingSettings

Keys = tuple[str, ...]
# How closely a sentence must be read (Gazetteer.reading): not at all; only for foreign
# names and references back; for names, routes and visits as well.
SKIP, NOUNS, ALL = 0, 1, 2


def is_acronym(phrase: str) -> bool:
    """An alias in capitals (TAP, INSTC): it matches only in capitals, so "tap water" is no TAP."""
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in phrase.strip()


@dataclass(frozen=True)
class CuratedCitation:
    """A quote that must be found verbatim in the named article."""

    article: str
    quote: str
    path: str = field(default="", compare=False)
    position: tuple[int, int] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Entry:
    """What the gazetteer knows of one feature."""

    feature_id: str
    aliases: tuple[AliasRule, ...]
    citations: tuple[CuratedCitation, ...] = ()
    exclusions: tuple[str, ...] = ()
    path: str = field(default="", compare=False)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)
    route: RouteRule | None = None
    event: EventRule | None = None
    refer: tuple[str, ...] = ()
    # For a visit: its first and last day, as written (YYYY, YYYY-MM or YYYY-MM-DD).
    dates: tuple[str, str] | None = None
    # route, visit, place or area: a place named inside a route's name is no mention.
    kind: str = "place"
    # For a visit: where the visitor came from, which is no rival to the visit's place.
    origin: str | None = None


@dataclass(frozen=True)
class Pattern:
    """A phrase to find: its word keys, whose it is, and what it needs."""

    keys: Keys
    feature_id: str
    exclusion: bool = False
    # Name parts of aliases such as "South Caucasus Pipeline" need a head noun after them.
    needs_head: bool = False
    acronym: bool = False
    capital_first: bool = False
    exact_case: tuple[bool, ...] | None = None
    context: tuple[Keys, ...] = ()


@dataclass(frozen=True)
class End:
    """One end of a route: its feature, which end, and one of its names."""

    feature_id: str
    index: int
    keys: Keys


@dataclass(frozen=True)
class Passed:
    """A place that only one route passes: its feature and one of its names."""

    feature_id: str
    keys: Keys
    # Phrases (as keys) one of which the sentence must hold, when the place needs them.
    context: tuple[Keys, ...] = ()


@lru_cache(maxsize=50_000)
def singular(word: str) -> str:
    """An English head noun without its plural ending: pipelines → pipeline, railways → railway."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass
class Gazetteer:
    """Every entry, with its phrases indexed by first word key."""

    entries: dict[str, Entry]
    settings: TaggingSettings | None = None
    patterns: dict[str, list[Pattern]] = field(default_factory=dict, repr=False)
    fuzzy: dict[str, list[Pattern]] = field(default_factory=dict, repr=False)
    ends: dict[str, list[End]] = field(default_factory=dict, repr=False)
    fuzzy_ends: dict[str, list[End]] = field(default_factory=dict, repr=False)
    # Places only one route passes, by first key and by skeleton (see RouteRule.through).
    passed: dict[str, list[Passed]] = field(default_factory=dict, repr=False)
    fuzzy_passed: dict[str, list[Passed]] = field(default_factory=dict, repr=False)
    heads: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    all_heads: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    joiners: frozenset[str] = frozenset()
    openers: frozenset[str] = frozenset()
    passing: frozenset[str] = frozenset()
    triggers: frozenset[str] = frozenset()
    visitor_keys: frozenset[str] = frozenset()
    # For each visit: the first keys (and skeletons) of the phrases that name its visitor.
    visitors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    refer_nouns: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    trigger_shapes: frozenset[str] = frozenset()
    sieve: Sieve = field(init=False, repr=False, compare=False)
    # The settings' word lists, lower-cased once rather than at every sentence.
    visit_words: frozenset[str] = frozenset()
    determiners: frozenset[str] = frozenset()
    reference_modifiers: frozenset[str] = frozenset()
    phrase_ends: frozenset[str] = frozenset()
    # The participants phrases, as lower-cased words.
    participants: tuple[tuple[str, ...], ...] = ()
    participant_nouns: frozenset[str] = frozenset()
    participant_openers: frozenset[str] = frozenset()
    future_words: frozenset[str] = frozenset()
    past_tenses: frozenset[str] = frozenset()
    several_visits: frozenset[str] = frozenset()
    demonyms: frozenset[str] = frozenset()
    topic_nouns: frozenset[str] = frozenset()
    bridging_nouns: frozenset[str] = frozenset()
    place_adverbs: frozenset[str] = frozenset()
    # The locating phrases, as lower-cased words.
    locating: tuple[tuple[str, ...], ...] = ()
    plural_places_after: frozenset[str] = frozenset()
    observers: frozenset[str] = frozenset()
    existential_words: frozenset[str] = frozenset()
    # For each visit: its phrases, keyed (see VisitPhrases).
    visit_phrases: dict[str, VisitPhrases] = field(default_factory=dict, repr=False)
    # Every visit's phrases of two words or more: a visitor or a place named inside
    # another visit's ("Aliyev" in "Heydar Aliyev International Airport", "Kremlin" in
    # "Kremlin chief") is not named.
    # By each key they hold, so that only those holding a found phrase are looked up.
    long_names: dict[str, tuple[Phrase, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        patterns: dict[str, list[Pattern]] = defaultdict(list)
        ends: dict[str, list[End]] = defaultdict(list)
        heads: dict[str, frozenset[str]] = {}
        for entry in self.entries.values():
            heads[entry.feature_id] = _heads_of(entry)
        self.all_heads = frozenset().union(*heads.values()) if heads else frozenset()
        for entry in self.entries.values():
            for pattern in _patterns(entry, self.all_heads, self._plural_openers()):
                patterns[pattern.keys[0]].append(pattern)
            for index, names in enumerate(entry.route.ends if entry.route else ()):
                for name in names:
                    keys = phrase_keys(name)
                    if keys:
                        ends[keys[0]].append(End(entry.feature_id, index, keys))
        self.patterns, self.ends, self.heads = dict(patterns), dict(ends), heads
        self.fuzzy = _fuzzy_index(self.patterns)
        fuzzy_ends: dict[str, list[End]] = defaultdict(list)
        for key, found in self.ends.items():
            if skeleton(key):
                fuzzy_ends[skeleton(key)] += found
        self.fuzzy_ends = dict(fuzzy_ends)
        self.passed, self.fuzzy_passed = _passed_index(self.entries.values())
        settings = self.settings
        self.modifiers = frozenset(w.lower() for w in (settings.modifiers if settings else []))
        self.joiners = frozenset(w.lower() for w in (settings.joiners if settings else []))
        self.openers = frozenset(w.lower() for w in (settings.openers if settings else []))
        self.passing = frozenset(w.lower() for w in (settings.passing if settings else []))
        self.visitors = _visitors(self)
        self.visitor_keys = (
            frozenset().union(*self.visitors.values()) if self.visitors else frozenset()
        )
        self.triggers = (
            frozenset(self.patterns)
            | frozenset(self.ends)
            | frozenset(self.passed)
            | self.visitor_keys
        )
        self.refer_nouns = frozenset(
            singular(n.lower()) for e in self.entries.values() for n in e.refer
        )
        self.bridging_nouns = _setting_words(settings, "bridging_nouns", nouns=True)
        self.nouns = self.refer_nouns | self.all_heads | self.bridging_nouns
        self.trigger_shapes = frozenset(filter(None, map(skeleton, self.triggers)))
        lowered = _lowered(settings)
        self.visit_words, self.determiners, self.reference_modifiers, self.phrase_ends = lowered
        self.participants = tuple(
            tuple(p.lower().split()) for p in (settings.participants if settings else [])
        )
        self.participant_nouns = _setting_words(settings, "participant_nouns")
        self.participant_openers = _setting_words(settings, "participant_openers")
        self.future_words = _setting_words(settings, "future_words")
        self.several_visits = _setting_words(settings, "several_visits")
        self.past_tenses = _setting_words(settings, "past_tenses")
        self.demonyms = _setting_words(settings, "demonyms")
        self.topic_nouns = _setting_words(settings, "topic_nouns", nouns=True)
        self.place_adverbs = _setting_words(settings, "place_adverbs")
        self.locating = tuple(
            tuple(p.lower().split()) for p in (settings.locating if settings else [])
        )
        self.plural_places_after = _setting_words(settings, "plural_places_after")
        self.observers = _setting_words(settings, "observers")
        self.existential_words = _setting_words(settings, "existential_words")
        self.visit_phrases = _visit_phrases(self)
        self.long_names = _long_names(self)
        self.sieve = Sieve.of(self)
        self._candidates: tuple[dict[str, list[Pattern]], dict[str, list[Pattern]]] = ({}, {})

    def _plural_openers(self) -> list[str]:
        return self.settings.plural_places_after if self.settings else []

    def candidates(self, key: str, capital: bool) -> list[Pattern]:
        """Patterns whose first word may be the word with this key."""
        # Asked of every word read closely: remembered, by key, for each case.
        known = self._candidates[capital]
        found = known.get(key)
        if found is None:
            found = known[key] = self._candidates_of(key, capital)
        return found

    def _candidates_of(self, key: str, capital: bool) -> list[Pattern]:
        found = self.patterns.get(key, [])
        if capital:
            shape = skeleton(key)
            if shape and shape in self.fuzzy:
                found = found + [p for p in self.fuzzy[shape] if p.keys[0] != key]
        return found

    def patterns_of(self, feature_id: str) -> list[Pattern]:
        """Every pattern of one feature."""
        return [p for found in self.patterns.values() for p in found if p.feature_id == feature_id]

    def may_matter(self, words: Iterable[str]) -> bool:
        """Whether any of these written words could start a name, an end or a visitor, or is
        a head or reference noun (which a reference back or a rival name needs)."""
        return self.sieve.matters(set(words))

    def reading(self, words: Iterable[str]) -> int:
        """How closely a sentence of these written words (as WORD finds them, with no
        invisible characters) must be read: SKIP, NOUNS or ALL.

        ALL when every word of a name, of both ends of one route, or of a visitor (with a
        word of visiting) is there; else NOUNS when a head or reference noun is (a foreign
        name or a reference back may be there); else SKIP. Never ALL or NOUNS without
        may_matter, which any "the" satisfies.
        """
        return self.sieve.reading(set(words))

    def may_start_any(self, words: set[str]) -> bool:
        """Whether any of these written words may_start."""
        self.sieve.learn(words)
        return not words.isdisjoint(self.sieve.starting)

    def refers_any(self, words: set[str]) -> bool:
        """Whether any of these written words is a reference noun (perhaps in the plural) or
        names the two sides of a meeting."""
        self.sieve.learn(words)
        return not (words.isdisjoint(self.sieve.referring) and words.isdisjoint(self.sieve.sides))

    def may_start(self, word: str) -> bool:
        """Whether a word of the text could start a name, a route end or a visitor."""
        key = word_key(word)
        return key in self.triggers or (
            word[:1].isupper() and bool(skeleton(key)) and skeleton(key) in self.trigger_shapes
        )

    def ends_for(self, key: str, capital: bool) -> list[End]:
        """Route ends whose first word may be the word with this key."""
        found = self.ends.get(key, [])
        shape = skeleton(key) if capital else ""
        if shape and shape in self.fuzzy_ends:
            found = found + [e for e in self.fuzzy_ends[shape] if e.keys[0] != key]
        return found

    def passed_for(self, key: str, capital: bool) -> list[Passed]:
        """Places only one route passes whose first word may be the word with this key."""
        found = self.passed.get(key, [])
        shape = skeleton(key) if capital else ""
        if shape and shape in self.fuzzy_passed:
            found = found + [p for p in self.fuzzy_passed[shape] if p.keys[0] != key]
        return found

    def curated_for(self, article_id: str) -> list[tuple[str, CuratedCitation]]:
        """The curated citations that name article_id, with their feature ids."""
        return [
            (entry.feature_id, citation)
            for entry in self.entries.values()
            for citation in entry.citations
            if citation.article == article_id
        ]


class VisitPhrases(NamedTuple):
    """A visit's phrases, keyed once: who, whom they met and where; the names of places that
    rival its place (elsewhere), the same without where the visitor came from (away), and
    every alias of the place and area features that is not one of its place's names."""

    who: tuple[Phrase, ...]
    with_: tuple[Phrase, ...]
    where: tuple[Phrase, ...]
    elsewhere: tuple[Phrase, ...]
    away: tuple[Phrase, ...]
    other_names: tuple[Phrase, ...]
    hosts: tuple[Phrase, ...] = ()
    # The visitor described by the nation of a name of theirs and a noun of a visitor:
    # "Russian official", "Russian guest".
    described: tuple[Phrase, ...] = ()


def _setting_words(
    settings: TaggingSettings | None, name: str, *, nouns: bool = False
) -> frozenset[str]:
    """One word list of the settings, lower-cased (and, for nouns, made singular)."""
    words: list[str] = getattr(settings, name) if settings else []
    return frozenset(singular(w.lower()) if nouns else w.lower() for w in words)


def _lowered(settings: TaggingSettings | None) -> tuple[frozenset[str], ...]:
    """The visit words, determiners, reference modifiers and phrase ends of the settings,
    lower-cased."""
    if settings is None:
        return frozenset(), frozenset(), frozenset(), frozenset()
    lists = (
        settings.visit_words,
        settings.determiners,
        settings.reference_modifiers,
        settings.phrase_ends,
    )
    return tuple(frozenset(w.lower() for w in words) for words in lists)


def _visit_phrases(gazetteer: Gazetteer) -> dict[str, VisitPhrases]:
    """The phrases of every visit, worked out once rather than at every sentence."""
    settings = gazetteer.settings
    if settings is None:
        return {}
    found = {}
    places = [e for e in gazetteer.entries.values() if e.kind in ("place", "area")]
    for entry in gazetteer.entries.values():
        event = entry.event
        if event is None:
            continue
        # A place feature one of whose names is the visit's place is that place by any of
        # its names ("the grave of Heydar Aliyev" is the Alley of Honour).
        within = [o for o in places if any(a.name in event.where for a in o.aliases)]
        others = [*settings.places]
        others += [
            a.name
            for o in places
            if o.feature_id != entry.feature_id and o not in within
            for a in o.aliases
        ]
        elsewhere = [p for p in others if p not in event.where]
        found[entry.feature_id] = VisitPhrases(
            phrases(event.who),
            phrases(event.with_),
            phrases(event.where),
            phrases(elsewhere),
            phrases(p for p in elsewhere if p != entry.origin),
            phrases(a.name for o in places for a in o.aliases if a.name not in event.where),
            phrases(event.hosts),
            phrases(_descriptions(event.who, settings)),
        )
    return found


def _descriptions(who: Iterable[str], settings: TaggingSettings) -> list[str]:
    """The visitor as a nation's visitor noun: each demonym that opens one of the visitor's
    names ("Russian President") before each of the settings' visitor nouns."""
    demonyms = {d.lower(): d for d in settings.demonyms}
    nations = {demonyms[w.split()[0].lower()] for w in who if w.split()[0].lower() in demonyms}
    return [f"{nation} {noun}" for nation in sorted(nations) for noun in settings.visitor_nouns]


def _passed_index(
    entries: Iterable[Entry],
) -> tuple[dict[str, list[Passed]], dict[str, list[Passed]]]:
    """The places only one route passes, by first key and by the skeleton of a long one."""
    passed: dict[str, list[Passed]] = defaultdict(list)
    fuzzy: dict[str, list[Passed]] = defaultdict(list)
    for entry in entries:
        for place in entry.route.through if entry.route else ():
            written, context = (
                (place, ()) if isinstance(place, str) else (place.place, place.context)
            )
            keys = phrase_keys(written)
            if keys:
                found = Passed(
                    entry.feature_id, keys, tuple(filter(None, map(phrase_keys, context)))
                )
                passed[keys[0]].append(found)
                if skeleton(keys[0]):
                    fuzzy[skeleton(keys[0])].append(found)
    return dict(passed), dict(fuzzy)


def _long_names(gazetteer: Gazetteer) -> dict[str, tuple[Phrase, ...]]:
    """The phrases of two words or more that name a visit's visitor, host or place, by
    each key they hold."""
    written = [
        phrase
        for entry in gazetteer.entries.values()
        if entry.event
        for phrase in [*entry.event.who, *entry.event.with_, *entry.event.where]
    ]
    by_key: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in phrases(dict.fromkeys(written)):
        for key in set(phrase.keys) if len(phrase.keys) > 1 else ():
            by_key[key].append(phrase)
    return {key: tuple(found) for key, found in by_key.items()}


def _heads_of(entry: Entry) -> frozenset[str]:
    words = [*(entry.route.heads if entry.route else ()), *entry.refer]
    return frozenset(singular(w.lower()) for w in words)


def _patterns(
    entry: Entry, all_heads: frozenset[str], plural_openers: Sequence[str] = ()
) -> list[Pattern]:
    found = []
    for alias in entry.aliases:
        found += _alias_patterns(entry.feature_id, alias, all_heads)
        if entry.kind == "place" and not alias.context and len(phrase_keys(alias.name)) == 1:
            # "the two Astaras": a one-word place in the plural, after a word that counts it.
            for opener in plural_openers:
                plural = AliasRule(name=f"{opener} {alias.name}s")
                found += _alias_patterns(entry.feature_id, plural, all_heads)
    for exclusion in entry.exclusions:
        keys = phrase_keys(exclusion)
        if keys:
            found.append(Pattern(keys, entry.feature_id, exclusion=True))
    return found


def _alias_patterns(feature_id: str, alias: AliasRule, all_heads: frozenset[str]) -> list[Pattern]:
    """An alias as patterns: the whole name, and a head-noun alias's name part with a head."""
    keys = phrase_keys(alias.name)
    if not keys:
        return []
    words = alias.name.replace("-", " ").split()
    context = tuple(k for k in (phrase_keys(c) for c in alias.context) if k)
    exact = tuple(w[:1].isupper() for w in words) if alias.exact_case else None
    found = [
        Pattern(
            keys,
            feature_id,
            acronym=is_acronym(alias.name),
            capital_first=words[0][:1].isupper(),
            exact_case=exact,
            context=context,
        )
    ]
    if len(keys) >= 2 and singular(words[-1].lower()) in all_heads and not alias.exact_case:
        found += _name_parts(feature_id, keys, words, context)
    elif len(keys) >= 2 and all(k.isalpha() for k in keys):
        # "Shah Deniz" is also written "Shahdeniz".
        joined = ("".join(keys),)
        found.append(Pattern(joined, feature_id, capital_first=True, context=context))
    return found


def _name_parts(
    feature_id: str, keys: Keys, words: list[str], context: tuple[Keys, ...]
) -> list[Pattern]:
    """The name part of "South Caucasus Pipeline", which needs a head noun after it: it is
    "the South Caucasus gas pipeline", and a name in "the South Caucasus and
    Trans-Anatolian pipelines"."""
    name, capital = keys[:-1], words[0][:1].isupper()
    found = [Pattern(name, feature_id, needs_head=True, capital_first=capital, context=context)]
    if len(name) >= 2:
        joined = ("".join(name),)
        found.append(
            Pattern(joined, feature_id, needs_head=True, capital_first=capital, context=context)
        )
    return found


def _fuzzy_index(patterns: dict[str, list[Pattern]]) -> dict[str, list[Pattern]]:
    fuzzy: dict[str, list[Pattern]] = defaultdict(list)
    for key, found in patterns.items():
        shape = skeleton(key)
        if shape:
            fuzzy[shape] += [p for p in found if not p.acronym]
    return dict(fuzzy)


def _visitors(gazetteer: Gazetteer) -> dict[str, frozenset[str]]:
    """For each visit, the first keys (and their skeletons) of the phrases naming its visitor."""
    found = {}
    for entry in gazetteer.entries.values():
        if entry.event is not None:
            phrases = [*entry.event.who, *entry.event.with_]
            keys = {phrase_keys(p)[0] for p in phrases if phrase_keys(p)}
            found[entry.feature_id] = frozenset(keys | {skeleton(k) for k in keys} - {""})
    return found


def _distinctive(phrase: tuple[str, ...]) -> str:
    """The first word of a phrase past "the": the word a sieve can look for."""
    return next((w for w in phrase if w != "the"), "")


# A phrase as what a sentence must hold for it to match: for each of its keys, the atoms
# (a word's key, or "\x00" and a capitalised word's skeleton) any of which is that word.
Needs = tuple[frozenset[str], ...]
# Needs by each atom that could be the phrase's first word, with whose and which end.
NeedsIndex = dict[str, list[tuple[Needs, str, int]]]


def _needs(keys: Keys) -> Needs:
    """The atoms that could be each key: same_word takes the key or, capitalised, its skeleton."""
    return tuple(frozenset({k, "\x00" + skeleton(k)} if skeleton(k) else {k}) for k in keys)


def _by_first(needs: Iterable[tuple[Needs, str, int]]) -> NeedsIndex:
    """Needs by each atom that could be their first word, with that word's need dropped
    (the atom meets it): a one-word name's needs are then empty."""
    index: NeedsIndex = defaultdict(list)
    for need, feature_id, end in needs:
        for atom in need[0]:
            index[atom].append((need[1:], feature_id, end))
    return dict(index)


def _holds(needs: Needs, atoms: set[str]) -> bool:
    # A plain loop: all() over a generator costs twice as much, for every sentence.
    for alternatives in needs:  # noqa: SIM110
        if atoms.isdisjoint(alternatives):
            return False
    return True


def _any_holds(index: NeedsIndex, atoms: set[str]) -> bool:
    for atom in atoms:
        for needs, _, _ in index.get(atom, ()):
            if _holds(needs, atoms):
                return True
    return False


def _two_ends(index: NeedsIndex, atoms: set[str]) -> bool:
    """Whether the atoms hold two different ends of one route."""
    held: dict[str, set[int]] = defaultdict(set)
    for atom in atoms:
        for needs, feature_id, end in index.get(atom, ()):
            if _holds(needs, atoms):
                held[feature_id].add(end)
                if len(held[feature_id]) > 1:
                    return True
    return False


@dataclass
class Sieve:
    """What a gazetteer asks of written words, answered for sets of them at once.

    Tagging asks of every paragraph and sentence whether it may matter, and most
    sentences of news about the region hold "the", "Azerbaijan" or "Russia" and so
    may, yet name nothing. The sieve sorts each distinct written word once into sets
    (those that may start a name, the head and reference nouns, the words of
    visiting, the words that could be a word of some name), so that a sentence is
    judged by a few set operations rather than word by word.
    """

    gazetteer: Gazetteer
    names: NeedsIndex
    ends: NeedsIndex
    visitors: NeedsIndex
    visit_words: frozenset[str]
    universe: frozenset[str]
    seen: set[str] = field(default_factory=set)
    starting: set[str] = field(default_factory=set)
    nouns: set[str] = field(default_factory=set)
    referring: set[str] = field(default_factory=set)
    visiting: set[str] = field(default_factory=set)
    atoms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sides: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, gazetteer: Gazetteer) -> Sieve:
        names = [
            (_needs(p.keys), p.feature_id, 0)
            for found in gazetteer.patterns.values()
            for p in found
            if not p.exclusion
        ]
        # A place only one route passes may name it, as a name does.
        names += [(_needs(p.keys), p.feature_id, 0) for f in gazetteer.passed.values() for p in f]
        ends = [(_needs(e.keys), e.feature_id, e.index) for f in gazetteer.ends.values() for e in f]
        visitors = [
            (_needs(phrase_keys(p)), e.feature_id, 0)
            for e in gazetteer.entries.values()
            if e.event
            for p in [*e.event.who, *e.event.with_, *e.event.hosts]
            if phrase_keys(p)
        ]
        universe = frozenset(a for n in [*names, *ends, *visitors] for alts in n[0] for a in alts)
        return cls(
            gazetteer,
            _by_first(names),
            _by_first(ends),
            _by_first(visitors),
            gazetteer.visit_words,
            universe,
        )

    def learn(self, words: set[str]) -> None:
        """Sort the written words not seen before into the sieve's sets."""
        for word in words - self.seen:
            self.seen.add(word)
            key, lower = word_key(word), word.lower()
            noun = singular(lower)
            if self.gazetteer.may_start(word):
                self.starting.add(word)
            if noun in self.gazetteer.nouns:
                self.nouns.add(word)
            if noun in self.gazetteer.refer_nouns or noun in self.gazetteer.bridging_nouns:
                # A paragraph after one that named a route may be about it by either.
                self.referring.add(word)
            if lower in self.visit_words or noun in self.visit_words:
                self.visiting.add(word)
            if lower in self.gazetteer.participant_nouns or any(
                lower == _distinctive(p) for p in self.gazetteer.participants
            ):
                self.sides.add(word)
            shape = skeleton(key) if word[:1].isupper() else ""
            atoms = tuple(a for a in (key, "\x00" + shape if shape else "") if a in self.universe)
            if atoms:
                self.atoms[word] = atoms

    def matters(self, words: set[str]) -> bool:
        """Gazetteer.may_matter for a set of written words."""
        self.learn(words)
        return not (
            words.isdisjoint(self.starting)
            and words.isdisjoint(self.nouns)
            and words.isdisjoint(self.sides)
        )

    def reading(self, words: set[str]) -> int:
        """Gazetteer.reading for a set of written words."""
        if not self.matters(words):
            return SKIP
        atoms = {a for w in words if w in self.atoms for a in self.atoms[w]}
        visitor = bool(atoms) and _any_holds(self.visitors, atoms)
        if atoms and (
            _any_holds(self.names, atoms)
            or _two_ends(self.ends, atoms)
            or (visitor and not words.isdisjoint(self.visiting))
        ):
            return ALL
        # A visitor without a word of visiting, or the two sides of a meeting, may refer
        # back to a visit told just before: "Shoigu told reporters ...", "The two ...".
        if visitor or not words.isdisjoint(self.nouns) or not words.isdisjoint(self.sides):
            return NOUNS
        return SKIP
