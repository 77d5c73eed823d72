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

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from geo.folding import Token, skeleton
from geo.gazetteer import Gazetteer, Pattern, singular
from geo.routes import find_chains, route_mentions
from geo.words import DASHES, STOP, Mention, head_after, same_word

APOSTROPHES = frozenset("'’ʼ")


@dataclass
class Found:
    """What one paragraph names: feature mentions, foreign named things, route-name spans."""

    mentions: list[Mention] = field(default_factory=list)
    foreign: list[tuple[int, int, str]] = field(default_factory=list)
    chains: list[tuple[int, int]] = field(default_factory=list)


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
    if stripped and stripped in APOSTROPHES:
        # "Azerbaijan's capital" is written with either apostrophe, its "s" a word of its own.
        return ""
    return gap if not gap.strip() else stripped


def match_names(text: str, words: list[Token], gazetteer: Gazetteer) -> Found:
    """Every feature name, route name and foreign named thing in a paragraph's words."""
    found = Found()
    chains = find_chains(text, words)
    found.chains = [(words[a].start, words[b - 1].end) for a, b, _ in chains]
    names = _names(text, words, gazetteer)
    routes = route_mentions(text, words, chains, gazetteer)
    found.mentions = _resolve(names + routes, found.chains, gazetteer, words)
    found.foreign = _foreign(text, words, chains, found.mentions, gazetteer)
    return found


def foreign_names(
    text: str, words: list[Token], gazetteer: Gazetteer
) -> list[tuple[int, int, str]]:
    """The foreign named things of words that name no feature (see _foreign)."""
    return _foreign(text, words, [], [], gazetteer)


def _names(text: str, words: list[Token], gazetteer: Gazetteer) -> list[Mention]:
    mentions: list[Mention] = []
    excluded: list[Mention] = []
    last = len(words) - 1
    candidates, first_keys, shapes = gazetteer.candidates, gazetteer.patterns, gazetteer.fuzzy
    for i, word in enumerate(words):
        # Most words start no name: by key, or (capitalised) by skeleton, as
        # Gazetteer.candidates looks them up; the others are passed over here.
        if word.key not in first_keys and not (word.capital and skeleton(word.key) in shapes):
            continue
        for pattern in candidates(word.key, word.capital):
            keys = pattern.keys
            # Most tries fail at the second word ("the" starts "the Iranian capital"):
            # look at it before the whole match.
            if len(keys) > 1 and (i == last or not same_word(words[i + 1], keys[1])):
                continue
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


def _resolve(
    mentions: list[Mention],
    chains: list[tuple[int, int]],
    gazetteer: Gazetteer,
    words: list[Token],
) -> list[Mention]:
    """Drop places named only inside route names or inside a longer name of another feature.

    Routes are kept even inside another's match: "the South Caucasus and
    Trans-Anatolian pipelines" names both. A place inside a spelled-out route that is
    not one of its bare ends is named as a place: "between Rasht and the Azerbaijani
    border at Astara", "to the Nakhichevan border near Ordubad".
    """
    kept = []
    # Indexed by start, so that a paragraph of thousands of names is not compared name by
    # name with every other (that was cubic in its length).
    in_chains = Spans([(a, b, None) for a, b in chains])
    inside = Spans([(o.start, o.end, o) for o in mentions])
    starts = {w.start: k for k, w in enumerate(words)}
    for m in mentions:
        kind = gazetteer.entries[m.feature_id].kind
        if kind != "place":
            # Routes stay inside another's match ("the South Caucasus and Trans-Anatolian
            # pipelines"), and so does an area inside a name it lends ("Zangezur corridor").
            if kind != "area" or not in_chains.any_holding(m.start, m.end):
                kept.append(m)
            continue
        if in_chains.any_holding(m.start, m.end):
            continue
        if any(
            o.feature_id != m.feature_id
            and (o.end - o.start) > (m.end - m.start)
            and (o.how != "route" or _bare_end(words, m, gazetteer, starts))
            for o in inside.holding(m.start, m.end)
        ):
            continue
        kept.append(m)
    return sorted(set(kept), key=lambda m: (m.start, m.end, m.feature_id))


class Spans:
    """Spans of text (start, end, what), found by the spans they hold."""

    def __init__(self, spans: list[tuple[int, int, Any]]) -> None:
        self.spans = sorted(spans, key=lambda s: s[0])
        self.starts = [s[0] for s in self.spans]
        self.longest = max((b - a for a, b, _ in self.spans), default=0)

    def holding(self, start: int, end: int) -> Iterator[Any]:
        """What every span holding start..end stands for."""
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_right(self.starts, start)
        for a, b, what in self.spans[low:high]:
            if a <= start and end <= b:
                yield what

    def any_holding(self, start: int, end: int) -> bool:
        return next(self.holding(start, end), self) is not self

    def any_overlapping(self, start: int, end: int) -> bool:
        """Whether a span overlaps start..end (or touches it at end)."""
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_right(self.starts, end)
        return any(a <= end and start < b for a, b, _ in self.spans[low:high])


def _bare_end(
    words: list[Token], place: Mention, gazetteer: Gazetteer, starts: dict[int, int]
) -> bool:
    """Whether a place inside a route's mention stands as a bare end of it: right after an
    opener or joiner ("from Baku to Novorossiysk", "the Rasht to Astara railway") or
    right before a joiner; not when a noun of its own follows ("to the Nakhichevan border
    near Ordubad"). Unknown words count as bare, as before this rule."""
    at = starts.get(place.start)
    if at is None:
        return True
    end = at
    while end < len(words) and words[end].end < place.end:
        end += 1
    end = at if end == len(words) else end
    after_the = at > 0 and words[at - 1].lower == "the"
    before = at - 1 - after_the
    joins = gazetteer.joiners | gazetteer.openers
    after = words[end + 1] if end + 1 < len(words) else None
    if after_the and after is not None and _own_noun(after, words[end], gazetteer):
        return False
    if _located(words, end + 1, gazetteer):
        # "to Astara on the border with Azerbaijan": the end is told as a place.
        return False
    return (before >= 0 and words[before].lower in joins) or (
        after is not None and after.lower in gazetteer.joiners
    )


def _located(words: list[Token], at: int, gazetteer: Gazetteer) -> bool:
    """Whether a locating phrase ("on the border", "near the coast") opens at words[at],
    right after the place before it (no punctuation between)."""
    if at >= len(words) or words[at].start - words[at - 1].end > 1:
        return False
    return any(
        tuple(w.lower for w in words[at : at + len(phrase)]) == phrase
        for phrase in gazetteer.locating
    )


def _own_noun(after: Token, place: Token, gazetteer: Gazetteer) -> bool:
    """Whether the word after "the" and a place is a noun it describes ("the Nakhichevan
    border"; "to Astara start" is a verb, so the article is asked for), not
    a route's head ("Astara railway") or a word that ends the phrase."""
    return (
        after.start - place.end <= 1
        and not after.capital
        and after.lower not in gazetteer.phrase_ends
        and singular(after.lower) not in gazetteer.all_heads
    )


def _foreign(
    text: str,
    words: list[Token],
    chains: list[tuple[int, int, list[tuple[int, int]]]],
    mentions: list[Mention],
    gazetteer: Gazetteer,
) -> list[tuple[int, int, str]]:
    """Capitalised names with a head noun that name no feature: (start, end, head)."""
    foreign = []
    covered = Spans([(m.start, m.end, None) for m in mentions])
    heads = gazetteer.all_heads
    for k, word in enumerate(words):
        noun = singular(word.lower)
        if noun not in heads or (word.capital and k == 0):
            continue
        start = _name_before(words, k, gazetteer.modifiers)
        if start is None or all(
            w.lower in gazetteer.demonyms or not w.capital for w in words[start:k]
        ):
            # "the old Soviet line", "the Iranian route": described, not named.
            continue
        span = (words[start].start, word.end)
        if covered.any_overlapping(*span):
            continue
        foreign.append((*span, noun))
    return foreign


def _name_before(words: list[Token], k: int, modifiers: frozenset[str]) -> int | None:
    """Start of the capitalised name before words[k] (past modifiers), if there is one."""
    back = k - 1
    while back >= 0 and words[back].lower in modifiers and not words[back].capital:
        back -= 1
    if back < 0 or not words[back].capital or words[back].lower in STOP:
        return None
    while back > 0 and words[back - 1].capital and words[back - 1].lower not in STOP:
        back -= 1
    return back
