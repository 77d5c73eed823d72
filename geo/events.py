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
from datetime import timedelta

from geo.folding import Phrase, Token, skeleton
from geo.gazetteer import Entry, Gazetteer, VisitPhrases, singular
from geo.when import (
    RELATIVE,
    YEAR,
    article_day,
    bounds,
    is_boundary,
    months_in,
    names_a_fitting_date,
    time_fits,
    years_in,
)
from geo.words import Mention, Words

# How long after a visit an article may name only its month ("in Baku on 19 August").
YEAR_DAYS = 365
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


def _any_phrase(words: Sequence[Token], phrases: Sequence[Phrase]) -> tuple[int, int] | None:
    """Where the first of the phrases (in their order) that the words hold stands."""
    indexed = words if isinstance(words, Words) else Words(words)
    for phrase, at in indexed.find_any(phrases):
        return at, at + len(phrase.keys)
    return None


def _free_phrase(
    words: Sequence[Token], phrases: Sequence[Phrase], gazetteer: Gazetteer
) -> tuple[int, int] | None:
    """_any_phrase, passing over a phrase that stands inside a longer phrase of another
    visit: "Aliyev" in "Heydar Aliyev International Airport" names no Aliyev and "Kremlin"
    in "Kremlin chief" no Kremlin, while "Putin" in "Vladimir Putin" is Putin."""
    indexed = words if isinstance(words, Words) else Words(words)
    own: set[tuple[str, ...]] | None = None
    for phrase, at in indexed.find_any(phrases):
        end = at + len(phrase.keys)
        # Looked up by the words as written: "Azerbaijani" may stand for "Azerbaijan".
        longer = [p for w in indexed[at:end] for p in gazetteer.long_names.get(w.key, ())]
        if not longer:
            return at, end
        own = own if own is not None else {p.keys for p in phrases}
        if not any(
            _holds_inside(indexed, other, (at, end)) for other in longer if other.keys not in own
        ):
            return at, end
    return None


def _holds_inside(words: Words, longer: Phrase, span: tuple[int, int]) -> bool:
    """Whether the longer phrase stands in the words around span."""
    at = words.find(longer.keys)
    return (
        at is not None
        and at <= span[0]
        and span[1] <= at + len(longer.keys)
        and len(longer.keys) > span[1] - span[0]
    )


def find_events(
    text: str, sentence: Sequence[Token], setting: Setting, gazetteer: Gazetteer
) -> list[Mention]:
    """The visits that one sentence tells of.

    Where several visits of one visitor fit and the sentence names no one they
    met, the one nearest the article's date is meant.
    """
    if gazetteer.settings is None:
        return []
    visit_words = gazetteer.visit_words
    if _several_visits(sentence, gazetteer):
        # "Shoigu made several trips to Baku": many visits, none of them this one.
        return []
    worded = any(w.lower in visit_words or singular(w.lower) in visit_words for w in sentence)
    # Without a word of visiting, only a sentence that names a month may tell one.
    if not worded and not months_in(text[sentence[0].start : sentence[-1].end]):
        return []
    keys = {w.key for w in sentence} | {skeleton(w.key) for w in sentence if w.capital}
    if not keys & gazetteer.visitor_keys:
        return []
    sentence = Words(sentence)
    fitting: dict[tuple[int, int], list[Entry]] = {}
    for feature_id, first_keys in gazetteer.visitors.items():
        if not keys & first_keys:
            continue
        entry = gazetteer.entries[feature_id]
        who = _visitor(sentence, entry, gazetteer)
        if (
            who is not None
            and (
                worded
                or _there_then(text, sentence, entry, setting, gazetteer)
                or _dated_meeting(text, sentence, entry, gazetteer)
            )
            and _fits(text, sentence, entry, setting, gazetteer)
        ):
            fitting.setdefault(who, []).append(entry)
    found = []
    for (first, last), entries in fitting.items():
        for entry in _nearest(entries, sentence, setting.article_date, gazetteer):
            found.append(
                Mention(entry.feature_id, sentence[first].start, sentence[last - 1].end, "event")
            )
    return found


def named_host(
    sentence: Sequence[Token], entry: Entry, gazetteer: Gazetteer
) -> tuple[int, int] | None:
    """Where the sentence names the visit's host."""
    return _free_phrase(Words(sentence), gazetteer.visit_phrases[entry.feature_id].hosts, gazetteer)


def names_the_place(sentence: Sequence[Token], entry: Entry, gazetteer: Gazetteer) -> bool:
    """Whether the sentence names the visit's place ("in the Alley of Honour")."""
    where = gazetteer.visit_phrases[entry.feature_id].where
    return _free_phrase(Words(sentence), where, gazetteer) is not None


def described_visitor(
    sentence: Sequence[Token], entry: Entry, gazetteer: Gazetteer
) -> tuple[int, int] | None:
    """Where the sentence describes the visitor by nation and a visitor noun, after "the":
    "the Russian official" (not "a Russian official", who may be anyone)."""
    indexed = Words(sentence)
    for phrase, at in indexed.find_any(gazetteer.visit_phrases[entry.feature_id].described):
        if at > 0 and sentence[at - 1].lower == "the":
            return at - 1, at + len(phrase.keys)
    return None


def named_visitor(
    sentence: Sequence[Token], entry: Entry, gazetteer: Gazetteer
) -> tuple[int, int] | None:
    """Where the sentence names the visitor (or, for a meeting, either side); not as the
    one a visitor met."""
    return _visitor(Words(sentence), entry, gazetteer)


def _several_visits(sentence: Sequence[Token], gazetteer: Gazetteer) -> bool:
    """Whether a word such as "several" stands just before a plural noun of visiting ("the
    visits of Shoigu to Tehran and Baku" is one trip with two stops)."""
    for k in range(1, len(sentence)):
        lower = sentence[k].lower
        plural = lower != singular(lower) and singular(lower) in gazetteer.visit_words
        if plural and any(w.lower in gazetteer.several_visits for w in sentence[max(0, k - 2) : k]):
            return True
    return False


def _visitor(
    sentence: Sequence[Token], entry: Entry, gazetteer: Gazetteer
) -> tuple[int, int] | None:
    """Where the sentence names the visitor; not as the one met ("talks with Aliyev")."""
    if entry.event is None:
        return None
    phrases = gazetteer.visit_phrases[entry.feature_id]
    who = _free_phrase(sentence, phrases.who, gazetteer)
    if entry.event.with_:
        # A meeting is told by either side: "Dunford met him in Baku".
        return who or _any_phrase(sentence, phrases.with_)
    if who is None:
        return None
    before = [w.lower for w in sentence[max(0, who[0] - 2) : who[0]]]
    possessive = who[1] < len(sentence) and sentence[who[1]].lower == "s"
    # Past the titles and names written before it: "with President Ilham Aliyev".
    title = who[0] - 1
    while title > 0 and sentence[title].capital:
        title -= 1
    hosted = not possessive and (
        (
            title >= 0
            and sentence[title].lower in ("with", "by")
            and not _visit_by(sentence, title, gazetteer)
        )
        # "he and Putin signed": the visitor is "he".
        or before in (["he", "and"], ["she", "and"])
    )
    return None if hosted else who


def _visit_by(sentence: Sequence[Token], at: int, gazetteer: Gazetteer) -> bool:
    """Whether words[at] is the "by" of "a visit by Putin", which names the visitor, not
    the host of "received by Aliyev"."""
    return (
        sentence[at].lower == "by"
        and at > 0
        and singular(sentence[at - 1].lower) in gazetteer.refer_nouns
    )


def _there_then(
    text: str, sentence: Words, entry: Entry, setting: Setting, gazetteer: Gazetteer
) -> bool:
    """A visit told without a word of visiting: the visitor in the visit's place at a date
    that fits ("Putin, in Baku on 19 August, said"; "Gerasimov was in Baku in February
    2017"). The place must follow "in" or "at", and the month fit the visit, in a year
    that fits or, with no year, in an article written within a year of it."""
    assert entry.dates is not None
    phrases = gazetteer.visit_phrases[entry.feature_id]
    if not any(
        _located_elsewhere(sentence, [p], observers=gazetteer.observers) for p in phrases.where
    ):
        return False
    span = text[sentence[0].start : sentence[-1].end]
    if years_in(span):
        return names_a_fitting_date(span, entry.dates)
    first, last = bounds(entry.dates)
    published = article_day(setting.article_date)
    return (
        published is not None
        and first <= published <= last + timedelta(days=YEAR_DAYS)
        and any(first.month <= m <= last.month for m in months_in(span))
    )


def _dated_meeting(text: str, sentence: Words, entry: Entry, gazetteer: Gazetteer) -> bool:
    """A meeting told by whom the visitor met and its month and year, without a word of
    visiting: "In April 2018 it was the turn of Curtis Scaparrotti". Its place is then
    the scene's (see _place_fits)."""
    assert entry.event is not None and entry.dates is not None
    if not entry.event.with_:
        return False
    phrases = gazetteer.visit_phrases[entry.feature_id]
    span = text[sentence[0].start : sentence[-1].end]
    return _any_phrase(sentence, phrases.with_) is not None and names_a_fitting_date(
        span, entry.dates
    )


def _nearest(
    entries: list[Entry], sentence: Sequence[Token], article_date: str, gazetteer: Gazetteer
) -> list[Entry]:
    named = [
        e
        for e in entries
        if e.event
        and e.event.with_
        and _any_phrase(sentence, gazetteer.visit_phrases[e.feature_id].with_)
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
            if not is_boundary(setting.before, m.start())
        ]
        span = f"{span} {earlier[-1]}" if earlier else span
    if not time_fits(span, entry.dates, setting.article_date, entry):
        return False
    if entry.event.with_ and not _met(sentence, setting, gazetteer.visit_phrases[entry.feature_id]):
        return names_a_fitting_date(span, entry.dates)
    return _place_fits(sentence, entry, setting, gazetteer)


def _met(sentence: Sequence[Token], setting: Setting, phrases: VisitPhrases) -> bool:
    """Whether the sentence, its paragraph or the article's opening names whom the visitor met."""
    return any(
        _any_phrase(words, phrases.with_) is not None
        for words in (sentence, setting.paragraph, setting.opening)
    )


def _place_fits(
    sentence: Sequence[Token], entry: Entry, setting: Setting, gazetteer: Gazetteer
) -> bool:
    """The sentence names the visit's place; or names no other destination, while its
    paragraph names the place, or the first place the article's opening names is it."""
    assert entry.event is not None and gazetteer.settings is not None
    phrases = gazetteer.visit_phrases[entry.feature_id]
    if _free_phrase(sentence, phrases.where, gazetteer) is not None:
        return True
    if _visited_elsewhere(sentence, phrases.away, gazetteer):
        return False
    if _located_elsewhere(sentence, phrases.other_names, observers=gazetteer.observers):
        return False
    # The scene: the first place the article's opening names, else its paragraph's.
    for scene in (setting.opening, setting.paragraph):
        verdict = _first_place_is_here(scene, phrases.where, phrases.elsewhere)
        if verdict is not None:
            return verdict
    return False


def _first_place_is_here(
    scene: Sequence[Token], where: Sequence[Phrase], elsewhere: Sequence[Phrase]
) -> bool | None:
    """Whether the first place named in scene is the visit's; None when it names none.

    Another place sets the scene only where something happens in it or goes to it (after
    "in", "at", "to" …) or as the dateline that opens the scene: "Russia" in "met Russia's
    chief of general staff in Baku" or "the officers of the United States and Russia met
    in Baku" is no scene."""
    indexed = scene if isinstance(scene, Words) else Words(scene)
    here = [at for _, at in indexed.find_any(where)]
    there = [at for _, at in indexed.find_any(elsewhere) if _sets_scene(scene, at)]
    if not here and not there:
        return None
    return bool(here) and (not there or min(here) <= min(there))


def _sets_scene(scene: Sequence[Token], at: int) -> bool:
    while at > 0 and scene[at - 1].lower == "the":
        at -= 1
    return at == 0 or scene[at - 1].lower in DESTINATION


def _visited_elsewhere(
    sentence: Sequence[Token], elsewhere: Sequence[Phrase], gazetteer: Gazetteer
) -> bool:
    """Whether the sentence takes the visit to another place: "his visit to Beijing",
    "met Aliyev in Dushanbe" (not "the war in Ukraine")."""
    visit_words = gazetteer.visit_words
    indexed = sentence if isinstance(sentence, Words) else Words(sentence)
    for _, at in indexed.find_any(elsewhere):
        if at == 0 or sentence[at - 1].lower not in DESTINATION:
            continue
        if any(w.lower in visit_words for w in sentence[max(0, at - 5) : at]):
            return True
    return False


# How near the words that tell a visit again a place must be to set them elsewhere.
NEAR_WORDS = 5


def elsewhere(
    sentence: Sequence[Token], feature_id: str, gazetteer: Gazetteer, near: int | None = None
) -> bool:
    """Whether a sentence sets what it tells in a place that is not the visit's: "In
    Pyongyang, his talks ...". Any known place after "in" or "at" counts; with near (where
    the words that tell the visit stand), only one that opens the sentence or stands within
    NEAR_WORDS of them: "The visit comes as ... the war in Ukraine began" is no visit to
    Ukraine."""
    entry = gazetteer.entries[feature_id]
    assert entry.event is not None
    sentence = Words(sentence)
    phrases = gazetteer.visit_phrases[feature_id]
    if _any_phrase(sentence, phrases.where) is not None:
        return False
    return _located_elsewhere(sentence, phrases.elsewhere, near, gazetteer.observers)


def _located_elsewhere(
    sentence: Sequence[Token],
    places: Sequence[Phrase],
    near: int | None = None,
    observers: frozenset[str] = frozenset(),
) -> bool:
    """Whether the sentence sets what it tells in another city: "talks in Baku" for a
    visit to Moscow. Not where the place only says where some who watch it are:
    "analysts in Baku noted that the guest ..." (observers, from tagging.yaml)."""
    indexed = sentence if isinstance(sentence, Words) else Words(sentence)
    for _, at in indexed.find_any(places):
        while at > 0 and sentence[at - 1].lower == "the":
            at -= 1
        if at > 1 and sentence[at - 1].lower == "in" and sentence[at - 2].lower in observers:
            continue
        before = sentence[at - 1].lower if at > 0 else ""
        if near is None and before in ("in", "at"):
            return True
        # Near the words that tell the visit, "visited Moscow" is a visit there too.
        if near is not None and before in DESTINATION and (at <= 1 or abs(at - near) <= NEAR_WORDS):
            return True
    return False
