"""Events: a visit told without its name, as who + where + a visit word, at a time that fits.

"The Kremlin chief arrived in Baku" and "during his talks in Baku last August"
are the 2024 state visit; "Putin's visit" in an article about Putin in another
country or year is not. A sentence cites a visit when it names the visitor
(by name or role), a word of visiting, and the visit's place, or no other place
while the paragraph or the article's opening names the visit's place; and when
the years and months it names, and the article's date, fit the visit's dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from geo.folding import Token, phrase_keys, skeleton
from geo.gazetteer import Entry, Gazetteer, singular
from geo.when import (
    BOUNDARY,
    RELATIVE,
    YEAR,
    article_day,
    bounds,
    names_a_fitting_date,
    time_fits,
    years_in,
)
from geo.words import Mention, Words, phrase_at

DESTINATION = frozenset({"to", "in", "at", "into", "visit", "visited", "visiting", "visits"})


@dataclass(frozen=True)
class Setting:
    """Where a sentence sits: its article's date and opening words, its paragraph's words,
    and the text of the paragraph before it (whose last year dates a sentence that names
    none)."""

    article_date: str
    opening: Sequence[Token]
    paragraph: Sequence[Token] = ()
    before: str = ""


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
    keys = {w.key for w in sentence} | {skeleton(w.key) for w in sentence if w.capital}
    if not keys & gazetteer.visitor_keys:
        return []
    visit_words = {w.lower() for w in gazetteer.settings.visit_words}
    if not any(w.lower in visit_words or singular(w.lower) in visit_words for w in sentence):
        return []
    sentence = Words(sentence)
    fitting: dict[tuple[int, int], list[Entry]] = {}
    for feature_id, first_keys in gazetteer.visitors.items():
        if not keys & first_keys:
            continue
        entry = gazetteer.entries[feature_id]
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
    if entry.event.with_:
        # A meeting is told by either side: "Dunford met him in Baku".
        return who or _any_phrase(sentence, entry.event.with_)
    if who is None:
        return None
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
    published = article_day(article_date)
    if published is None:
        return entries

    def distance(entry: Entry) -> int:
        assert entry.dates is not None
        first, last = bounds(entry.dates)
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
    if not years_in(span) and RELATIVE.search(span):
        # "Seven months later, on 7 September": dated by the year of the sentence before.
        earlier = [
            m.group(1)
            for m in YEAR.finditer(setting.before)
            if not BOUNDARY.search(setting.before, max(0, m.start() - 8), m.start())
        ]
        span = f"{span} {earlier[-1]}" if earlier else span
    if not time_fits(span, entry.dates, setting.article_date, entry):
        return False
    if entry.event.with_ and not _met(sentence, setting, entry):
        return names_a_fitting_date(span, entry.dates)
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


def elsewhere(sentence: Sequence[Token], feature_id: str, gazetteer: Gazetteer) -> bool:
    """Whether a sentence sets what it tells in a place that is not the visit's: "In
    Pyongyang, his talks ...". Any known place after "in" or "at" counts."""
    entry = gazetteer.entries[feature_id]
    assert entry.event is not None
    sentence = Words(sentence)
    places = [p for p in _other_places(entry, gazetteer) if p not in entry.event.where]
    if _any_phrase(sentence, entry.event.where) is not None:
        return False
    return _located_elsewhere(sentence, places)


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
