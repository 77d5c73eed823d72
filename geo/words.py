"""Words: what the stages after folding share — a mention, word comparison, head nouns,
and words indexed by key for looking up many phrases at once."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from typing import NamedTuple, overload

from geo.folding import Phrase, Token, skeleton
from geo.gazetteer import singular

DASHES = frozenset("-‐‑‒–—―−/")


COORDINATORS = frozenset({"and", "or", "as", "well", "both", "nor"})


STOP = frozenset({"the", "this", "that", "these", "those", "a", "an", "its", "their", "our"})


class Mention(NamedTuple):
    """A passage [start, end) that names a feature, and how."""

    feature_id: str
    start: int
    end: int
    how: str
    antecedent: tuple[int, int] | None = None


def same_word(token: Token, key: str) -> bool:
    """Whether a word of the text is the word with this key, allowing for spelling."""
    if token.key == key:
        return True
    shape = skeleton(key)
    return bool(shape) and token.capital and skeleton(token.key) == shape


def head_after(words: list[Token], j: int, heads: frozenset[str], modifiers: frozenset[str]) -> int:
    """Index after the head noun that follows words[j:], past modifiers and coordinated names.

    Returns -1 when no head of the feature follows.
    """
    coordinated = False
    for k in range(j, min(len(words), j + 12)):
        word = words[k]
        if singular(word.lower) in heads:
            return k + 1
        coordinated = coordinated or word.lower in COORDINATORS
        if word.lower in modifiers or word.lower in COORDINATORS or (coordinated and word.capital):
            continue
        return -1
    return -1


class Words(Sequence[Token]):
    """Words with an index of where each key (and each long key's skeleton) stands, so that
    looking up many phrases in the same words costs a dictionary lookup each.

    Events look up dozens of phrases in each sentence, so the words and the index are
    cached properties (an attribute read once made) and the loops below are kept tight.
    """

    def __init__(self, words: Sequence[Token] | Callable[[], Sequence[Token]]) -> None:
        if isinstance(words, Words):
            # The same words, indexed once: share the index and what was found in it.
            self.__dict__["words"] = words.words
            self.__dict__["at"] = words.at
            self._found: dict[tuple[str, ...], int | None] = words._found
            return
        if callable(words):
            # Words may come as a function that makes them, called when first needed.
            self._make = words
        else:
            self.__dict__["words"] = words
        # The same phrases are looked up in the same words again and again (the places
        # of every visit in an article's opening, for each sentence that tells of one).
        self._found = {}

    @cached_property
    def words(self) -> Sequence[Token]:
        """The words, made when first asked for."""
        return self._make()

    @cached_property
    def offsets(self) -> list[int]:
        """Where each word starts in the text, in order."""
        return [w.start for w in self.words]

    def within(self, start: int, end: int) -> list[Token]:
        """The words that start in start..end."""
        offsets = self.offsets
        return list(self.words[bisect_left(offsets, start) : bisect_left(offsets, end)])

    @cached_property
    def at(self) -> dict[str, list[int]]:
        """Positions by key; built when first looked at, as most words are never searched."""
        at: dict[str, list[int]] = defaultdict(list)
        for i, word in enumerate(self.words):
            at[word.key].append(i)
            shape = skeleton(word.key) if word.capital else ""
            if shape:
                at["\x00" + shape].append(i)
        return at

    @overload
    def __getitem__(self, index: int) -> Token: ...
    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...
    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        return self.words[index] if isinstance(index, int) else list(self.words[index])

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self) -> Iterator[Token]:
        # Sequence's own __iter__ calls __getitem__ for every word.
        return iter(self.words)

    def starts(self, key: str) -> list[int]:
        """Where a word that may be the word with this key stands."""
        return _starts(self.at, key)

    def find(self, keys: tuple[str, ...]) -> int | None:
        """phrase_at, remembered."""
        found = self._found.get(keys, -1)
        if found == -1:
            found = self._found[keys] = _first_at(self.words, _starts(self.at, keys[0]), keys)
        return found

    def find_any(self, phrases: Iterable[Phrase]) -> Iterator[tuple[Phrase, int]]:
        """Each of the phrases that stands in the words, in the phrases' order, with the
        index of its first occurrence. A phrase whose first word stands nowhere is passed
        over with two lookups (lists of places run to a hundred names)."""
        at, known = self.at, self._found
        for phrase in phrases:
            if phrase.first in at or phrase.shape in at:
                keys = phrase.keys
                found = known.get(keys, -1)
                if found == -1:
                    found = known[keys] = _first_at(self.words, _starts(at, keys[0]), keys)
                if found is not None:
                    yield phrase, found


def _starts(at: dict[str, list[int]], key: str) -> list[int]:
    """Where, by the index, a word that may be the word with this key stands, in order."""
    found = at.get(key, [])
    shape = skeleton(key)
    fuzzy = at.get("\x00" + shape) if shape else None
    return sorted({*found, *fuzzy}) if fuzzy else found


def phrase_at(words: Sequence[Token], keys: tuple[str, ...]) -> int | None:
    """Index of the first occurrence of a phrase's keys among words."""
    if not keys:
        return None
    if isinstance(words, Words):
        return words.find(keys)
    return _first_at(words, range(len(words)), keys)


def _first_at(words: Sequence[Token], starts: Iterable[int], keys: tuple[str, ...]) -> int | None:
    """The first of the starts (ascending) at which the keys' words stand."""
    size = len(keys)
    last = len(words) - size
    for i in starts:
        if i > last:
            # Starts come in order: none after this one leaves room for the phrase.
            return None
        for n in range(size):
            word, key = words[i + n], keys[n]
            # same_word, with its common case (the same key) first and inline.
            if word.key != key and not same_word(word, key):
                break
        else:
            return i
    return None
