"""Input shapes no map can hold, found before they reach the build.

A YAML or JSON file may parse and still be hostile or careless: an alias bomb
(377 bytes that expand to billions of values), nesting deep enough to crash the
parser, a key written twice (the last silently wins), a number that is no
number (NaN, infinity) or too large for the page's JavaScript, a lone surrogate
that no output can encode. Each is an error at its ``line:column``.

YAML is walked as PyYAML's event stream, which libyaml produces without
recursion, so the walk itself is bounded by the file's length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

# Deeper than this, no layer, metadata or property means anything: the page's JSON
# encoder stops at 255 levels, the YAML parser crashes near 10,000.
MAX_DEPTH = 64
# Values a file may expand to through its aliases, beyond one per byte it holds.
ALIAS_ALLOWANCE = 100_000
# The largest integer JavaScript holds exactly (2**53 - 1).
MAX_SAFE_INTEGER = 2**53 - 1

Position = tuple[int, int]
SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Shape:
    """What is wrong with a file's shape, and where."""

    message: str
    position: Position | None
    code: str


@dataclass
class _Collection:
    """An open mapping or sequence: its size so far, and for a mapping, its keys."""

    mapping: bool
    anchor: str | None
    size: int = 1
    keys: set[str] = field(default_factory=set)
    at_key: bool = True


def yaml_shapes(text: str, loader: type[Any]) -> Iterator[Shape]:
    """Deep nesting, alias bombs and duplicate keys in a YAML text, in order; stops at the
    first nesting or alias problem (past it, the file is not walked further)."""
    walk = _Walk(budget=ALIAS_ALLOWANCE + len(text))
    try:
        for event in yaml.parse(text, Loader=loader):
            shape = walk.step(event)
            if shape is not None:
                yield shape
                if shape.code != "duplicate-key":
                    return
    except yaml.YAMLError as exc:
        # libyaml 0.2.5+ scans ahead and stops deep nesting itself; say it as we do.
        mark = getattr(exc, "problem_mark", None)
        if "nesting depth" in str(exc) and mark is not None:
            where = (mark.line + 1, mark.column + 1)
            yield Shape(f"nested deeper than {MAX_DEPTH} levels", where, "nested-too-deep")
        # The ordinary parse reports any other syntax error with its position.
        return


@dataclass
class _Walk:
    """The state of a walk over YAML events: the open collections, the size of every
    anchored node, and how many values the file has expanded to so far."""

    budget: int
    stack: list[_Collection] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def step(self, event: Any) -> Shape | None:
        if isinstance(event, yaml.CollectionStartEvent):
            return self._open(event)
        if isinstance(event, yaml.CollectionEndEvent):
            done = self.stack.pop()
            if done.anchor:
                self.sizes[done.anchor] = done.size
            _close(self.stack, done.size)
            return None
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            return self._node(event)
        return None

    def _open(self, event: Any) -> Shape | None:
        _key_of(self.stack, None, event)
        if len(self.stack) >= MAX_DEPTH:
            return Shape(f"nested deeper than {MAX_DEPTH} levels", _mark(event), "nested-too-deep")
        self.stack.append(_Collection(isinstance(event, yaml.MappingStartEvent), event.anchor))
        self.total += 1
        return None

    def _node(self, event: Any) -> Shape | None:
        alias = isinstance(event, yaml.AliasEvent)
        size = self.sizes.get(event.anchor or "", 1) if alias else 1
        duplicate = _key_of(self.stack, event, event)
        if not alias and event.anchor:
            self.sizes[event.anchor] = 1
        self.total += size
        _close(self.stack, size)
        if self.total > self.budget:
            return Shape(
                f"expands through its aliases to more than {self.budget:,} values (an alias bomb?)",
                _mark(event),
                "yaml-alias-bomb",
            )
        return duplicate


def _key_of(stack: list[_Collection], scalar: Any, event: Any) -> Shape | None:
    """Note a node that starts inside the innermost mapping: a key, or its value."""
    if not stack or not stack[-1].mapping:
        return None
    current = stack[-1]
    if not current.at_key:
        return None
    if isinstance(scalar, yaml.ScalarEvent):
        if scalar.value in current.keys:
            return Shape(duplicate_key_message(scalar.value), _mark(event), "duplicate-key")
        current.keys.add(scalar.value)
    return None


def duplicate_key_message(key: str) -> str:
    return f"the key {key!r} is given twice in one mapping (the first would be lost)"


def _close(stack: list[_Collection], size: int) -> None:
    """A node of this size is complete inside the innermost collection."""
    if not stack:
        return
    current = stack[-1]
    current.size += size
    if current.mapping:
        current.at_key = not current.at_key


def _mark(event: Any) -> Position:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def may_nest_deeper(text: str) -> bool:
    """Whether a YAML text could nest deeper than MAX_DEPTH: a cheap bound (each block
    level needs more indentation or another "- " on its line; each flow level a bracket),
    so that only a file that might is walked event by event before the parser sees it."""
    brackets = text.count("[") + text.count("{")
    indents = [len(m) for m in _INDENT.findall(text)]
    return max(indents, default=0) + brackets > MAX_DEPTH


_INDENT = re.compile(r"^(?:[ ]*(?:- +)*)", re.MULTILINE)


def node_size(root: Any) -> int:
    """How many values a composed YAML node stands for, aliases expanded: each node counted
    once per place it appears, worked out once per node (so an alias bomb is counted, not
    built)."""
    sizes: dict[int, int] = {}
    pending: list[tuple[Any, bool]] = [(root, False)]
    while pending:
        node, children_done = pending.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            continue
        pending.append((node, True))
        pending += [(c, False) for c in children if id(c) not in sizes]
    return sizes[id(root)]


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def value_shapes(value: Any) -> list[tuple[tuple[Any, ...], str]]:
    """Values no output can hold (see _value_shapes); one quick pass without paths first,
    since almost every file has none."""
    if _all_representable(value):
        return []
    return list(_value_shapes(value))


def _all_representable(value: Any) -> bool:
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, dict):
            pending += [(v, depth + 1) for v in item.values()]
            pending += [(k, depth + 1) for k in item if isinstance(k, str)]
        elif isinstance(item, list):
            pending += [(v, depth + 1) for v in item]
        elif (type(item) is not str and _scalar_problem(item)) or (
            type(item) is str and SURROGATE.search(item)
        ):
            return False
    return True


def _value_shapes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Values no output can hold, with the path of keys that leads to each: NaN and
    infinity, integers beyond JavaScript's exact range, lone surrogates, and JSON
    nested deeper than MAX_DEPTH. Iterative, so no depth of input can exhaust the stack."""
    pending: list[tuple[tuple[Any, ...], Any]] = [(path, value)]
    while pending:
        where, item = pending.pop()
        if len(where) > MAX_DEPTH:
            yield where, f"nested deeper than {MAX_DEPTH} levels"
            continue
        if isinstance(item, dict):
            pending += [((*where, k), v) for k, v in reversed(item.items())]
            pending += [((*where, k, "<key>"), k) for k in item if isinstance(k, str)]
        elif isinstance(item, list):
            pending += [((*where, i), v) for i, v in reversed(list(enumerate(item)))]
        else:
            problem = _scalar_problem(item)
            if problem:
                yield where, problem


def _scalar_problem(item: Any) -> str | None:
    if isinstance(item, bool):
        return None
    if isinstance(item, float) and not math.isfinite(item):
        return f"{item} is no number a map can show"
    if isinstance(item, int) and abs(item) > MAX_SAFE_INTEGER:
        digits = len(str(abs(item)))
        return f"a {digits}-digit integer is beyond what the page can hold exactly (2^53)"
    if isinstance(item, str) and SURROGATE.search(item):
        return "a lone surrogate (an unpaired \\ud800–\\udfff escape) is no text"
    return None
