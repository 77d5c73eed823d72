"""Reading input files: text with BOM/CRLF tolerance, YAML and JSON with positions.

Values come from the ordinary parsers; positions come from PyYAML's node marks
(JSON is YAML), keyed by the path of keys and indexes that leads to a value, so
that any problem can name ``file:line:column``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from geo.problems import Problems

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
        self._text = text
        self._positions: dict[PathKey, Position] | None = None

    def at(self, *keys: Any) -> Position | None:
        """1-based position of the value at keys, or of its nearest located ancestor."""
        if self._positions is None:
            # Only a file with a problem pays for a second, position-keeping parse.
            self._positions = _position_index(self._text)
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


def load_yaml(path: Path, problems: Problems) -> Located | None:
    """Parse a YAML file; on a syntax error record it with its position and return None."""
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        value = yaml.load(text, Loader=_LOADER)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (mark.line + 1, mark.column + 1) if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        problems.error(path, f"malformed YAML: {reason}", where, code="yaml-malformed")
        return None
    return Located(path, value, text)


def load_json(path: Path, problems: Problems) -> Located | None:
    """Parse a JSON file; on a syntax error record it with its position and return None."""
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.error(
            path, f"malformed JSON: {exc.msg}", (exc.lineno, exc.colno), code="json-malformed"
        )
        return None
    return Located(path, value, text)
