"""Routes: a route named by its two ends.

"A–B railway" is also "the B–A railway", "the A–C–B line" (with a town between),
"the railway from A to B", "the line between A and B". A chain of capitalised
names joined by dashes or slashes, or a pair after "from", "between" or
"linking", names the route whose two ends it holds; the feature's head nouns
must follow (or precede, in the spelled-out form) unless it says ``alone``.
"""

from __future__ import annotations

import re

from geo.folding import Token
from geo.gazetteer import End, Gazetteer, singular
from geo.words import DASHES, STOP, Mention, head_after, same_word

_ANY_DASH = re.compile("[" + re.escape("".join(sorted(DASHES))) + "]")
# How many words may stand between the two ends after "from" ("from Resht along the
# coastal plain through Rezvanshahr and Talesh to Astara").
FAR_WORDS = 12


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
    return b - a == len(keys) and all(same_word(words[a + n], k) for n, k in enumerate(keys))


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
    return mentions


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
    start += start < len(words) and words[start].lower == "the"
    for b in _ends_at(words, start, gazetteer):
        if (
            b.feature_id == a.feature_id
            and b.index != a.index
            and _element_is(words, (start, start + len(b.keys)), b.keys)
        ):
            return start + len(b.keys)
    return None


def _head_before(words: list[Token], k: int, heads: frozenset[str]) -> int | None:
    """The feature's head noun a few words before an opener: 'the railway (will run) from'."""
    for back in range(k - 1, max(-1, k - 5), -1):
        if singular(words[back].lower) in heads:
            return back
        if words[back].capital:
            return None
    return None
