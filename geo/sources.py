"""Reading input files: text with BOM/CRLF tolerance, YAML and JSON with positions.

Values come from the ordinary parsers; positions come from PyYAML's node marks
(JSON is YAML), keyed by the path of keys and indexes that leads to a value, so
that any problem can name ``file:line:column``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from geo.problems import Problems
from geo.shapes import (
    ALIAS_ALLOWANCE,
    duplicate_key_message,
    may_nest_deeper,
    node_size,
    value_shapes,
    yaml_shapes,
)

# libyaml's C loader where PyYAML has it: ten thousand metadata entries load in
# a fraction of the time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Position = tuple[int, int]
PathKey = tuple[Any, ...]


class Located:
    """A parsed document and, worked out when first asked, the position of every value."""

    def __init__(self, path: Path, value: Any, text: str) -> None:
        self.path = path
        self.value = value
        self.text = text
        self._positions: dict[PathKey, Position] | None = None

    def at(self, *keys: Any) -> Position | None:
        """1-based position of the value at keys, or of its nearest located ancestor."""
        if self._positions is None:
            # Only a file with a problem pays for a second, position-keeping parse.
            self._positions = _position_index(self.text)
        for end in range(len(keys), -1, -1):
            found = self._positions.get(tuple(keys[:end]))
            if found:
                return found
        return None


def read_text(path: Path, problems: Problems) -> str | None:
    """Text of a UTF-8 file, BOM removed, line ends made LF; None (and an error) if unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, f"cannot read file: {exc.strerror or exc}", code="file-unreadable")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(
            path,
            f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded (re-save the file as UTF-8)",
            (line, column),
            code="file-not-utf8",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _positions(node: yaml.Node, prefix: PathKey, out: dict[PathKey, Position]) -> None:
    out[prefix] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out.setdefault((*prefix, key, "<key>"), _mark(key_node))
            _positions(value_node, (*prefix, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _positions(item, (*prefix, index), out)


def _mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _position_index(text: str) -> dict[PathKey, Position]:
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return {}
    out: dict[PathKey, Position] = {}
    if root is not None:
        _positions(root, (), out)
    return out


class _Loader(_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a key given twice in one mapping (the last would win)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise _DuplicateKey(key_node)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


class _DuplicateKey(Exception):
    def __init__(self, node: yaml.ScalarNode) -> None:
        super().__init__(node.value)
        self.node = node


def load_yaml(path: Path, problems: Problems) -> Located | None:
    """Parse a YAML file; on a syntax error, or a shape no map can hold (see geo.shapes),
    record it with its position and return None."""
    text = read_text(path, problems)
    if text is None or _too_large(path, text, problems):
        return None
    if may_nest_deeper(text) and not _shaped(path, text, problems):
        return None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is not None and "*" in text and node_size(root) > ALIAS_ALLOWANCE + len(text):
            # Walked again, event by event, to say where it explodes.
            _shaped(path, text, problems)
            return None
        value = loader.construct_document(root) if root is not None else None
    except _DuplicateKey as duplicate:
        mark = duplicate.node.start_mark
        problems.error(
            path,
            duplicate_key_message(duplicate.node.value),
            (mark.line + 1, mark.column + 1),
            code="duplicate-key",
        )
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (mark.line + 1, mark.column + 1) if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        problems.error(path, f"malformed YAML: {reason}", where, code="yaml-malformed")
        return None
    finally:
        loader.dispose()
    return _valued(Located(path, value, text), problems)


def load_json(path: Path, problems: Problems) -> Located | None:
    """Parse a JSON file; on a syntax error, or a shape no map can hold (see geo.shapes),
    record it with its position and return None."""
    text = read_text(path, problems)
    # JSON is YAML: its nesting and duplicate keys are found, with positions, by the same
    # walk.
    if text is None or not _shaped(path, text, problems):
        return None
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        problems.error(
            path, f"malformed JSON: {exc.msg}", (exc.lineno, exc.colno), code="json-malformed"
        )
        return None
    except (ValueError, RecursionError) as exc:
        where = _first(NON_NUMBER, text)
        problems.error(path, f"malformed JSON: {exc}", where, code="json-malformed")
        return None
    return _valued(Located(path, value, text), problems)


# The largest YAML file read, in characters (CAUCASUS_MAP_MAX_YAML_MB sets it in MB): the
# metadata of a million articles is some hundred MB.
MAX_YAML_CHARS = int(float(os.environ.get("CAUCASUS_MAP_MAX_YAML_MB", "500")) * 1_000_000)


def _too_large(path: Path, text: str, problems: Problems) -> bool:
    if len(text) <= MAX_YAML_CHARS:
        return False
    problems.error(
        path,
        f"{len(text) / 1e6:.0f} MB is more than the {MAX_YAML_CHARS / 1e6:g} MB a YAML file "
        "may be (set CAUCASUS_MAP_MAX_YAML_MB to allow more)",
        code="yaml-too-large",
    )
    return True


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is no number a map can show")


def _shaped(path: Path, text: str, problems: Problems) -> bool:
    """Whether the text's shape holds (no alias bomb, deep nesting or repeated key)."""
    found = list(yaml_shapes(text, _LOADER))
    for shape in found:
        problems.error(path, shape.message, shape.position, code=shape.code)
    return not found


# Where a value no output holds is written, for a text whose positions YAML cannot index
# (YAML refuses a lone surrogate escape that JSON takes).
NON_NUMBER = re.compile(r"-?\b(?:NaN|Infinity)\b")
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _first(pattern: re.Pattern[str], text: str) -> tuple[int, int] | None:
    match = pattern.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1


def _valued(doc: Located, problems: Problems) -> Located | None:
    """The document, or None once every value no output can hold is recorded."""
    found = list(value_shapes(doc.value))
    for keys, message in found:
        where = doc.at(*keys) or _first(SURROGATE_ESCAPE, doc.text)
        problems.error(doc.path, message, where, code="value-unrepresentable")
    return None if found else doc
