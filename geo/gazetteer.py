"""Gazetteer: every feature's names, curated citations and exclusions, and the matcher.

Matching is case-insensitive (except for aliases written in capitals, such as
TAP, which match only in capitals), treats hyphens, dashes and spaces alike,
and respects word boundaries. Normalisation maps one character to one character,
so offsets found in the normalised text are offsets into the original.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import ahocorasick

_SAME_AS_SPACE = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00a0\u202f\u2009\t"
_FOLDS = (
    *((char, " ") for char in _SAME_AS_SPACE),
    *((char, "'") for char in "\u2018\u2019\u02bc\u2032`"),
    *((char, '"') for char in "\u201c\u201d\u201e\u00ab\u00bb"),
)


def normalize(text: str) -> str:
    """Lowercase text and fold dashes, spaces and quotes, keeping its length."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters (such as U+0130) lowercase to two; keep those as they are.
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    # One str.replace per character is much faster than str.translate with a table.
    for char, folded in _FOLDS:
        if char in lowered:
            lowered = lowered.replace(char, folded)
    return lowered


def is_acronym(phrase: str) -> bool:
    """An alias in capitals (TAP, INSTC): it matches only in capitals, so "tap water" is no TAP."""
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in phrase.strip()


def is_word_char(char: str) -> bool:
    """True for characters that make up words (a match may not cut through them)."""
    return char.isalnum() or char == "_"


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
    aliases: tuple[str, ...]
    citations: tuple[CuratedCitation, ...] = ()
    exclusions: tuple[str, ...] = ()
    path: str = field(default="", compare=False)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Match:
    """A phrase found in normalised text: [start, end) and which entry's alias or exclusion."""

    feature_id: str
    start: int
    end: int
    exclusion: bool


@dataclass
class Gazetteer:
    """All entries, with one multi-pattern automaton over their aliases and exclusions."""

    entries: dict[str, Entry]
    _automaton: ahocorasick.Automaton | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        automaton = ahocorasick.Automaton()
        patterns: dict[str, list[tuple[str, bool, bool]]] = {}
        for entry in self.entries.values():
            for phrase, exclusion in [
                *((a, False) for a in entry.aliases),
                *((x, True) for x in entry.exclusions),
            ]:
                key = normalize(phrase).strip()
                if key:
                    patterns.setdefault(key, []).append(
                        (entry.feature_id, exclusion, is_acronym(phrase))
                    )
        for key, owners in patterns.items():
            automaton.add_word(key, (len(key), tuple(dict.fromkeys(owners))))
        if patterns:
            automaton.make_automaton()
            self._automaton = automaton

    def scan(self, normalized_text: str, text: str) -> Iterator[Match]:
        """Every alias or exclusion occurrence that sits on word boundaries.

        normalized_text is normalize(text); acronym aliases must also be in capitals in text.
        """
        if self._automaton is None:
            return
        original, text = text, normalized_text
        size = len(text)
        for last, (length, owners) in self._automaton.iter(text):
            start, end = last - length + 1, last + 1
            if start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
                continue
            if end < size and is_word_char(text[end]) and is_word_char(text[end - 1]):
                continue
            for feature_id, exclusion, acronym in owners:
                if acronym and not original[start:end].isupper():
                    continue
                yield Match(feature_id, start, end, exclusion)

    def curated_for(self, article_id: str) -> list[tuple[str, CuratedCitation]]:
        """The curated citations that name article_id, with their feature ids."""
        return [
            (entry.feature_id, citation)
            for entry in self.entries.values()
            for citation in entry.citations
            if citation.article == article_id
        ]
