"""Events: a visit told without its name, as who + where + a visit word, at a time that fits.

"The Kremlin chief arrived in Baku" and "during his talks in Baku last August"
are the 2024 state visit; "Putin's visit" in an article about Putin in another
country or year is not. A sentence cites a visit when it names the visitor
(by name or role), a word of visiting, and the visit's place, or no other place
while the paragraph or the article's opening names the visit's place; and when
the years and months it names, and the article's date, fit the visit's dates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import overload

from geo.folding import Token, phrase_keys, skeleton
from geo.gazetteer import Entry, Gazetteer, singular
from geo.matching import Mention, same_word

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
DESTINATION = frozenset({"to", "in", "at", "into", "visit", "visited", "visiting", "visits"})
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_RELATIVE = re.compile(r"\b(later|earlier|that year|the same year)\b", re.IGNORECASE)
_BOUNDARY = re.compile(r"\b(since|before|until|till|after|by|than|from)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Setting:
    """Where a sentence sits: its article's date and opening words, its paragraph's words,
    and the text of the paragraph before it (whose last year dates a sentence that names
    none)."""

    article_date: str
    opening: Sequence[Token]
    paragraph: Sequence[Token] = ()
    before: str = ""


class Words(Sequence[Token]):
    """Words with an index of where each key (and each long key's skeleton) stands, so that
    looking up many phrases in the same words costs a dictionary lookup each."""

    def __init__(self, words: Sequence[Token]) -> None:
        self.words = list(words)
        self.at: dict[str, list[int]] = defaultdict(list)
        for i, word in enumerate(self.words):
            self.at[word.key].append(i)
            shape = skeleton(word.key) if word.capital else ""
            if shape:
                self.at["\x00" + shape].append(i)

    @overload
    def __getitem__(self, index: int) -> Token: ...
    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...
    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        return self.words[index]

    def __len__(self) -> int:
        return len(self.words)

    def starts(self, key: str) -> list[int]:
        """Where a word that may be the word with this key stands."""
        shape = skeleton(key)
        found = self.at.get(key, [])
        return sorted({*found, *self.at.get("\x00" + shape, [])}) if shape else found


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


def _any_phrase(words: Sequence[Token], phrases: Sequence[str]) -> tuple[int, int] | None:
    for phrase in phrases:
        keys = phrase_keys(phrase)
        at = phrase_at(words, keys) if keys else None
        if at is not None:
            return at, at + len(keys)
    return None


def find_events(
    text: str, sentence: Sequence[Token], setting: Setting, gazetteer: Gazetteer
) -> list[Mention]:
    """The visits that one sentence tells of.

    Where several visits of one visitor fit and the sentence names no one they
    met, the one nearest the article's date is meant.
    """
    if gazetteer.settings is None:
        return []
    if not any(w.key in gazetteer.visitor_keys for w in sentence):
        return []
    visit_words = {w.lower() for w in gazetteer.settings.visit_words}
    if not any(w.lower in visit_words or singular(w.lower) in visit_words for w in sentence):
        return []
    sentence = Words(sentence)
    fitting: dict[tuple[int, int], list[Entry]] = {}
    for entry in gazetteer.entries.values():
        who = _visitor(sentence, entry)
        if who is not None and _fits(text, sentence, entry, setting, gazetteer):
            fitting.setdefault(who, []).append(entry)
    found = []
    for (first, last), entries in fitting.items():
        for entry in _nearest(entries, sentence, setting.article_date):
            found.append(
                Mention(entry.feature_id, sentence[first].start, sentence[last - 1].end, "event")
            )
    return found


def _visitor(sentence: Sequence[Token], entry: Entry) -> tuple[int, int] | None:
    """Where the sentence names the visitor; not as the one met ("talks with Aliyev")."""
    if entry.event is None:
        return None
    who = _any_phrase(sentence, entry.event.who)
    if who is None or entry.event.with_:
        return who
    before = [w.lower for w in sentence[max(0, who[0] - 2) : who[0]]]
    possessive = who[1] < len(sentence) and sentence[who[1]].lower == "s"
    hosted = not possessive and (
        before[-1:] in (["with"], ["by"])
        or (len(before) == 2 and before[0] in ("with", "by") and sentence[who[0] - 1].capital)
        # "he and Putin signed": the visitor is "he".
        or before in (["he", "and"], ["she", "and"])
    )
    return None if hosted else who


def _nearest(entries: list[Entry], sentence: Sequence[Token], article_date: str) -> list[Entry]:
    named = [
        e for e in entries if e.event and e.event.with_ and _any_phrase(sentence, e.event.with_)
    ]
    if named or len(entries) == 1:
        return named or entries
    published = _article_day(article_date)
    if published is None:
        return entries

    def distance(entry: Entry) -> int:
        assert entry.dates is not None
        first, last = _bounds(entry.dates)
        return (
            0
            if first <= published <= last
            else min(abs((published - d).days) for d in (first, last))
        )

    return [min(entries, key=distance)]


def _fits(
    text: str, sentence: Sequence[Token], entry: Entry, setting: Setting, gazetteer: Gazetteer
) -> bool:
    assert entry.event is not None and entry.dates is not None
    span = text[sentence[0].start : sentence[-1].end]
    if not _years(span) and _RELATIVE.search(span):
        # "Seven months later, on 7 September": dated by the year of the sentence before.
        earlier = [
            m.group(1)
            for m in _YEAR.finditer(setting.before)
            if not _BOUNDARY.search(setting.before, max(0, m.start() - 8), m.start())
        ]
        span = f"{span} {earlier[-1]}" if earlier else span
    if not _time_fits(span, entry.dates, setting.article_date, entry):
        return False
    if entry.event.with_ and not _met(sentence, setting, entry):
        return _names_a_fitting_date(span, entry.dates)
    return _place_fits(sentence, entry, setting, gazetteer)


def _met(sentence: Sequence[Token], setting: Setting, entry: Entry) -> bool:
    """Whether the sentence, its paragraph or the article's opening names whom the visitor met."""
    assert entry.event is not None
    return any(
        _any_phrase(words, entry.event.with_) is not None
        for words in (sentence, setting.paragraph, setting.opening)
    )


def _place_fits(
    sentence: Sequence[Token], entry: Entry, setting: Setting, gazetteer: Gazetteer
) -> bool:
    """The sentence names the visit's place; or names no other destination, while its
    paragraph names the place, or the first place the article's opening names is it."""
    assert entry.event is not None and gazetteer.settings is not None
    if _any_phrase(sentence, entry.event.where) is not None:
        return True
    elsewhere = [p for p in _other_places(entry, gazetteer) if p not in entry.event.where]
    if _visited_elsewhere(sentence, [p for p in elsewhere if p != entry.origin], gazetteer):
        return False
    if _located_elsewhere(sentence, _place_names(entry, gazetteer)):
        return False
    # The scene: the first place the article's opening names, else its paragraph's.
    for scene in (setting.opening, setting.paragraph):
        verdict = _first_place_is_here(scene, entry.event.where, elsewhere)
        if verdict is not None:
            return verdict
    return False


def _first_place_is_here(
    scene: Sequence[Token], where: Sequence[str], elsewhere: Sequence[str]
) -> bool | None:
    """Whether the first place named in scene is the visit's; None when it names none."""
    here = [at for at in (phrase_at(scene, phrase_keys(p)) for p in where) if at is not None]
    there = [at for at in (phrase_at(scene, phrase_keys(p)) for p in elsewhere) if at is not None]
    if not here and not there:
        return None
    return bool(here) and (not there or min(here) <= min(there))


def _visited_elsewhere(
    sentence: Sequence[Token], elsewhere: Sequence[str], gazetteer: Gazetteer
) -> bool:
    """Whether the sentence takes the visit to another place: "his visit to Beijing",
    "met Aliyev in Dushanbe" (not "the war in Ukraine")."""
    assert gazetteer.settings is not None
    visit_words = {w.lower() for w in gazetteer.settings.visit_words}
    for phrase in elsewhere:
        keys = phrase_keys(phrase)
        at = phrase_at(sentence, keys) if keys else None
        if at is None or at == 0 or sentence[at - 1].lower not in DESTINATION:
            continue
        if any(w.lower in visit_words for w in sentence[max(0, at - 5) : at]):
            return True
    return False


def _located_elsewhere(sentence: Sequence[Token], places: Sequence[str]) -> bool:
    """Whether the sentence sets what it tells in another city: "talks in Baku" for a
    visit to Moscow."""
    for phrase in places:
        keys = phrase_keys(phrase)
        at = phrase_at(sentence, keys) if keys else None
        while at is not None and at > 0 and sentence[at - 1].lower == "the":
            at -= 1
        if at is not None and at > 0 and sentence[at - 1].lower in ("in", "at"):
            return True
    return False


def _place_names(entry: Entry, gazetteer: Gazetteer) -> list[str]:
    """The names of the place features that are not the visit's place."""
    assert entry.event is not None
    return [
        a.name
        for other in gazetteer.entries.values()
        if other.kind in ("place", "area")
        for a in other.aliases
        if a.name not in entry.event.where
    ]


def _other_places(entry: Entry, gazetteer: Gazetteer) -> list[str]:
    assert gazetteer.settings is not None
    names = list(gazetteer.settings.places)
    for other in gazetteer.entries.values():
        if other.kind in ("place", "area") and other.feature_id != entry.feature_id:
            names += [a.name for a in other.aliases]
    return names


def _bounds(dates: tuple[str, str]) -> tuple[date, date]:
    start = [int(p) for p in dates[0].split("-")] + [1, 1]
    end = [int(p) for p in dates[1].split("-")] + [12, 28]
    return date(start[0], start[1], start[2]), date(end[0], end[1], min(end[2], 28))


def _time_fits(span: str, dates: tuple[str, str], article_date: str, entry: Entry) -> bool:
    """No year or month in the sentence contradicts the visit, and the article is not too early."""
    assert entry.event is not None
    first, last = _bounds(dates)
    years = _years(span)
    if years and not any(first.year <= y <= last.year for y in years):
        return False
    months = _months(span)
    if months and not years and not any(first.month <= m <= last.month for m in months):
        return False
    published = _article_day(article_date)
    if published is None:
        return True
    if published < first - timedelta(days=entry.event.days_before):
        return False
    return bool(years) or published.year <= last.year + entry.event.years_after


def _names_a_fitting_date(span: str, dates: tuple[str, str]) -> bool:
    first, last = _bounds(dates)
    years = _years(span)
    months = _months(span)
    return any(first.year <= y <= last.year for y in years) and any(
        first.month <= m <= last.month for m in months
    )


def _years(span: str) -> set[int]:
    """Years the text dates things to; "since 2014" or "by 2028" only mark a boundary."""
    return {
        int(m.group(1))
        for m in _YEAR.finditer(span)
        if not _BOUNDARY.search(span, max(0, m.start() - 8), m.start())
    }


def _months(span: str) -> set[int]:
    """Months named in the text, capitalised as names are ("may" is no month)."""
    return {
        MONTHS.index(w.lower()) + 1
        for w in re.findall(r"\b[A-Z][a-z]+\b", span)
        if w.lower() in MONTHS
    }


def _article_day(written: str) -> date | None:
    if not written[:4].isdigit():
        return None
    parts = [int(p) for p in written.split("-")] + [1, 1]
    return date(parts[0], parts[1], min(parts[2], 28))
