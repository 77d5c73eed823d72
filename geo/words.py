"""Words: what the stages after folding share — a mention, word comparison, head nouns,
and words indexed by key for looking up many phrases at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import NamedTuple, overload

from geo.folding import Token, skeleton
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
    looking up many phrases in the same words costs a dictionary lookup each."""

    def __init__(self, words: Sequence[Token] | Callable[[], Sequence[Token]]) -> None:
        # Words may come as a function that makes them, called when they are first needed.
        self._words = words
        self._at: dict[str, list[int]] | None = None

    @property
    def words(self) -> Sequence[Token]:
        """The words, made when first asked for."""
        if callable(self._words):
            self._words = self._words()
        return self._words

    @property
    def at(self) -> dict[str, list[int]]:
        """Positions by key; built when first looked at, as most words are never searched."""
        if self._at is None:
            self._at = defaultdict(list)
            for i, word in enumerate(self.words):
                self._at[word.key].append(i)
                shape = skeleton(word.key) if word.capital else ""
                if shape:
                    self._at["\x00" + shape].append(i)
        return self._at

    @overload
    def __getitem__(self, index: int) -> Token: ...
    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...
    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        return self.words[index] if isinstance(index, int) else list(self.words[index])

    def __len__(self) -> int:
        return len(self.words)

    def starts(self, key: str) -> list[int]:
        """Where a word that may be the word with this key stands."""
        found = self.at.get(key, [])
        shape = skeleton(key)
        fuzzy = self.at.get("\x00" + shape) if shape else None
        return sorted({*found, *fuzzy}) if fuzzy else found


def phrase_at(words: Sequence[Token], keys: tuple[str, ...]) -> int | None:
    """Index of the first occurrence of a phrase's keys among words."""
    if not keys:
        return None
    starts = words.starts(keys[0]) if isinstance(words, Words) else range(len(words))
    for i in starts:
        if i + len(keys) <= len(words) and all(
            same_word(words[i + n], k) for n, k in enumerate(keys)
        ):
            return i
    return None
