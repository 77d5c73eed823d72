"""The tagging rules a gazetteer entry may declare, and the tagging settings of a layers folder.

A feature is found by its names (``aliases``), by a route name built from its
ends (``route``), by an event of visitor, place and time (``event``), and by
reference back (``refer``). Words that every feature shares (the modifiers
between a name and its head noun, the verbs of a visit, known places that
compete with a visit's place) live in ``layers/tagging.yaml``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from geo.types import Strict, Text


class AliasRule(Strict):
    """A name that needs more than itself: a context word, or the case it is written in."""

    name: Text = Field(description="the name, matched as any other alias")
    context: list[Text] = Field(
        [], description="the name cites only if one of these is in the same sentence"
    )
    exact_case: bool = Field(
        False, description="match only as written, so that 'Northern Route' is not 'northern route'"
    )


Alias = Text | AliasRule


class PassedRule(Strict):
    """A place a route passes that names it only beside a word of the route's own: Iran is
    crossed by several routes, but a road through Iran to Nakhchivan is one."""

    place: Text = Field(description="the place, matched as any other 'through' place")
    context: list[Text] = Field(
        min_length=1,
        description="the place names the route only if one of these is in the same sentence",
    )


Passing = Text | PassedRule


class RouteRule(Strict):
    """A route named by its ends: 'A–B railway', 'the B–A line', 'the line from A to B'; or
    by a place it alone passes: 'a road through Armenia's Syunik province'."""

    ends: Annotated[list[list[Text]], Field(min_length=2, max_length=2)] = Field(
        description="the names of each end, such as [[Rasht, Resht], [Astara]]"
    )
    heads: list[Text] = Field(
        description="head nouns the route takes: pipeline, railway, line, corridor …"
    )
    alone: bool = Field(
        False, description="whether 'A–B' (or 'between A and B') without a head noun cites"
    )
    through: list[Passing] = Field(
        [],
        description="places that only this route passes (or, with a context, that it passes "
        "beside one of the context words): one of its nouns followed by a "
        "passing word (through, across, via) and one of them names it, as in 'a road through "
        "Armenia's Syunik province', unless the phrase is another thing's name ('the "
        "North-South road through Syunik') or goes on to a place that is neither the "
        "route's end nor a feature of the map ('a road through Syunik to Kapan')",
    )


class EventRule(Strict):
    """A visit as an event: who, where and a visit word in one sentence, at a time that fits."""

    who: list[Text] = Field(description="the visitor by name and by role: Putin, the Kremlin chief")
    where: list[Text] = Field(
        description="the place: the city, the country, 'the Azerbaijani capital'"
    )
    with_: list[Text] = Field(
        [],
        alias="with",
        description="whom the visitor met; if given, one must be named unless a date in the "
        "sentence fits",
    )
    hosts: list[Text] = Field(
        [],
        description="the host, by name and by role: named again just after the visit is "
        "told ('Aliyev hosted him for dinner'), the host refers back to it",
    )
    days_before: int = Field(
        60, ge=0, description="how long before the visit an article may announce it"
    )
    years_after: int = Field(
        6, ge=0, description="how long after the visit an article may recall it without a year"
    )


class TaggingSettings(Strict):
    """Words that every feature shares (layers/tagging.yaml)."""

    modifiers: list[Text] = Field(
        description="words allowed between a name and its head noun: oil, gas, export …"
    )
    joiners: list[Text] = Field(description="words that join a route's ends: to, and, with …")
    openers: list[Text] = Field(
        description="words after which a route's ends are spelled out: from, between, linking …"
    )
    visit_words: list[Text] = Field(description="words of a visit: visit, trip, arrived, talks …")
    determiners: list[Text] = Field(
        description="words that open a reference back: the, this, that …"
    )
    places: list[Text] = Field(
        description="places that are not a feature's but compete with a visit's place"
    )
    reference_modifiers: list[Text] = Field(
        [], description="words allowed between a determiner and its noun: new, planned …"
    )
    passing: list[Text] = Field(
        [],
        description="words after which a route's 'through' places name it: through, across, via",
    )
    several_visits: list[Text] = Field(
        [],
        description="words that, just before a plural noun of visiting, tell of several "
        "visits rather than one ('several trips to Baku'): such a sentence tells no "
        "particular visit",
    )
    participants: list[Text] = Field(
        [],
        description="phrases that, opening a sentence, name both sides of the meeting just "
        "told: 'the two', 'both sides'; they refer back to that visit",
    )
    participant_nouns: list[Text] = Field(
        [],
        description="nouns that, opening a clause after a participant opener and up "
        "to two describing words, name both sides of the meeting just told: 'the military "
        "leaders', 'both delegations'; they refer back to that visit",
    )
    visitor_nouns: list[Text] = Field(
        [],
        description="nouns that, after 'the' and the visitor's nation (a demonym opening one "
        "of the visitor's names), describe the visitor of a visit told just before: 'the "
        "Russian official arrived in the Azerbaijani capital'",
    )
    future_words: list[Text] = Field(
        [],
        description="words of what is to come (will, expected …): in an article written "
        "before a visit, a sentence that tells the visit again with one of them tells what "
        "is to come at it",
    )
    participant_openers: list[Text] = Field(
        [],
        description="words that open the two sides of a meeting before a participant noun: "
        "the, both, neither",
    )
    bridging_nouns: list[Text] = Field(
        [],
        description="nouns of what a route has or undergoes (construction, capacity, flows "
        "…): opening the sentence right after one that told one route, in its paragraph, "
        "they are that route's",
    )
    demonyms: list[Text] = Field(
        [],
        description="words of a people or state (Soviet, Iranian …): before a head noun they "
        "describe a thing ('the old Soviet line', 'the Iranian route'), they do not name one",
    )
    topic_nouns: list[Text] = Field(
        [],
        description="nouns by which an article's topic (the one route its first paragraph "
        "names) is referred back to anywhere in the article, until another thing takes the "
        "noun: pipeline, railway …",
    )
    past_tenses: list[Text] = Field(
        [],
        description="irregular past tenses (said, told, spoke …): a visitor named again "
        "refers back to the visit only in a sentence that tells what was done or said, in "
        "one of these or a verb in -ed",
    )
    locating: list[Text] = Field(
        [],
        description="phrases that, right after a place at a route's end, say where it is "
        "and so name it as a place too: 'to Astara on the border with Azerbaijan'",
    )
    plural_places_after: list[Text] = Field(
        [],
        description="words before a place's name in the plural that make it the place: "
        "'between the two Astaras'",
    )
    observers: list[Text] = Field(
        [],
        description="nouns of people who watch or comment on a visit: a place after "
        "'in' right after one says where they are, not where the visit is ('analysts in "
        "Baku noted that the guest ...')",
    )
    place_adverbs: list[Text] = Field(
        [],
        description="words that refer back, alone, to the one place the latest sentence of "
        "the paragraph named: 'Gerasimov met Dunford there'",
    )
    existential_words: list[Text] = Field(
        [],
        description="words of being that, just after or before a place adverb, make it no "
        "place: 'there is', 'there will be', 'is there'",
    )
    phrase_ends: list[Text] = Field(
        [],
        description="words that cannot go on a noun phrase (auxiliaries, prepositions, "
        "conjunctions): a reference modifier that is also a reference noun is the noun before "
        "one of them ('the road would', 'the railway is'), not in 'the road map'",
    )
