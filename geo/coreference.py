"""Reference back: "the corridor", "the line", "the project" after a feature was named.

Within one paragraph, a sentence that says "the line" (a determiner, perhaps a
word such as "new", and one of a feature's reference nouns) is about the
feature named just before, when exactly one feature that takes that noun was
named in the latest sentence that named any. A named thing that is no feature
("the Middle Corridor") counts as a rival, so "the corridor" after it cites
nothing. The citation records the earlier mention it refers to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from geo.events import (
    described_visitor,
    elsewhere,
    named_host,
    named_visitor,
    names_the_place,
)
from geo.folding import Token, phrase_keys
from geo.gazetteer import Entry, Gazetteer, singular
from geo.routes import DESTINATIONS, heads_elsewhere
from geo.when import MONTHS, article_day, bounds
from geo.words import Mention

MONTH_NAMES = frozenset(MONTHS)
FOREIGN = ""
# Past the end of its paragraph, a naming is referred back to for this many sentences.
CARRY_SENTENCES = 4
# How far into a sentence its subject may start ("The 1,850-kilometre TANAP enters").
SUBJECT_WORDS = 4
# Words that put a thing in a place, before a place's name.
PLACE_PREPOSITIONS = frozenset(("in", "from", "at", "near"))
# Words that put a thing in or send it to a place: before a capitalised word that is no
# feature, "there" after the sentence may be that place ("He flew on to Antalya").
ADVERB_PREPOSITIONS = PLACE_PREPOSITIONS | DESTINATIONS | frozenset(("into",))
PRONOUNS = frozenset(("it", "its"))
# Words before a participle that make it no past event: the present perfect ("has
# warned"), the present passive ("is expected") and a comparison ("than expected").
NOT_PAST_AFTER = frozenset(("has", "have", "is", "are", "be", "than"))
# Words of the present or the future: a sentence with one tells what is or will be, not
# only what was done at a visit ("this agreement is being implemented").
PRESENT_AUXILIARIES = frozenset(
    ("is", "are", "am", "has", "have", "will", "would", "can", "may", "must", "being", "does")
)
# Words that open a phrase of place or time before a subject: "Near Komotini it ...".
OPENING_PREPOSITIONS = frozenset(("in", "near", "at", "since", "from", "after", "beyond", "by"))
# How long that opening phrase may be, in words.
PHRASE_WORDS = 3
# A sentence that may open so (a sieve: names and years only; _pronoun_at decides), read
# even where no word of it could name a feature.
FRONTED_PRONOUN = re.compile(
    rf"(?i:{'|'.join(sorted(OPENING_PREPOSITIONS))})\s+(?:(?:the\s+)?[A-Za-z\d]\S*\s+){{1,{PHRASE_WORDS}}}[iI]ts?\b"
)
# How far into a sentence a subject after an opening phrase may start.
FRONTED_WORDS = 12


class Sentence(NamedTuple):
    """A sentence with its paragraph's number, words, named features and foreign names."""

    paragraph: int
    words: list[Token]
    named: list[Mention]
    foreign: list[tuple[int, int, str]]


class Antecedent(NamedTuple):
    """What a noun can refer back to: the features, the mention, and where it was."""

    features: frozenset[str]
    span: tuple[int, int]
    paragraph: int
    sentence: int
    # Every feature the sentence named that takes the noun: what "the pipelines" are.
    together: frozenset[str] = frozenset()


Antecedents = dict[str, Antecedent]


def resolve_references(
    sentences: Sequence[Sentence], gazetteer: Gazetteer, article_date: str = ""
) -> list[Mention]:
    """Mentions by reference back, for an article's sentences in order; article_date
    tells whether a visit was still to come when the article was written."""
    antecedents: Antecedents = {}
    found: list[Mention] = []
    subject: Mention | None = None
    topics = _topics(sentences, gazetteer)
    lede_visit = _lede_visit(sentences, gazetteer)
    told_visits: dict[tuple[str, str], Antecedent] = {}
    told_before: tuple[int, list[Mention]] = (-1, [])
    told_visit: tuple[int, Mention] | None = None
    for index, sentence in enumerate(sentences):
        if not sentence.words:
            # A sentence told without its words names nothing, refers to nothing and
            # has no subject: it only counts.
            subject, told_before, told_visit = None, (-1, []), None
            continue
        _return_to_lede_visit(antecedents, told_visits, lede_visit, sentence, gazetteer)
        live = {
            noun: a
            for noun, a in antecedents.items()
            if a.paragraph == sentence.paragraph
            or (index - a.sentence <= CARRY_SENTENCES and sentence.paragraph - a.paragraph <= 2)
            # A visit stays the article's topic until another is named: "the visit" late
            # in an article about it is still that visit.
            or (
                all(gazetteer.entries[f].kind == "visit" for f in a.features - {FOREIGN})
                and a.features != {FOREIGN}
            )
            # So does a route the article opens with, for its own nouns ("the pipeline"),
            # until another thing takes them.
            or (noun in topics and a.features == {topics[noun]})
        }
        references = _references(sentence, live, gazetteer)
        pronoun = _pronoun(sentence, subject, references, gazetteer)
        references += pronoun
        references += _visit_again(
            sentence, live, [*sentence.named, *references], gazetteer, article_date
        )
        goes_on = _visit_goes_on(sentence, told_visit, [*sentence.named, *references], gazetteer)
        references += goes_on
        references += _bridging(sentence, told_before, [*sentence.named, *references], gazetteer)
        found += references
        # A sentence that only goes on telling a visit does not carry it further.
        told_visit = (
            None if goes_on else _visit_told(sentence, [*sentence.named, *references], gazetteer)
        )
        routes = [m for m in [*sentence.named, *references] if _is_route(m.feature_id, gazetteer)]
        told_before = (sentence.paragraph, routes)
        _remember(antecedents, sentence, [*sentence.named, *references], index, gazetteer)
        _another_visit_told(antecedents, sentence, [*sentence.named, *references], index, gazetteer)
        told_visits |= {
            (noun, next(iter(a.features))): a
            for noun, a in antecedents.items()
            if a.sentence == index and _one_visit(a, gazetteer)
        }
        subject = _subject(sentence, [*sentence.named, *references], gazetteer)
    return found


def _another_visit_told(
    antecedents: Antecedents,
    sentence: Sentence,
    cited: list[Mention],
    index: int,
    gazetteer: Gazetteer,
) -> None:
    """A sentence that tells a visit (a word of visiting) in a year no visit it could
    refer to fits, and cites none, tells another visit: "In August 2016 Putin came to
    Baku for a summit. That meeting, too, ..." is that summit, not the visit of 2024."""
    if any(gazetteer.entries[m.feature_id].kind == "visit" for m in cited):
        return
    words = sentence.words
    if not any(w.lower in gazetteer.visit_words for w in words):
        return
    for noun, a in list(antecedents.items()):
        if _one_visit(a, gazetteer) and _misdated(words, gazetteer.entries[next(iter(a.features))]):
            span = (words[0].start, words[-1].end)
            antecedents[noun] = Antecedent(frozenset({FOREIGN}), span, sentence.paragraph, index)


def _one_visit(antecedent: Antecedent, gazetteer: Gazetteer) -> bool:
    (feature_id, *more) = antecedent.features
    return not more and feature_id != FOREIGN and gazetteer.entries[feature_id].kind == "visit"


def _lede_visit(sentences: Sequence[Sentence], gazetteer: Gazetteer) -> str | None:
    """The visit an article's first paragraph tells, when it tells exactly one: the
    article's visit, which "the visit" opening a later paragraph returns to."""
    visits = {
        m.feature_id
        for s in sentences
        if s.paragraph == 0
        for m in s.named
        if gazetteer.entries[m.feature_id].kind == "visit"
    }
    return next(iter(visits)) if len(visits) == 1 else None


def _return_to_lede_visit(
    antecedents: Antecedents,
    told_visits: dict[tuple[str, str], Antecedent],
    lede_visit: str | None,
    sentence: Sentence,
    gazetteer: Gazetteer,
) -> None:
    """A new paragraph returns to the article's visit: "the visit" there is the one the
    article is about, not another visit a paragraph before mentioned in passing ("Ten
    days earlier, Shoigu had prepared the ground in Baku."). Within the paragraph that
    named the other visit, and where the sentence names that visit's visitor ("Shoigu
    also noted ... during his visit"), "the visit" is still that one."""
    if lede_visit is None:
        return
    for noun, a in list(antecedents.items()):
        lede = told_visits.get((noun, lede_visit))
        if (
            lede is not None
            and a.paragraph < sentence.paragraph
            and (_one_visit(a, gazetteer) or a.features == {FOREIGN})
            and a.features != lede.features
            and not any(
                named_visitor(sentence.words, gazetteer.entries[f], gazetteer)
                for f in a.features - {FOREIGN}
            )
        ):
            antecedents[noun] = lede


def _visit_told(
    sentence: Sentence, cited: list[Mention], gazetteer: Gazetteer
) -> tuple[int, Mention] | None:
    """The one visit a sentence tells, with its paragraph; None if it tells none or several."""
    visits = [m for m in cited if gazetteer.entries[m.feature_id].kind == "visit"]
    if len({m.feature_id for m in visits}) != 1:
        return None
    return sentence.paragraph, visits[0]


def _visit_goes_on(
    sentence: Sentence,
    told_visit: tuple[int, Mention] | None,
    cited: list[Mention],
    gazetteer: Gazetteer,
) -> list[Mention]:
    """The sentence right after one that told a visit, in its paragraph, goes on telling it
    when it tells what was done or said and nothing points elsewhere: "The military leaders
    met in Baku. Particular attention was paid to Syria." Not when it tells another visit,
    another place or another time ("Shoigu moved to the Security Council in May")."""
    if told_visit is None or told_visit[0] != sentence.paragraph:
        return []
    if any(gazetteer.entries[m.feature_id].kind == "visit" for m in cited):
        return []
    mention = told_visit[1]
    words = sentence.words
    verb = _past_verb(words, gazetteer, strict=True)
    if (
        verb is None
        or _opens_with_a_route(words, verb, gazetteer)
        or sentence.foreign
        or any(w.lower in PRESENT_AUXILIARIES for w in words)
        # A word of visiting tells another visit, unless at this one's place: "He laid a
        # wreath at the grave of Heydar Aliyev", not "Aliyev had visited Moscow in April".
        or (
            any(w.lower in gazetteer.visit_words for w in words)
            and not _at_the_visits_place(
                words, cited, gazetteer.entries[mention.feature_id], gazetteer
            )
        )
        or elsewhere(words, mention.feature_id, gazetteer)
        or _misdated(words, gazetteer.entries[mention.feature_id])
    ):
        return []
    antecedent = mention.antecedent or (mention.start, mention.end)
    return [
        Mention(mention.feature_id, words[verb].start, words[verb].end, "reference", antecedent)
    ]


def _at_the_visits_place(
    words: list[Token], cited: list[Mention], entry: Entry, gazetteer: Gazetteer
) -> bool:
    """Whether the sentence names the visit's place, or a place feature one of whose
    names is among it ("the grave of Heydar Aliyev" is the Alley of Honour, in Baku)."""
    if names_the_place(words, entry, gazetteer):
        return True
    assert entry.event is not None
    where = {w.lower() for w in entry.event.where}
    return any(
        gazetteer.entries[m.feature_id].kind == "place"
        and any(a.name.lower() in where for a in gazetteer.entries[m.feature_id].aliases)
        for m in cited
    )


def _opens_with_a_route(words: list[Token], verb: int, gazetteer: Gazetteer) -> bool:
    """Whether a route's noun stands before the sentence's verb: its subject is a route
    ("The two pipelines carried less oil"), not the visit."""
    nouns = gazetteer.all_heads | _route_nouns(gazetteer)
    return any(singular(w.lower) in nouns for w in words[:verb])


def _is_route(feature_id: str, gazetteer: Gazetteer) -> bool:
    return gazetteer.entries[feature_id].kind not in ("place", "area", "visit")


# Words that may open a bridging sentence before its noun, besides the determiners: "Its
# capacity", "A first phase".
OPENING_ARTICLES = frozenset(("its", "a", "an"))


def _bridging(
    sentence: Sentence,
    told_before: tuple[int, list[Mention]],
    cited: list[Mention],
    gazetteer: Gazetteer,
) -> list[Mention]:
    """A sentence that opens with what a route has or undergoes ("Construction is expected
    to take four years", "Its capacity ..."), right after one in its paragraph that told
    that route alone, and naming nothing else of its kind, is about that route."""
    paragraph, before = told_before
    routes = {m.feature_id for m in before}
    if len(routes) != 1 or any(_is_route(m.feature_id, gazetteer) for m in cited):
        return []
    if sentence.foreign or sentence.paragraph - paragraph > 1:
        # News paragraphs are often one sentence long: the sentence right before may
        # close the paragraph before.
        return []
    words = sentence.words
    at = 1 if words[0].lower in gazetteer.determiners or words[0].lower in OPENING_ARTICLES else 0
    while at < len(words) - 1 and words[at].lower in gazetteer.reference_modifiers:
        # "A first phase", "The new capacity".
        at += 1
    if at >= len(words) or singular(words[at].lower) not in gazetteer.bridging_nouns:
        return []
    (feature_id,) = routes
    antecedent = before[0].antecedent or (before[0].start, before[0].end)
    return [Mention(feature_id, words[0].start, words[at].end, "reference", antecedent)]


def _topics(sentences: Sequence[Sentence], gazetteer: Gazetteer) -> dict[str, str]:
    """The article's topic for each noun: the one route its first paragraph names that takes
    the noun ("the corridor" for the INSTC when the opening names it with the Rasht-Astara
    railway, which is "the railway"), which the noun still means late in the article."""
    takers: dict[str, set[str]] = {}
    for sentence in sentences:
        if sentence.paragraph != 0:
            break
        for m in sentence.named:
            if gazetteer.entries[m.feature_id].kind in ("place", "area", "visit"):
                continue
            for noun in _nouns(m.feature_id, gazetteer) & gazetteer.topic_nouns:
                takers.setdefault(noun, set()).add(m.feature_id)
    return {noun: next(iter(found)) for noun, found in takers.items() if len(found) == 1}


def _visit_again(
    sentence: Sentence,
    live: Antecedents,
    cited: list[Mention],
    gazetteer: Gazetteer,
    article_date: str = "",
) -> list[Mention]:
    """A visit told before, told again without its words, in a sentence that tells what was
    done or said (a past tense), sets nothing elsewhere and names no year the visit does
    not fit:

    - in this paragraph or the one before, by its visitor, its host or its two sides
      ("Shoigu told reporters ...", "Aliyev hosted him for dinner", "The two discussed");
    - anywhere while it is the article's visit, by its visitor in its place ("Putin laid
      flowers ... in the Alley of Honour").
    """
    if any(gazetteer.entries[m.feature_id].kind == "visit" for m in cited):
        return []
    visits = [
        a
        for a in live.values()
        if FOREIGN not in a.features
        and all(gazetteer.entries[f].kind == "visit" for f in a.features)
    ]
    if not visits:
        return []
    latest = max(a.sentence for a in visits)
    features = {f for a in visits if a.sentence == latest for f in a.features}
    if len(features) != 1:
        return []
    (feature_id,) = features
    antecedent = next(a for a in visits if a.sentence == latest)
    recent = sentence.paragraph - antecedent.paragraph <= 1
    told = _told_again(sentence.words, gazetteer.entries[feature_id], recent, gazetteer)
    words = sentence.words
    if (
        told is None
        or not (
            _tells_what_was_done(words, gazetteer)
            or _foretold(words, gazetteer.entries[feature_id], article_date, gazetteer)
        )
        or elsewhere(words, feature_id, gazetteer, near=told[0])
        or _misdated(words, gazetteer.entries[feature_id])
    ):
        return []
    span = (words[told[0]].start, words[told[1] - 1].end)
    return [Mention(feature_id, *span, "reference", antecedent.span)]


def _told_again(
    words: list[Token], entry: Entry, recent: bool, gazetteer: Gazetteer
) -> tuple[int, int] | None:
    """Where the words that tell the visit again stand (see _visit_again)."""
    if recent:
        told = _sides(words, gazetteer) or _host_to_visitor(words, entry, gazetteer)
        if told is not None:
            return told
    described = described_visitor(words, entry, gazetteer)
    if described is not None and (recent or names_the_place(words, entry, gazetteer)):
        # "The Russian official arrived in the Azerbaijani capital": the events take no
        # description, so a word of visiting here tells this visit again.
        return described
    if any(w.lower in gazetteer.visit_words for w in words):
        # The visitor and a word of visiting, which the events did not take for this
        # visit: another visit ("his trip to Pyongyang"), not this one told again.
        return None
    visitor = named_visitor(words, entry, gazetteer)
    if visitor is not None and (recent or names_the_place(words, entry, gazetteer)):
        return visitor
    return None


# A host's sentence is about the visit when it does something to "him", "her" or "his
# counterpart".
OBJECT_PRONOUNS = frozenset(("him", "her", "counterpart"))


def _host_to_visitor(
    words: list[Token], entry: Entry, gazetteer: Gazetteer
) -> tuple[int, int] | None:
    """Where the host stands in a sentence that has the host receive or speak to the visitor
    ("Aliyev hosted him for dinner"), not one about the host alone ("Aliyev seeks a
    balance with Turkey")."""
    host = named_host(words, entry, gazetteer)
    if host is None:
        return None
    toward = any(w.lower in OBJECT_PRONOUNS or w.lower in gazetteer.visit_words for w in words)
    return host if toward else None


# Words that may join a clause about the two sides to what comes before it: "Energy was on
# the table, though the two sides said little".
CLAUSE_JOINERS = frozenset(
    ("though", "although", "while", "but", "and", "as", "where", "when", "after", "before")
)
# How many describing words may stand between the opener and a participant noun.
SIDES_WORDS = 2


def _sides(words: list[Token], gazetteer: Gazetteer) -> tuple[int, int] | None:
    """Where the two sides of a meeting open a clause ("The two", "Both sides", "The military
    leaders", "According to the Pentagon, the generals"), not two of something a feature is
    ("The two pipelines")."""
    for at in _clause_starts(words):
        found = _sides_at(words, at, gazetteer)
        if found is not None:
            return found
    return None


def _clause_starts(words: list[Token]) -> Iterator[int]:
    """Where clauses may start: the sentence's start, after punctuation, after a joiner
    that follows punctuation."""
    yield 0
    for k in range(1, len(words)):
        if words[k].start - words[k - 1].end > 1 or (
            words[k - 1].lower in CLAUSE_JOINERS
            and (k < 2 or words[k - 1].start - words[k - 2].end > 1)
        ):
            yield k


def _sides_at(words: list[Token], at: int, gazetteer: Gazetteer) -> tuple[int, int] | None:
    lowered = [w.lower for w in words[at:]]
    for phrase in gazetteer.participants:
        end = len(phrase)
        if tuple(lowered[:end]) != phrase:
            continue
        after = singular(lowered[end]) if end < len(lowered) else ""
        if after in gazetteer.all_heads or after in _route_nouns(gazetteer) or after == "of":
            # "The two pipelines", "both sides of the border".
            return None
        return at, at + end
    if lowered and lowered[0] in gazetteer.participant_openers:
        for k in range(1, min(len(lowered), SIDES_WORDS + 2)):
            if lowered[k] in gazetteer.participant_nouns:
                # "the leaders of Turkic states" are theirs, not the meeting's sides.
                return None if lowered[k + 1 : k + 2] == ["of"] else (at, at + k + 1)
            if words[at + k].capital or words[at + k].start - words[at + k - 1].end > 1:
                # A name ("The Russian leaders") or punctuation ends the opening.
                break
    return None


def _route_nouns(gazetteer: Gazetteer) -> frozenset[str]:
    return frozenset(
        singular(n.lower())
        for e in gazetteer.entries.values()
        if e.kind != "visit"
        for n in e.refer
    )


def _foretold(words: list[Token], entry: Entry, article_date: str, gazetteer: Gazetteer) -> bool:
    """Whether, in an article written before the visit, the sentence tells what is to come
    at it ("the two presidents will speak to the press after their talks")."""
    published = article_day(article_date)
    assert entry.dates is not None
    if published is None or published >= bounds(entry.dates)[0]:
        return False
    return any(w.lower in gazetteer.future_words for w in words)


def _tells_what_was_done(words: list[Token], gazetteer: Gazetteer) -> bool:
    """Whether a sentence has a verb in the past ("said", "signed"): what was done or said at
    the visit, not what the visitor wants or is ("The Russian leader seeks to ...")."""
    return _past_verb(words, gazetteer) is not None


def _past_verb(words: list[Token], gazetteer: Gazetteer, *, strict: bool = False) -> int | None:
    """Where the sentence's first verb in the past stands (see _tells_what_was_done).

    strict: not a word in -ed that an adverb in -ly, a determiner or a preposition comes
    before ("its traditionally balanced approach", "the planned route"), which is an
    adjective more often than a verb."""
    for k, w in enumerate(words):
        irregular = w.lower in gazetteer.past_tenses
        # A regular past tense; a short word in -ed ("red", "bed") is none.
        regular = len(w.lower) > 4 and w.lower.endswith("ed") and not w.capital
        before = words[k - 1].lower if k > 0 else ""
        if strict and regular and not irregular and _describes(before, gazetteer):
            continue
        # "has warned Congress" tells what someone has long said, "is expected" what is to
        # come: neither is what was done at the visit.
        if (irregular or regular) and before not in NOT_PAST_AFTER:
            return k
    return None


# Words after which a word in -ed describes a noun rather than tells an act.
ADJECTIVE_OPENERS = frozenset(
    ("a", "an", "its", "their", "of", "in", "on", "with", "for", "to", "by", "from")
)


def _describes(before: str, gazetteer: Gazetteer) -> bool:
    return before.endswith("ly") or before in gazetteer.determiners or before in ADJECTIVE_OPENERS


def _misdated(words: list[Token], entry: Entry) -> bool:
    """Whether the sentence names a year outside the visit's ("Putin, in power since 2000,
    ..." names a boundary, not a date, and is no misfit)."""
    assert entry.dates is not None
    first, last = bounds(entry.dates)
    for k, w in enumerate(words):
        if len(w.lower) == 4 and w.lower.isdigit() and 1900 <= int(w.lower) <= 2100:
            boundary = k > 0 and words[k - 1].lower in ("since", "until", "by", "before")
            if boundary:
                continue
            if not first.year <= int(w.lower) <= last.year:
                return True
            if k > 0 and words[k - 1].capital and words[k - 1].lower in MONTH_NAMES:
                # "in December 2024" is no visit of August 2024.
                month = (int(w.lower), MONTHS.index(words[k - 1].lower) + 1)
                if not (first.year, first.month) <= month <= (last.year, last.month):
                    return True
    return False


def _pronoun(
    sentence: Sentence, subject: Mention | None, references: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """ "It" or "Its" opening a sentence is the feature that was the subject of the one
    before: "TAP starts at Kipoi. Its shareholders are BP, SOCAR ..." """
    words = sentence.words
    at = _pronoun_at(words)
    if subject is None or at is None:
        return []
    if any(m.feature_id == subject.feature_id for m in [*sentence.named, *references]):
        return []
    if any(m.start < words[at].start and _takes_nouns(m, gazetteer) for m in sentence.named):
        # "After TANAP, it ..." may be TANAP: another route or visit came first.
        return []
    antecedent = subject.antecedent or (subject.start, subject.end)
    return [Mention(subject.feature_id, words[at].start, words[at].end, "reference", antecedent)]


def _pronoun_at(words: list[Token]) -> int | None:
    """Where the sentence's subject is "it"/"its": its first word, or the word after an
    opening phrase of place or time ("Near Komotini it connects", "In 2022 its flows")."""
    if not words:
        return None
    if words[0].lower in PRONOUNS:
        return 0
    if words[0].lower not in OPENING_PREPOSITIONS:
        return None
    for k in range(1, min(len(words), PHRASE_WORDS + 2)):
        if words[k].lower in PRONOUNS:
            return k
    # Past a longer opening, "it" is too far in to be the sentence's subject.
    return None


def _subject(sentence: Sentence, named: list[Mention], gazetteer: Gazetteer) -> Mention | None:
    """The route, area or visit a sentence opens with (among its first words), if any: of
    names that start together, the longest ("the Zangazur corridor", not "Zangazur"); or
    the feature named later that the opening noun stands for ("The 1,330-kilometre
    pipeline, which SOCAR calls the Northern Route, starts at ...")."""
    words = sentence.words
    if not words or not named:
        return None
    first = min(named, key=lambda m: (m.start, m.start - m.end))
    opening = words[min(SUBJECT_WORDS, len(words) - 1)].start
    if first.start > opening:
        return _described_subject(sentence, named, gazetteer) or _fronted_subject(
            sentence, named, gazetteer
        )
    if gazetteer.entries[first.feature_id].kind == "place" or _by_its_part(
        sentence, first, gazetteer
    ):
        return None
    return first


def _by_its_part(sentence: Sentence, mention: Mention, gazetteer: Gazetteer) -> bool:
    """Whether the mention is a name that cites the feature only with a context word: it
    names a part or a neighbour ("Kapan, the provincial centre" for Syunik, "Transneft"
    for its pipeline), so "its" after it is the town's or the company's."""
    written = tuple(w.key for w in sentence.words if mention.start <= w.start < mention.end)
    return any(
        rule.context and phrase_keys(rule.name) == written
        for rule in gazetteer.entries[mention.feature_id].aliases
    )


def _fronted_subject(
    sentence: Sentence, named: list[Mention], gazetteer: Gazetteer
) -> Mention | None:
    """The route or visit named first after an opening phrase of place or time set off by a
    comma: "At Kipoi, on the Greek-Turkish border, TAP receives the gas"."""
    words = sentence.words
    if words[0].lower not in OPENING_PREPOSITIONS:
        return None
    routes = [m for m in named if _takes_nouns(m, gazetteer)]
    first = min(routes, key=lambda m: (m.start, m.start - m.end), default=None)
    return first if first is not None and _after_comma(words, first) else None


def _after_comma(words: list[Token], mention: Mention) -> bool:
    """Whether the mention starts the words after a comma, within FRONTED_WORDS."""
    for k in range(1, min(len(words), FRONTED_WORDS)):
        if words[k].start == mention.start:
            return words[k].start - words[k - 1].end > 1
    return False


def _described_subject(
    sentence: Sentence, named: list[Mention], gazetteer: Gazetteer
) -> Mention | None:
    """The feature an opening "the <noun>" stands for, when the sentence names one feature
    that takes that noun."""
    words = sentence.words
    if words[0].lower not in gazetteer.determiners:
        return None
    noun_at = _noun_after(words, 1, gazetteer.reference_modifiers, gazetteer)
    if noun_at is None or words[noun_at].start > words[min(SUBJECT_WORDS, len(words) - 1)].start:
        return None
    noun = singular(words[noun_at].lower)
    takers = {m.feature_id for m in named if noun in _nouns(m.feature_id, gazetteer)}
    if len(takers) != 1:
        return None
    return min((m for m in named if m.feature_id in takers), key=lambda m: m.start)


def _references(
    sentence: Sentence, antecedents: Antecedents, gazetteer: Gazetteer
) -> list[Mention]:
    if gazetteer.settings is None:
        return []
    words, named = sentence.words, sentence.named
    # A foreign name in the sentence rivals its own head noun there.
    rivals = {head for _, _, head in sentence.foreign}
    cited = {m.feature_id for m in named}
    found = []
    for k, word in enumerate(words):
        noun_at = _reference_noun(words, k, antecedents, gazetteer)
        if noun_at is None:
            continue
        noun = singular(words[noun_at].lower)
        known = antecedents.get(noun)
        features, antecedent = (known.features, known.span) if known else (frozenset(), (0, 0))
        if (
            known
            and k <= 1
            and noun != words[noun_at].lower
            and _plural_takes_all(known, sentence, named, gazetteer)
        ):
            # "The pipelines" after a sentence that named two of them are both.
            span = (word.start, words[noun_at].end)
            found += [
                Mention(f, *span, "reference", antecedent) for f in sorted(known.together - cited)
            ]
            cited |= known.together
            continue
        if len(features) != 1 or FOREIGN in features or _names_follow(words, noun_at):
            continue
        if noun in gazetteer.place_adverbs and known and known.paragraph != sentence.paragraph:
            # "there" is the place of its own paragraph only.
            continue
        (feature_id,) = features
        if (
            noun in rivals
            or _rival_named(named, feature_id, noun, gazetteer)
            or _owned(words, noun_at, named, feature_id)
            or _named_thing(sentence, k, noun_at, gazetteer)
            or (
                _is_route(feature_id, gazetteer)
                and heads_elsewhere(words, noun_at + 1, feature_id, gazetteer)
            )
        ):
            # The sentence names another thing by this noun: "the corridor" beside "the
            # Lachin corridor"; "the visits of ... Shoigu" are Shoigu's.
            continue
        # A bare "Talks" has no words of its own to hold a place near it: any place counts.
        near = None if noun_at == k else k
        if gazetteer.entries[feature_id].event and elsewhere(
            words, feature_id, gazetteer, near=near
        ):
            # "In Pyongyang, his talks ..." are not the talks in Baku named before.
            continue
        if feature_id not in cited or _named_later(named, feature_id, word.start):
            # Also where the sentence names it again later: "The line starts at Kipoi,
            # where it meets TANAP, ... to landfall at San Foca" is still about TAP first.
            cited.add(feature_id)
            span = (word.start, words[noun_at].end)
            found.append(Mention(feature_id, *span, "reference", antecedent))
    return found


def _named_later(named: list[Mention], feature_id: str, start: int) -> bool:
    """Whether the sentence names the feature only after start (and not by reference)."""
    own = [m.start for m in named if m.feature_id == feature_id]
    return bool(own) and min(own) > start


def _reference_noun(
    words: list[Token], k: int, antecedents: Antecedents, gazetteer: Gazetteer
) -> int | None:
    """Where the noun of a reference opened at words[k] stands: after a determiner ("the
    new line"), or the sentence's first word when it is a visit's plural noun ("Talks
    focused on trade", which needs no determiner)."""
    if k == 0 and _bare_visit_noun(words[0], antecedents, gazetteer):
        return 0
    if words[k].lower in gazetteer.place_adverbs:
        return None if _existential(words, k, gazetteer) else k
    if words[k].lower not in gazetteer.determiners:
        return None
    return _noun_after(words, k + 1, gazetteer.reference_modifiers, gazetteer)


def _existential(words: list[Token], k: int, gazetteer: Gazetteer) -> bool:
    """Whether the place adverb at k is a word of being, not a place: "there is", "is
    there", "there will be"."""
    # Only a word next to it, not one past punctuation ("stop there: no track goes on").
    before = words[k - 1].lower if k > 0 and words[k].start - words[k - 1].end <= 1 else ""
    near = k + 1 < len(words) and words[k + 1].start - words[k].end <= 1
    after = words[k + 1].lower if near else ""
    return before in gazetteer.existential_words or after in gazetteer.existential_words


def _bare_visit_noun(word: Token, antecedents: Antecedents, gazetteer: Gazetteer) -> bool:
    """Whether a sentence's first word is the plural of a noun a visit told before takes:
    "Talks", "Negotiations", "Discussions"."""
    noun = singular(word.lower)
    known = antecedents.get(noun)
    return (
        noun != word.lower
        and known is not None
        and all(f != FOREIGN and gazetteer.entries[f].kind == "visit" for f in known.features)
    )


def _plural_takes_all(
    known: Antecedent, sentence: Sentence, named: list[Mention], gazetteer: Gazetteer
) -> bool:
    """Whether a plural noun opening a sentence refers to every feature its antecedent
    sentence named: two or more routes ("talks" is one visit's), no foreign thing of the
    noun among them, and none named here."""
    return (
        len(known.together) > 1
        and all(f != FOREIGN and _is_route(f, gazetteer) for f in known.together)
        and FOREIGN not in known.together
        and not (known.together & {m.feature_id for m in named})
    )


def _rival_named(named: list[Mention], feature_id: str, noun: str, gazetteer: Gazetteer) -> bool:
    """Whether the sentence names another place that takes the noun: "Armenians know the
    city as Shushi" is about Shushi, not the city named before."""
    return any(
        m.feature_id != feature_id
        and gazetteer.entries[m.feature_id].kind == "place"
        and noun in _nouns(m.feature_id, gazetteer)
        for m in named
    )


def _named_thing(sentence: Sentence, k: int, noun_at: int, gazetteer: Gazetteer) -> bool:
    """Whether words[k:noun_at + 1] are a name ("the Araz corridor"), or stand in apposition
    to a named route or foreign thing just before them: "the Lachin corridor, the road that
    once linked Armenia with Karabakh"."""
    words = sentence.words
    start, end = words[k].start, words[noun_at].end
    things = [(m.start, m.end) for m in sentence.named if _takes_nouns(m, gazetteer)]
    things += [(a, b) for a, b, _ in sentence.foreign]
    if any(a < end and start < b for a, b in things):
        return True
    # Punctuation (a gap wider than one space) between the thing and the determiner.
    return k > 0 and start - words[k - 1].end > 1 and any(b == words[k - 1].end for _, b in things)


def _takes_nouns(mention: Mention, gazetteer: Gazetteer) -> bool:
    return gazetteer.entries[mention.feature_id].kind not in ("place", "area")


def _owned(words: list[Token], noun_at: int, named: list[Mention], feature_id: str) -> bool:
    """Whether "of" or "by" after the noun says whose it is: "the visits of Sergei Shoigu",
    "the line of the report". Only "of" the feature itself leaves it a reference."""
    if noun_at + 1 >= len(words) or words[noun_at + 1].lower not in ("of", "by"):
        return False
    if words[noun_at + 1].start - words[noun_at].end > 1:
        # "This visit, by contrast, ...": past a comma, "by" says nothing of whose it is.
        return False
    reach = words[min(noun_at + 8, len(words) - 1)].end
    return not any(
        m.feature_id == feature_id and words[noun_at + 1].end <= m.start <= reach for m in named
    )


def _noun_after(
    words: list[Token], k: int, modifiers: frozenset[str], gazetteer: Gazetteer
) -> int | None:
    """Index of the noun a determiner opens: past modifiers, numbers, month names and one
    place name ("the February 2022 visit", "the Moscow trip"); None if there is none.

    A modifier that is itself a reference noun is the noun where the phrase ends after
    it: "the road would", "the railway, built", but not "the road map"."""
    start = k
    while k < len(words) and (
        words[k].lower in modifiers or words[k].lower.isdigit() or words[k].lower in MONTH_NAMES
    ):
        k += 1
    if (
        k > start
        and singular(words[k - 1].lower) in gazetteer.refer_nouns
        and _ends_phrase(words, k, gazetteer)
    ):
        return k - 1
    if k >= len(words):
        return None
    if words[k].capital and k + 1 < len(words):
        following = singular(words[k + 1].lower)
        if following in gazetteer.refer_nouns and not words[k + 1].capital:
            return k + 1
    return None if words[k].capital else k


def _ends_phrase(words: list[Token], k: int, gazetteer: Gazetteer) -> bool:
    """Whether the noun phrase ends before words[k]: at the sentence's end, at punctuation
    (a gap wider than one space) or at a word that cannot go on it ("would", "and")."""
    if k >= len(words):
        return True
    return words[k].start - words[k - 1].end > 1 or words[k].lower in gazetteer.phrase_ends


def _names_follow(words: list[Token], noun_at: int) -> bool:
    """'the corridor Baku wants' is fine; 'the line Kars' is a name, not a reference."""
    return noun_at + 1 < len(words) and words[noun_at + 1].capital and words[noun_at].capital


def _remember(
    antecedents: Antecedents,
    sentence: Sentence,
    named: list[Mention],
    index: int,
    gazetteer: Gazetteer,
) -> None:
    """The latest sentence that names anything a noun can refer to sets that noun.

    Of several features it names, the first is the one referred back to (it is
    usually the subject: "TANAP enters Turkey, where it connects to the SCP. The
    pipeline ..."), unless the next is coordinated with it ("TAP and TANAP"),
    which leaves the noun ambiguous.
    """
    things = sorted(
        [(m.start, m.end, m.feature_id, m.antecedent or (m.start, m.end)) for m in named]
        + [(start, end, FOREIGN, (start, end)) for start, end, _ in sentence.foreign],
        key=lambda t: t[:2],
    )
    nouns = {t[2]: _nouns(t[2], gazetteer) for t in things if t[2] != FOREIGN}
    foreign_nouns = {(start, end): noun for start, end, noun in sentence.foreign}
    by_noun: dict[str, list[tuple[int, int, str, tuple[int, int]]]] = {}
    for thing in things:
        owned = foreign_nouns.get(thing[:2]) if thing[2] == FOREIGN else None
        for noun in {owned} if owned else nouns.get(thing[2], frozenset()):
            by_noun.setdefault(noun, []).append(thing)
    for noun, named_things in by_noun.items():
        found = _distinct(named_things)
        features = {found[0][2]}
        if (
            len(found) > 1
            and found[1][2] != found[0][2]
            and _coordinated(sentence, found[0], found[1])
        ):
            features.add(found[1][2])
        if _names_a_place(found, gazetteer) and _unknown_place(
            sentence, named, demonyms=gazetteer.demonyms
        ):
            features.add(FOREIGN)
        together = frozenset(t[2] for t in found)
        antecedents[noun] = Antecedent(
            frozenset(features), found[0][3], sentence.paragraph, index, together
        )
    _remember_place(antecedents, sentence, named, index, gazetteer)


def _remember_place(
    antecedents: Antecedents,
    sentence: Sentence,
    named: list[Mention],
    index: int,
    gazetteer: Gazetteer,
) -> None:
    """A sentence that names one place, and puts nothing in or sends nothing to another,
    sets the place adverbs ("there") to it; one that names several, or another place
    ("He flew on to Antalya"), leaves them ambiguous."""
    places = _distinct(
        sorted(
            (m.start, m.end, m.feature_id, m.antecedent or (m.start, m.end))
            for m in named
            if gazetteer.entries[m.feature_id].kind == "place"
        )
    )
    other = _unknown_place(sentence, named, ADVERB_PREPOSITIONS, gazetteer.demonyms)
    if not places and not other:
        return
    one = len(places) == 1 and not other
    features = frozenset({places[0][2]} if one else {FOREIGN})
    span = places[0][3] if places else (0, 0)
    for adverb in gazetteer.place_adverbs:
        antecedents[adverb] = Antecedent(features, span, sentence.paragraph, index)


def _names_a_place(
    found: list[tuple[int, int, str, tuple[int, int]]], gazetteer: Gazetteer
) -> bool:
    """Whether a feature the noun may refer to is a place ("the town"), not a route."""
    return any(t[2] != FOREIGN and gazetteer.entries[t[2]].kind == "place" for t in found)


def _unknown_place(
    sentence: Sentence,
    named: list[Mention],
    prepositions: frozenset[str] = PLACE_PREPOSITIONS,
    demonyms: frozenset[str] = frozenset(),
) -> bool:
    """Whether the sentence puts something in, from, at or near a capitalised word that is
    no feature ("families in Goris took in refugees from Shushi"): then "the town" after it
    may be that place, not the feature. A demonym before a feature ("in Iranian Astara")
    is that feature's."""
    words = sentence.words

    def at(k: int) -> int:
        return k + 1 if words[k].lower in demonyms and k + 1 < len(words) else k

    return any(
        words[k].capital
        and words[k - 1].lower in prepositions
        # "In February 2017" is a time.
        and words[k].lower not in MONTH_NAMES
        and not any(m.start <= words[at(k)].start < m.end for m in named)
        for k in range(1, len(words))
    )


def _distinct(
    things: list[tuple[int, int, str, tuple[int, int]]],
) -> list[tuple[int, int, str, tuple[int, int]]]:
    """The first naming of each feature, in order."""
    seen: set[str] = set()
    kept = []
    for thing in things:
        if thing[2] not in seen:
            seen.add(thing[2])
            kept.append(thing)
    return kept


def _coordinated(
    sentence: Sentence,
    first: tuple[int, int, str, tuple[int, int]],
    second: tuple[int, int, str, tuple[int, int]],
) -> bool:
    """Whether two named things are named together: overlapping, or joined by "and"/"or"."""
    if second[0] < first[1]:
        return True
    between = [w.lower for w in sentence.words if first[1] <= w.start < second[0]]
    return len(between) <= 2 and bool(set(between) & {"and", "or"})


def _nouns(feature_id: str, gazetteer: Gazetteer) -> frozenset[str]:
    entry = gazetteer.entries[feature_id]
    return frozenset(singular(n.lower()) for n in entry.refer)
