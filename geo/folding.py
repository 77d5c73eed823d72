"""Folding: words to keys under which spellings of one name meet.

Names from Russian, Azerbaijani, Armenian and Persian come in many
romanisations. Rather than list every spelling, each word is folded to a key
by rules that hold across names: diacritics and the Azerbaijani and Turkish
letters are transliterated (ç→ch, ş→sh, ə→e, x→kh), y and j count as i, e
counts as a, and doubled letters as one. So Novorossiysk, Novorossiisk and
Novorossijsk meet; so do Zangezur, Zangazur and Zengezur, Rasht and Resht,
Naxçıvan and Nakhchivan, Türkgözü and Turkgozu. For long capitalised words the
vowels are dropped as well (Nakhichevan meets Nakhchivan); short words keep
them, so that Baku does not meet "book".

Folding works on single words; offsets stay those of the original text, so a
folded match is cut from the text exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from typing import NamedTuple, cast

# Letters that NFKD does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ə": "e",
        "ß": "ss",
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "ʼ": "",
        "ʻ": "",
    }
)
_DIGRAPHS = (("ç", "ch"), ("ş", "sh"), ("ž", "zh"), ("č", "ch"), ("š", "sh"), ("ğ", "g"))
_SOUNDS = (("x", "kh"), ("kh", "\x01"), ("y", "i"), ("j", "i"), ("e", "a"))
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]")
# Words inside which a match may not start or end: letters and digits of any script,
# with the combining marks of decomposed text. Written as runs rather than one
# character at a time ("[^\W_](?:[^\W_]|[\u0300-\u036f])*", which finds the same words),
# as every paragraph is scanned with it and runs scan half as fast again.
WORD = re.compile(r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*")
# Characters that may sit inside a written word without breaking it: the soft
# hyphen and zero-width characters that copied web text carries.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_JOINED = re.compile(rf"{WORD.pattern}(?:{INVISIBLE.pattern}+{WORD.pattern})*")
SKELETON_MIN = 8


class Token(NamedTuple):
    """A word of the text: where it is, its folded key, and whether it is capitalised."""

    start: int
    end: int
    key: str
    capital: bool
    lower: str


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The key of one word under the spelling folds."""
    text = word.lower() if word.isascii() else unicodedata.normalize("NFC", word).lower()
    for letter, spelled in _DIGRAPHS:
        if letter in text:
            text = text.replace(letter, spelled)
    text = text.translate(_LETTERS)
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    for sound, folded in _SOUNDS:
        if sound in text:
            text = text.replace(sound, folded)
    return _DOUBLED.sub(r"\1", text.replace("\x01", "x"))


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """A long key without its vowels but the first letter: Nakhichevan and Nakhchivan meet."""
    return key[0] + _VOWELS.sub("", key[1:]) if len(key) >= SKELETON_MIN else ""


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Every word of text[start:end], with its key.

    A soft hyphen or zero-width character inside a word is skipped, so that
    "Zan\\u00adgezur" is one word whose span covers all of it.
    """
    end = len(text) if end is None else end
    if INVISIBLE.search(text, start, end):
        return _tokens_with_invisibles(text, start, end)
    # Tokens are made for every word read closely, so this loop is kept tight: the
    # facts of a word are worked out once, and a token is its span and those facts.
    facts, make = _word_facts, _new_token
    return [make(m.span() + facts(m.group())) for m in WORD.finditer(text, start, end)]


# tuple.__new__ bound to Token: one C call per word, where Token._make runs Python code.
_new_token = cast(Callable[[tuple[int, int, str, bool, str]], Token], partial(tuple.__new__, Token))


@lru_cache(maxsize=200_000)
def _word_facts(word: str) -> tuple[str, bool, str]:
    """A word's key, whether it is capitalised, and its lower case: a Token's last fields."""
    return word_key(word), word[0].isupper(), word.lower()


def _tokens_with_invisibles(text: str, start: int, end: int) -> list[Token]:
    found = []
    for m in _JOINED.finditer(text, start, end):
        word = INVISIBLE.sub("", m.group())
        found.append(Token(m.start(), m.end(), word_key(word), word[0].isupper(), word.lower()))
    return found


@lru_cache(maxsize=20_000)
def phrase_keys(phrase: str) -> tuple[str, ...]:
    """The keys of a written phrase's words, as the text's words are keyed."""
    return tuple(t.key for t in tokens(unicodedata.normalize("NFC", phrase)))


class Phrase(NamedTuple):
    """A written phrase as its keys, with the atoms its first word is indexed by in
    geo.words.Words: its key, and "\x00" and its skeleton (just "\x00" for a short key,
    which no word is indexed by)."""

    keys: tuple[str, ...]
    first: str
    shape: str


def phrases(names: Iterable[str]) -> tuple[Phrase, ...]:
    """The phrases of written names that have words, in their order."""
    keyed = [k for k in map(phrase_keys, names) if k]
    return tuple(Phrase(k, k[0], "\x00" + skeleton(k[0])) for k in keyed)
