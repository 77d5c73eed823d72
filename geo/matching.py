"""Matching: names, route names and unknown named things in the words of a paragraph.

Works on the words (``geo.folding.Token``) of one paragraph:

- A name matches word by word on folded keys. The name part of an alias such
  as "South Caucasus Pipeline" needs one of the feature's head nouns after it,
  with modifiers ("gas", "export") or other coordinated names between: "the
  South Caucasus and Trans-Anatolian pipelines" names both.
- A route is named by its ends, joined by dashes or slashes in either order and
  with towns between ("the Qazvin–Rasht–Astara railway"), or by "from A to B",
  "between A and B", "linking A and B" after a head noun.
- A place named only as part of a route name ("Baku" in "Baku–Tbilisi–Ceyhan")
  is not cited as a place.
- A capitalised name with a head noun that is no feature's ("the Middle
  Corridor") is kept as *foreign*: it blocks a reference back, and the gaps
  report lists it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from geo.folding import Token, skeleton
from geo.gazetteer import End, Gazetteer, Pattern, singular

DASHES = frozenset("-‐‑‒–—―−/")
COORDINATORS = frozenset({"and", "or", "as", "well", "both", "nor"})
# How many words may stand between the two ends after "from" ("from Resht along the
# coastal plain through Rezvanshahr and Talesh to Astara").
FAR_WORDS = 12
OPENERS = frozenset({"from", "between", "linking", "connecting", "joining", "links", "connects"})
_STOP = frozenset({"the", "this", "that", "these", "those", "a", "an", "its", "their", "our"})


class Mention(NamedTuple):
    """A passage [start, end) that names a feature, and how."""

    feature_id: str
    start: int
    end: int
    how: str
    antecedent: tuple[int, int] | None = None


@dataclass
class Found:
    """What one paragraph names: feature mentions, foreign named things, route-name spans."""

    mentions: list[Mention] = field(default_factory=list)
    foreign: list[tuple[int, int, str]] = field(default_factory=list)
    chains: list[tuple[int, int]] = field(default_factory=list)


def same_word(token: Token, key: str) -> bool:
    """Whether a word of the text is the word with this key, allowing for spelling."""
    if token.key == key:
        return True
    shape = skeleton(key)
    return bool(shape) and token.capital and skeleton(token.key) == shape


def match_at(text: str, words: list[Token], i: int, pattern: Pattern) -> int | None:
    """The index after the pattern's last word, if it matches from words[i]."""
    end = i + len(pattern.keys)
    if end > len(words) or (pattern.capital_first and not words[i].capital):
        return None
    if not all(same_word(words[i + n], key) for n, key in enumerate(pattern.keys)):
        return None
    if any(_gap(text, words[k], words[k + 1]) not in ("", " ") for k in range(i, end - 1)):
        return None
    written = text[words[i].start : words[end - 1].end]
    if pattern.acronym and not written.replace("-", "").isupper():
        return None
    if pattern.exact_case and any(
        words[i + n].capital != upper for n, upper in enumerate(pattern.exact_case)
    ):
        return None
    return end


def _gap(text: str, left: Token, right: Token) -> str:
    gap = text[left.end : right.start]
    stripped = gap.strip()
    if stripped and stripped in DASHES:
        return " "
    return gap if not gap.strip() else stripped


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


def match_names(text: str, words: list[Token], gazetteer: Gazetteer) -> Found:
    """Every feature name, route name and foreign named thing in a paragraph's words."""
    found = Found()
    chains = find_chains(text, words)
    found.chains = [(words[a].start, words[b - 1].end) for a, b, _ in chains]
    names = _names(text, words, gazetteer)
    routes = _routes(text, words, chains, gazetteer)
    found.mentions = _resolve(names + routes, found.chains, gazetteer)
    found.foreign = _foreign(text, words, chains, found.mentions, gazetteer)
    return found


def _names(text: str, words: list[Token], gazetteer: Gazetteer) -> list[Mention]:
    mentions: list[Mention] = []
    excluded: list[Mention] = []
    for i, word in enumerate(words):
        for pattern in gazetteer.candidates(word.key, word.capital):
            end = match_at(text, words, i, pattern)
            if end is None:
                continue
            if pattern.needs_head:
                end = head_after(
                    words, end, gazetteer.heads[pattern.feature_id], gazetteer.modifiers
                )
                if end < 0:
                    continue
            span = Mention(pattern.feature_id, word.start, words[end - 1].end, "name")
            (excluded if pattern.exclusion else mentions).append(span)
    return [
        m
        for m in mentions
        if not any(
            x.feature_id == m.feature_id and x.start <= m.start and m.end <= x.end for x in excluded
        )
    ]


def find_chains(text: str, words: list[Token]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Runs of capitalised names joined by dashes or slashes: (first word, end, elements)."""
    chains = []
    i = 0
    while i < len(words):
        elements = []
        if words[i].lower in _STOP:
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


def _routes(
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
        if word.lower not in OPENERS:
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
            if words[middle].lower not in ("to", "and", "with"):
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


def _resolve(
    mentions: list[Mention], chains: list[tuple[int, int]], gazetteer: Gazetteer
) -> list[Mention]:
    """Drop places named only inside route names or inside a longer name of another feature.

    Routes are kept even inside another's match: "the South Caucasus and
    Trans-Anatolian pipelines" names both.
    """
    kept = []
    for m in mentions:
        kind = gazetteer.entries[m.feature_id].kind
        if kind != "place":
            # Routes stay inside another's match ("the South Caucasus and Trans-Anatolian
            # pipelines"), and so does an area inside a name it lends ("Zangezur corridor").
            if kind != "area" or not any(a <= m.start and m.end <= b for a, b in chains):
                kept.append(m)
            continue
        if any(a <= m.start and m.end <= b for a, b in chains):
            continue
        if any(
            o.feature_id != m.feature_id
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in mentions
        ):
            continue
        kept.append(m)
    return sorted(set(kept), key=lambda m: (m.start, m.end, m.feature_id))


def _foreign(
    text: str,
    words: list[Token],
    chains: list[tuple[int, int, list[tuple[int, int]]]],
    mentions: list[Mention],
    gazetteer: Gazetteer,
) -> list[tuple[int, int, str]]:
    """Capitalised names with a head noun that name no feature: (start, end, head)."""
    foreign = []
    covered = [(m.start, m.end) for m in mentions]
    for k, word in enumerate(words):
        noun = singular(word.lower)
        if noun not in gazetteer.all_heads or (word.capital and k == 0):
            continue
        start = _name_before(words, k, gazetteer.modifiers)
        if start is None:
            continue
        span = (words[start].start, word.end)
        if any(a <= span[1] and span[0] < b for a, b in covered):
            continue
        foreign.append((*span, noun))
    return foreign


def _name_before(words: list[Token], k: int, modifiers: frozenset[str]) -> int | None:
    """Start of the capitalised name before words[k] (past modifiers), if there is one."""
    back = k - 1
    while back >= 0 and words[back].lower in modifiers and not words[back].capital:
        back -= 1
    if back < 0 or not words[back].capital or words[back].lower in _STOP:
        return None
    while back > 0 and words[back - 1].capital and words[back - 1].lower not in _STOP:
        back -= 1
    return back
