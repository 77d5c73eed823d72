"""Routes: a route named by its two ends.

"A–B railway" is also "the B–A railway", "the A–C–B line" (with a town between),
"the railway from A to B", "the line between A and B". A chain of capitalised
names joined by dashes or slashes, or a pair after "from", "between" or
"linking", names the route whose two ends it holds; the feature's head nouns
must follow (or precede, in the spelled-out form) unless it says ``alone``.

A route is also told by a place that only it passes ("a road through Armenia's
Syunik province", "the transit route across southern Armenia"): one of its nouns,
a passing word and, within a few words, one of its ``through`` places.
"""

from __future__ import annotations

import re

from geo.folding import Token, skeleton
from geo.gazetteer import End, Gazetteer, Passed, singular
from geo.words import DASHES, STOP, Mention, head_after, same_word

_ANY_DASH = re.compile("[" + re.escape("".join(sorted(DASHES))) + "]")
# How many words may stand between the two ends after "from" ("from Resht along the
# coastal plain through Rezvanshahr and Talesh to Astara").
FAR_WORDS = 12
# How many words may stand between a passing word and the place ("through Armenia's
# Syunik province": Armenia, s), or between the place and a destination after it.
PASSED_WORDS = 3
# How many words a description of a route's end may hold ("the Black Sea port of").
DESCRIPTOR_WORDS = 4
# Words that close a description of a route's end: "the port of Novorossiysk", "the
# Azerbaijani border at Astara", "the frontier near Astara".
DESCRIBED = frozenset({"of", "at", "near"})
# The most words a route's end has, for looking back from "to".
MAX_END_WORDS = 2
# Words after which a route said to pass a place names where it goes on to.
DESTINATIONS = frozenset({"to", "towards", "toward"})


def find_chains(text: str, words: list[Token]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Runs of capitalised names joined by dashes or slashes: (first word, end, elements)."""
    if not words or not _ANY_DASH.search(text, words[0].end, words[-1].start):
        # No dash between the words, so no chain: most sentences need no walk over them.
        return []
    chains = []
    i = 0
    while i < len(words):
        elements = []
        if words[i].lower in STOP:
            # "The" opening a sentence is no part of a name.
            i += 1
            continue
        k = i
        while k < len(words) and words[k].capital:
            start = k
            while (
                k + 1 < len(words)
                and words[k + 1].capital
                and text[words[k].end : words[k + 1].start] == " "
            ):
                k += 1
            elements.append((start, k + 1))
            if k + 1 < len(words) and words[k + 1].capital and _dash(text, words[k], words[k + 1]):
                k += 1
                continue
            break
        if len(elements) >= 2:
            chains.append((i, elements[-1][1], elements))
            i = elements[-1][1]
        else:
            i += 1
    return chains


def _dash(text: str, left: Token, right: Token) -> bool:
    gap = text[left.end : right.start].strip()
    return len(gap) == 1 and gap in DASHES


def _element_is(words: list[Token], element: tuple[int, int], keys: tuple[str, ...]) -> bool:
    a, b = element
    return (
        b - a == len(keys)
        and b <= len(words)
        and all(same_word(words[a + n], k) for n, k in enumerate(keys))
    )


def _ends_at(words: list[Token], k: int, gazetteer: Gazetteer) -> list[End]:
    return gazetteer.ends_for(words[k].key, words[k].capital) if k < len(words) else []


def _end_index(
    words: list[Token], element: tuple[int, int], feature_id: str, gazetteer: Gazetteer
) -> int | None:
    for end in _ends_at(words, element[0], gazetteer):
        if end.feature_id == feature_id and _element_is(words, element, end.keys):
            return end.index
    return None


def route_mentions(
    text: str,
    words: list[Token],
    chains: list[tuple[int, int, list[tuple[int, int]]]],
    gazetteer: Gazetteer,
) -> list[Mention]:
    mentions = []
    for first, end, elements in chains:
        for feature_id in _chain_features(words, elements, gazetteer):
            entry = gazetteer.entries[feature_id]
            assert entry.route is not None
            after = head_after(words, end, gazetteer.heads[feature_id], gazetteer.modifiers)
            if after < 0 and (not entry.route.alone or _other_head(words, end, gazetteer)):
                continue
            last = words[(after if after > 0 else end) - 1]
            mentions.append(Mention(feature_id, words[first].start, last.end, "route"))
    mentions += _spelled_routes(words, gazetteer)
    mentions += _passing_routes(words, gazetteer)
    mentions += _place_named_routes(words, gazetteer)
    mentions += _to_routes(words, gazetteer)
    return mentions


def _place_named_routes(words: list[Token], gazetteer: Gazetteer) -> list[Mention]:
    """'the Adriatic line', 'the Syunik road': a place only one route passes, written as the
    route's modifier, just before one of its nouns."""
    mentions = []
    for k in range(1, len(words)):
        if not words[k].capital or words[k - 1].lower in gazetteer.passing:
            # Not a name, or passed ("through Syunik", which _passing_routes reads).
            continue
        for passed in gazetteer.passed_for(words[k].key, words[k].capital):
            end = k + len(passed.keys)
            if not _element_is(words, (k, end), passed.keys):
                continue
            if passed.context and not _holds_any(words, passed.context):
                continue
            heads = gazetteer.heads[passed.feature_id]
            after = head_after(words, end, heads, gazetteer.modifiers)
            named_before = words[k - 1].capital and words[k - 1].lower not in STOP
            if after > 0 and not named_before:
                # Not "the Trans Adriatic Pipeline" nor "the North-South Syunik road".
                mentions.append(
                    Mention(passed.feature_id, words[k].start, words[after - 1].end, "route")
                )
    return mentions


def _passing_routes(words: list[Token], gazetteer: Gazetteer) -> list[Mention]:
    """'a road through Armenia's Syunik province', 'the transit route across southern
    Armenia': a route's noun, a passing word, and a place only that route passes."""
    mentions = []
    for k in range(1, len(words)):
        if words[k].lower not in gazetteer.passing:
            continue
        for passed, end in _passed_after(words, k + 1, gazetteer):
            if passed.context and not _holds_any(words, passed.context):
                # "a railway through Iran" is any of several routes without its context.
                continue
            heads = gazetteer.heads[passed.feature_id]
            head = _passing_head(words, k, heads, gazetteer)
            if head is None and _linking_head(words, k, heads, gazetteer) is not None:
                # The clause between is no part of the name: "a route linking Azerbaijan
                # with Nakhchivan through Iranian territory" still names Nakhchivan.
                head = k
            if head is None or not _goes_on_to_its_own(words, end, passed.feature_id, gazetteer):
                continue
            mentions.append(
                Mention(passed.feature_id, words[head].start, words[end - 1].end, "route")
            )
    return mentions


def _holds_any(words: list[Token], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the words hold one of the phrases (as keys, or a name by its skeleton, as
    names are matched: Nakhichevan for Nakhchivan)."""
    return any(
        all(_same_key(words[i + j], key) for j, key in enumerate(phrase))
        for phrase in phrases
        for i in range(len(words) - len(phrase) + 1)
    )


def _same_key(word: Token, key: str) -> bool:
    shape = skeleton(key)
    return word.key == key or (word.capital and bool(shape) and skeleton(word.key) == shape)


def _passed_after(words: list[Token], k: int, gazetteer: Gazetteer) -> list[tuple[Passed, int]]:
    """The places only one route passes that stand within a few words of words[k], in the
    same phrase, with the index after each."""
    found = []
    for at in range(k, min(len(words), k + PASSED_WORDS)):
        if at > k and _phrase_break(words, at, gazetteer):
            break
        for passed in gazetteer.passed_for(words[at].key, words[at].capital):
            end = at + len(passed.keys)
            if _element_is(words, (at, end), passed.keys):
                found.append((passed, end))
    return found


def _phrase_break(words: list[Token], at: int, gazetteer: Gazetteer) -> bool:
    """Punctuation (a gap wider than one space) or a word that ends a noun phrase."""
    return words[at].start - words[at - 1].end > 1 or words[at].lower in gazetteer.phrase_ends


def _passing_head(
    words: list[Token], k: int, heads: frozenset[str], gazetteer: Gazetteer
) -> int | None:
    """The route's noun right before the passing word at k (or before a participle:
    "the road running through"), unless a name precedes it: "the North-South road" is
    another road."""
    head = k - 1
    if words[head].lower.endswith("ing") and head > 0:
        head -= 1
    if singular(words[head].lower) not in heads:
        return None
    back = head - 1
    while back >= 0 and words[back].lower in gazetteer.modifiers:
        back -= 1
    if back >= 0 and words[back].capital and words[back].lower not in STOP:
        return None
    return head


# How far before a passing word a route's noun may stand when a linking clause comes
# between them ("a transit route that will link mainland Azerbaijan with Nakhchivan
# through Iranian territory").
CLAUSE_WORDS = 10


def _linking_head(
    words: list[Token], k: int, heads: frozenset[str], gazetteer: Gazetteer
) -> int | None:
    """The route's noun before a linking clause (an opener: "linking", "that will link")
    that goes on to the passing word at k, within one phrase; unless a name precedes it."""
    linked = False
    for back in range(k - 1, max(-1, k - 1 - CLAUSE_WORDS), -1):
        if words[back + 1].start - words[back].end > 1:
            # Punctuation between: another phrase.
            return None
        lower = words[back].lower
        if linked and singular(lower) in heads:
            # Before "links" as a verb: "links between A and B" has "links" as its noun.
            return _passing_head(words, back + 1, heads, gazetteer)
        if lower in gazetteer.openers:
            linked = True
    return None


def _goes_on_to_its_own(
    words: list[Token], end: int, feature_id: str, gazetteer: Gazetteer
) -> bool:
    """Whether a route said to pass a place goes on, if it says so, only to one of its ends
    or to a place of the map: "a road through Syunik to Kapan" or "to the Iranian border"
    is a local or another road."""
    for at in range(end, min(len(words) - 1, end + PASSED_WORDS)):
        if words[at].lower not in DESTINATIONS:
            continue
        to = at + 1 + (words[at + 1].lower == "the" and at + 2 < len(words))
        if not words[to].capital:
            return True
        return _end_index(words, (to, to + 1), feature_id, gazetteer) is not None or _map_place(
            words, to, gazetteer
        )
    return True


def heads_elsewhere(words: list[Token], at: int, feature_id: str, gazetteer: Gazetteer) -> bool:
    """Whether words[at:] take a route to a place that is neither its end nor the map's: "the
    line to the Russian border at Yalama" is no line to Astara."""
    if at >= len(words) - 1 or words[at].lower not in DESTINATIONS:
        return False
    return not _goes_on_to_its_own(words, at, feature_id, gazetteer)


def _map_place(words: list[Token], at: int, gazetteer: Gazetteer) -> bool:
    """Whether words[at:] name a place or area feature of the map."""
    for pattern in gazetteer.candidates(words[at].key, words[at].capital):
        kind = gazetteer.entries[pattern.feature_id].kind
        end = at + len(pattern.keys)
        if (
            kind in ("place", "area")
            and not pattern.exclusion
            # A town that names its province only beside a context word ("Kapan, the
            # provincial centre") is no place of the map by itself.
            and not pattern.context
            and _element_is(words, (at, end), pattern.keys)
        ):
            return True
    return False


def _other_head(words: list[Token], end: int, gazetteer: Gazetteer) -> bool:
    """Whether another thing's head noun follows: the Rasht-Astara *road* is not the railway."""
    for k in range(end, min(len(words), end + 3)):
        if singular(words[k].lower) in gazetteer.all_heads:
            return True
        if words[k].lower not in gazetteer.modifiers:
            return False
    return False


def _chain_features(
    words: list[Token], elements: list[tuple[int, int]], gazetteer: Gazetteer
) -> list[str]:
    """Route features both of whose ends are among the chain's names."""
    found = []
    features = {end.feature_id for a, _ in elements for end in _ends_at(words, a, gazetteer)}
    for feature_id in sorted(features):
        indexes = {_end_index(words, element, feature_id, gazetteer) for element in elements}
        if {0, 1} <= indexes:
            found.append(feature_id)
    return found


def _spelled_routes(words: list[Token], gazetteer: Gazetteer) -> list[Mention]:
    """'the railway from Rasht to Astara', 'the line between Astara and Rasht', 'the 110 km
    line runs from Horadiz through three districts to Aghband'."""
    mentions = []
    for k, word in enumerate(words):
        if word.lower not in gazetteer.openers:
            continue
        pair = _pair_after(words, k + 1, gazetteer, far=word.lower == "from")
        if pair is None:
            continue
        feature_id, last = pair
        head = _head_before(words, k, gazetteer.heads[feature_id])
        entry = gazetteer.entries[feature_id]
        if head is None and not (entry.route and entry.route.alone and word.lower == "between"):
            continue
        first = words[head if head is not None else k]
        mentions.append(Mention(feature_id, first.start, words[last - 1].end, "route"))
    return mentions


def _pair_after(
    words: list[Token], k: int, gazetteer: Gazetteer, *, far: bool
) -> tuple[str, int] | None:
    """A route's two ends from words[k]: 'Rasht to Astara', 'Astara and Rasht'; with far,
    other words may stand between them ('from Resht along the coast to Astara')."""
    k += k < len(words) and words[k].lower == "the"
    for a in _ends_at(words, k, gazetteer):
        if not _element_is(words, (k, k + len(a.keys)), a.keys):
            continue
        reach = FAR_WORDS if far else 1
        for middle in range(k + len(a.keys), min(len(words) - 1, k + len(a.keys) + reach)):
            if words[middle].lower not in gazetteer.joiners:
                continue
            found = _other_end(words, middle + 1, a, gazetteer)
            if found is not None:
                return a.feature_id, found
    return None


def _other_end(words: list[Token], start: int, a: End, gazetteer: Gazetteer) -> int | None:
    start = _past_descriptor(words, start, gazetteer)
    for b in _ends_at(words, start, gazetteer):
        if (
            b.feature_id == a.feature_id
            and b.index != a.index
            and _element_is(words, (start, start + len(b.keys)), b.keys)
        ):
            return start + len(b.keys)
    return None


def _past_descriptor(words: list[Token], start: int, gazetteer: Gazetteer) -> int:
    """Where a route's end stands after "the" or a description of it: "Baku with the Black
    Sea port of Novorossiysk", "between Rasht and the Azerbaijani border at Astara"."""
    if start >= len(words) or words[start].lower != "the":
        return start
    for at in range(start + 1, min(len(words) - 1, start + DESCRIPTOR_WORDS + 2)):
        if _phrase_break(words, at, gazetteer):
            return at + 1 if words[at].lower in DESCRIBED and at > start + 1 else start + 1
    return start + 1


def _to_routes(words: list[Token], gazetteer: Gazetteer) -> list[Mention]:
    """'the Rasht to Astara railway', 'the Baku-to-Novorossiysk pipeline': two ends joined
    by "to" right before one of the route's head nouns. Not after "from", which tells a
    journey ("flights from Baku to Novorossiysk line up")."""
    mentions = []
    for k in range(1, len(words) - 1):
        if words[k].lower != "to":
            continue
        for start in range(max(0, k - MAX_END_WORDS), k):
            if start > 0 and words[start - 1].lower in gazetteer.openers:
                continue
            for a in _ends_at(words, start, gazetteer):
                mention = _to_route(words, (start, k), a, gazetteer)
                if mention is not None:
                    mentions.append(mention)
    return mentions


def _to_route(
    words: list[Token], first: tuple[int, int], a: End, gazetteer: Gazetteer
) -> Mention | None:
    """The route of "A to B <head>" whose first end a stands at words[first[0]:first[1]]."""
    start, to = first
    if not _element_is(words, first, a.keys):
        return None
    for b in _ends_at(words, to + 1, gazetteer):
        last = to + 1 + len(b.keys)
        if b.feature_id != a.feature_id or b.index == a.index:
            continue
        if not _element_is(words, (to + 1, last), b.keys):
            continue
        after = head_after(words, last, gazetteer.heads[a.feature_id], gazetteer.modifiers)
        if after > 0:
            return Mention(a.feature_id, words[start].start, words[after - 1].end, "route")
    return None


def _head_before(words: list[Token], k: int, heads: frozenset[str]) -> int | None:
    """The feature's head noun a few words before an opener: 'the railway (will run) from'."""
    for back in range(k - 1, max(-1, k - 5), -1):
        if singular(words[back].lower) in heads:
            return back
        if words[back].capital:
            return None
    return None
