"""Mentions: which passages of an article cite which feature.

``cite_article`` is a pure function of (article, gazetteer): it can run in any
process, or on any distributed engine, and give the same answer. Only the
paragraphs whose words could name a feature are looked at closely: their names
and route names are matched (``geo.matching``), they are cut into sentences,
then events (``geo.events``) and references back (``geo.coreference``) are found
sentence by sentence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import NamedTuple

from geo.coreference import FRONTED_PRONOUN, Sentence, resolve_references
from geo.events import Setting, find_events
from geo.folding import INVISIBLE, WORD, Token, phrase_keys, tokens
from geo.gazetteer import ALL, NOUNS, SKIP, Gazetteer
from geo.matching import foreign_names, match_names
from geo.passages import Excerpts
from geo.rules import AliasRule
from geo.words import Mention, Words, phrase_at

_PARAGRAPH = re.compile(r"[^\n]+")
# The opening of an article sets the scene for the events it tells of.
SCENE_CHARS = 600
# A sentence whose first word (as geo.folding.WORD finds it) is "it" or "its", in any case.
_FIRST_IT = re.compile(r"[\W_]*[iI][tT][sS]?(?![^\W_]|[\u0300-\u036f])")
# Paragraphs after one that names a feature, in which a reference back is looked for.
FOLLOWING = 2


class Citation(NamedTuple):
    """An excerpt text[start:end] of one article that mentions one feature.

    A named tuple, not a dataclass: hundreds of thousands cross process
    boundaries at scale, and tuples pickle several times faster.
    """

    feature_id: str
    article_id: str
    start: int
    end: int
    highlights: tuple[tuple[int, int], ...]
    curated: bool = False
    # How it was found (name, route, event, reference, curated) and, for a
    # reference back, the earlier mention it refers to.
    how: str = "name"
    antecedent: tuple[int, int] | None = None


def cite_article(
    article_id: str, text: str, gazetteer: Gazetteer, article_date: str = ""
) -> list[Citation]:
    """Citations of every feature the article mentions: by name, event, reference or quote."""
    excerpts = Excerpts(text)
    mentions = find_mentions(text, gazetteer, article_date, excerpts)
    mentions += _curated(article_id, text, gazetteer)
    return _citations(article_id, mentions, excerpts)


def find_mentions(
    text: str, gazetteer: Gazetteer, article_date: str = "", excerpts: Excerpts | None = None
) -> list[Mention]:
    """Every mention in text by name, route, event or reference (no curated quotes)."""
    excerpts = excerpts or Excerpts(text)
    setting = Setting(article_date, Words(lambda: tokens(text, 0, min(len(text), SCENE_CHARS))))
    named: list[Mention] = []
    sentences: list[Sentence] = []
    for paragraph, (start, end) in _paragraphs(text, gazetteer):
        found, told = _paragraph_mentions(text, start, end, excerpts, setting, gazetteer)
        named += found
        sentences += [Sentence(paragraph, *t) for t in told]
    return named + resolve_references(sentences, gazetteer, article_date)


def _paragraphs(text: str, gazetteer: Gazetteer) -> Iterator[tuple[int, tuple[int, int]]]:
    """Numbered paragraphs that hold a word that could start a name, an end or a visitor,
    and the paragraphs right after them, which may refer back to what they named."""
    since = FOLLOWING + 1
    for number, match in enumerate(_PARAGRAPH.finditer(text)):
        words = set(WORD.findall(text, match.start(), match.end()))
        if gazetteer.may_start_any(words):
            since = 0
        elif since < FOLLOWING:
            since += 1
            if not gazetteer.refers_any(words):
                continue
        else:
            continue
        yield number, (match.start(), match.end())


def _paragraph_mentions(
    text: str, start: int, end: int, excerpts: Excerpts, setting: Setting, gazetteer: Gazetteer
) -> tuple[list[Mention], list[tuple[list[Token], list[Mention], list[tuple[int, int, str]]]]]:
    """The paragraph's mentions by name, route or event, and its sentences in order.

    Only a sentence that holds a word that could start a name, or a head or
    reference noun, is read word by word; the others are told as empty.
    """
    paragraph = Words(lambda: tokens(text, start, end))
    kept: list[Mention] = []
    told: list[tuple[list[Token], list[Mention], list[tuple[int, int, str]]]] = []
    previous = start
    visit_told = False
    for sentence_start, sentence_end in excerpts.sentences(start, end):
        # The sentence before dates this one ("In February 2017 ... Seven months later").
        before_start, previous = previous, sentence_start
        reading = _reading(text, sentence_start, sentence_end, gazetteer)
        if reading == SKIP and (
            visit_told or _dated_visit(text, sentence_start, sentence_end, gazetteer)
        ):
            # After a visit in its paragraph, a sentence may go on telling it with no word
            # the sieve knows ("Particular attention was paid to Syria"): its words count.
            reading = NOUNS
        if reading == SKIP:
            told.append(([], [], []))
            continue
        words = tokens(text, sentence_start, sentence_end)
        if reading == NOUNS:
            # No name, route or visit can be in it: only a foreign name or a reference.
            told.append((words, [], foreign_names(text, words, gazetteer)))
            continue
        found = match_names(text, words, gazetteer)
        # Indexed once, when first searched, for the context words and the events.
        indexed = Words(words)
        named = [m for m in found.mentions if _context_holds(m, indexed, gazetteer)]
        before = Setting(
            setting.article_date, setting.opening, paragraph, text[before_start:sentence_start]
        )
        named += find_events(text, indexed, before, gazetteer)
        visit_told = visit_told or any(m.how == "event" for m in named)
        kept += named
        told.append((words, named, found.foreign))
    return kept, told


YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _dated_visit(text: str, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Whether the sentence may tell a visit of a given year with no name the sieve knows
    ("In August 2013 he arrived with a large delegation"): another visit than the one told
    before, which its words must show (geo.coreference)."""
    if not YEAR.search(text, start, end):
        return False
    return any(w.lower() in gazetteer.visit_words for w in WORD.findall(text, start, end))


def _reading(text: str, start: int, end: int, gazetteer: Gazetteer) -> int:
    """How closely the sentence text[start:end] must be read (see Gazetteer.reading).

    One that opens with "It " or holds a word that may matter was always read; of these,
    one that the gazetteer's sieve skips would be told with its words and nothing found
    in them, which is what an empty sentence tells. The exceptions are read in full: a
    sentence whose first word is "it" or "its" (a pronoun refers back), or whose subject
    is one after an opening phrase ("Near Komotini it connects"), and one with
    invisible characters, whose words the sieve does not see whole.
    """
    if text.startswith(("It ", "Its "), start) or FRONTED_PRONOUN.match(text, start, end):
        return ALL
    written = WORD.findall(text, start, end)
    if _FIRST_IT.match(text, start, end) or INVISIBLE.search(text, start, end):
        return ALL if gazetteer.may_matter(written) else SKIP
    return gazetteer.reading(written)


def _context_holds(mention: Mention, sentence: Words, gazetteer: Gazetteer) -> bool:
    """An ambiguous name ("Zangezur") cites only with one of its context words in the sentence."""
    entry = gazetteer.entries[mention.feature_id]
    needs = [rule for rule in entry.aliases if rule.context]
    if not needs or mention.how != "name":
        return True
    inside = sentence.within(mention.start, mention.end)
    written = {w.key for w in inside}
    for rule in entry.aliases:
        keys = set(_keys(rule.name))
        if keys and keys <= written and not rule.context and _case_fits(rule, inside):
            return True
    # The context of the name as written ("Transneft" needs SOCAR, not the oil that "the
    # northern route" needs); every name's, when it was matched by a spelling of its own.
    own = [rule for rule in needs if set(_keys(rule.name)) <= written]
    contexts = [c for rule in own or needs for c in rule.context]
    # The index finds the ten or so context words, rather than a scan for each.
    return any(phrase_at(sentence, _keys(c)) is not None for c in contexts)


def _case_fits(rule: AliasRule, inside: list[Token]) -> bool:
    """Whether the words as written fit an alias that must match in its own case: "the
    northern route" is not the "Northern Route"."""
    if not rule.exact_case:
        return True
    capitals = [w[:1].isupper() for w in rule.name.split()]
    return any(
        [w.capital for w in inside[at : at + len(capitals)]] == capitals
        for at in range(len(inside) - len(capitals) + 1)
    )


def _keys(phrase: str) -> tuple[str, ...]:
    return phrase_keys(phrase)


def _curated(article_id: str, text: str, gazetteer: Gazetteer) -> list[Mention]:
    found = []
    for feature_id, quote in gazetteer.curated_for(article_id):
        at = text.find(quote.quote)
        if at != -1 and quote.quote:
            found.append(Mention(feature_id, at, at + len(quote.quote), "curated"))
    return found


def _citations(article_id: str, mentions: list[Mention], excerpts: Excerpts) -> list[Citation]:
    by_feature: dict[str, list[tuple[int, int, Mention]]] = defaultdict(list)
    for m in mentions:
        ex_start, ex_end = excerpts.span(m.start, m.end)
        by_feature[m.feature_id].append((ex_start, ex_end, m))
    citations = []
    for feature_id, items in sorted(by_feature.items()):
        citations.extend(_merge(feature_id, article_id, sorted(items)))
    return citations


def _merge(
    feature_id: str, article_id: str, items: list[tuple[int, int, Mention]]
) -> list[Citation]:
    """One citation per excerpt; overlapping excerpts of one feature become one."""
    merged: list[Citation] = []
    # The highlights of the citation being merged, sorted once it is complete: a passage
    # with thousands of mentions is not re-sorted at each one.
    marks: list[set[tuple[int, int]]] = []
    for ex_start, ex_end, m in items:
        last = merged[-1] if merged else None
        if last and ex_start < last.end:
            marks[-1].add((m.start, m.end))
            merged[-1] = last._replace(
                end=max(last.end, ex_end),
                curated=last.curated or m.how == "curated",
                how=_stronger(last.how, m.how),
                antecedent=last.antecedent if last.how != "reference" else m.antecedent,
            )
        else:
            marks.append({(m.start, m.end)})
            merged.append(
                Citation(
                    feature_id,
                    article_id,
                    ex_start,
                    ex_end,
                    ((m.start, m.end),),
                    m.how == "curated",
                    m.how,
                    m.antecedent,
                )
            )
    return [c._replace(highlights=tuple(sorted(h))) for c, h in zip(merged, marks, strict=True)]


_STRENGTH = ("name", "route", "event", "curated", "reference")


def _stronger(a: str, b: str) -> str:
    return a if _STRENGTH.index(a) <= _STRENGTH.index(b) else b
