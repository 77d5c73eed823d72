"""An editor validates a layer file as it is typed: the YAML language server, driven over LSP.

The server (pinned in package.json, installed by ``npm ci``) is the one VS Code,
Neovim and others run; it reads the ``# yaml-language-server: $schema=…`` header
of each layer file and reports against the shipped JSON Schema.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any

import pytest

from tests.project import LAYERS, ROOT

SERVER = ROOT / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
TIMEOUT_S = 30


def _send(stdin: IO[bytes], message: dict[str, Any]) -> None:
    body = json.dumps(message).encode("utf-8")
    stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stdin.flush()


def _read(stdout: IO[bytes], inbox: queue.Queue[dict[str, Any]]) -> None:
    while line := stdout.readline():
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
            stdout.readline()
            inbox.put(json.loads(stdout.read(length)))


def diagnostics(path: Path) -> list[str]:
    """What the language server reports for path, as 'line:column: message'."""
    node = shutil.which("node")
    if node is None or not SERVER.exists():
        pytest.fail("the YAML language server is not installed: run `npm ci` (see README)")
    server = subprocess.Popen(
        [node, str(SERVER), "--stdio"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert server.stdin is not None and server.stdout is not None
    inbox: queue.Queue[dict[str, Any]] = queue.Queue()
    threading.Thread(target=_read, args=(server.stdout, inbox), daemon=True).start()
    try:
        return _session(server.stdin, inbox, path)
    finally:
        server.kill()
        server.wait()


def _session(stdin: IO[bytes], inbox: queue.Queue[dict[str, Any]], path: Path) -> list[str]:
    settings = {"validate": True, "schemaStore": {"enable": False}}
    document = {
        "uri": path.as_uri(),
        "languageId": "yaml",
        "version": 1,
        "text": path.read_text(encoding="utf-8"),
    }
    for method, params in (
        ("initialize", {"processId": None, "rootUri": path.parent.as_uri(), "capabilities": {}}),
        ("initialized", {}),
        ("workspace/didChangeConfiguration", {"settings": {"yaml": settings}}),
        ("textDocument/didOpen", {"textDocument": document}),
    ):
        request_id = {"id": 1} if method == "initialize" else {}
        _send(stdin, {"jsonrpc": "2.0", **request_id, "method": method, "params": params})
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            message = inbox.get(timeout=1)
        except queue.Empty:
            continue
        if "id" in message and "method" in message:
            # The server asks for its settings; answer every request it makes.
            items = message.get("params", {}).get("items", [])
            _send(stdin, {"jsonrpc": "2.0", "id": message["id"], "result": [settings] * len(items)})
        if (
            message.get("method") == "textDocument/publishDiagnostics"
            and message["params"]["uri"] == path.as_uri()
        ):
            return [
                f"{d['range']['start']['line'] + 1}:{d['range']['start']['character'] + 1}: "
                f"{d['message']}"
                for d in message["params"]["diagnostics"]
            ]
    pytest.fail(f"the language server published no diagnostics for {path} in {TIMEOUT_S} s")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The layers beside the package's schemas, as in the checkout."""
    shutil.copytree(LAYERS, tmp_path / "layers")
    shutil.copytree(ROOT / "geo" / "schemas", tmp_path / "geo" / "schemas")
    return tmp_path / "layers"


def test_the_editor_accepts_a_shipped_layer_file(project_copy: Path) -> None:
    assert diagnostics(project_copy / "places.yaml") == []


def test_the_editor_flags_a_typo_in_a_layer_file(project_copy: Path) -> None:
    places = project_copy / "places.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(
        text.replace("aliases: [Shusha, Shushi]", "alises: [Shusha]"), encoding="utf-8"
    )
    line = next(i for i, t in enumerate(places.read_text("utf-8").splitlines(), 1) if "alises" in t)
    assert diagnostics(places) == [f"{line}:5: Property alises is not allowed."]
