"""Gazetteer: what each feature is called and how it is told, compiled for the matcher.

Each feature's entry (from its layer YAML) gives names (aliases), a route rule
(its ends and head nouns), an event rule (visitor, place, time), nouns that
refer back to it, exclusions and curated quotes. ``Gazetteer`` folds every
phrase into word keys (``geo.folding``) and indexes them by their first key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from geo.folding import phrase_keys, skeleton, word_key
from geo.rules import AliasRule, EventRule, RouteRule, TaggingSettings

Keys = tuple[str, ...]


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
    heads: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    all_heads: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    joiners: frozenset[str] = frozenset()
    openers: frozenset[str] = frozenset()
    triggers: frozenset[str] = frozenset()
    visitor_keys: frozenset[str] = frozenset()
    # For each visit: the first keys (and skeletons) of the phrases that name its visitor.
    visitors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    refer_nouns: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    trigger_shapes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        patterns: dict[str, list[Pattern]] = defaultdict(list)
        ends: dict[str, list[End]] = defaultdict(list)
        heads: dict[str, frozenset[str]] = {}
        for entry in self.entries.values():
            heads[entry.feature_id] = _heads_of(entry)
        self.all_heads = frozenset().union(*heads.values()) if heads else frozenset()
        for entry in self.entries.values():
            for pattern in _patterns(entry, self.all_heads):
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
        settings = self.settings
        self.modifiers = frozenset(w.lower() for w in (settings.modifiers if settings else []))
        self.joiners = frozenset(w.lower() for w in (settings.joiners if settings else []))
        self.openers = frozenset(w.lower() for w in (settings.openers if settings else []))
        self.visitors = _visitors(self)
        self.visitor_keys = (
            frozenset().union(*self.visitors.values()) if self.visitors else frozenset()
        )
        self.triggers = frozenset(self.patterns) | frozenset(self.ends) | self.visitor_keys
        self._mattering: dict[str, bool] = {}
        self.refer_nouns = frozenset(
            singular(n.lower()) for e in self.entries.values() for n in e.refer
        )
        self.nouns = self.refer_nouns | self.all_heads
        self.trigger_shapes = frozenset(filter(None, map(skeleton, self.triggers)))

    def candidates(self, key: str, capital: bool) -> list[Pattern]:
        """Patterns whose first word may be the word with this key."""
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
        cache = self._mattering
        for word in words:
            known = cache.get(word)
            if known is None:
                known = self.may_start(word) or singular(word.lower()) in self.nouns
                cache[word] = known
            if known:
                return True
        return False

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

    def curated_for(self, article_id: str) -> list[tuple[str, CuratedCitation]]:
        """The curated citations that name article_id, with their feature ids."""
        return [
            (entry.feature_id, citation)
            for entry in self.entries.values()
            for citation in entry.citations
            if citation.article == article_id
        ]


def _heads_of(entry: Entry) -> frozenset[str]:
    words = [*(entry.route.heads if entry.route else ()), *entry.refer]
    return frozenset(singular(w.lower()) for w in words)


def _patterns(entry: Entry, all_heads: frozenset[str]) -> list[Pattern]:
    found = []
    for alias in entry.aliases:
        found += _alias_patterns(entry.feature_id, alias, all_heads)
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
