"""``shapelint lsp`` driven end to end by a real LSP client (pytest-lsp's, over stdio): diagnostics on open, change
and save; hover with the inferred shapes; code actions with the fixes and their applicability. One server session
serves the whole test (starting one costs seconds)."""
import asyncio
import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="the LSP test needs pytest-lsp (the test extra)")
from lsprotocol import types  # noqa: E402

LENET = (Path(__file__).resolve().parents[2] / "examples" / "torch_lenet_28x28.py").read_text()
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
PATIENCE = 300  # seconds: only a broken server ever gets near it


async def _diagnostics(client, uri, send):
    """Send a notification and wait for the diagnostics it makes the server publish."""
    waiting = asyncio.ensure_future(client.wait_for_notification(PUBLISH))
    send()
    await asyncio.wait_for(waiting, PATIENCE)
    return client.diagnostics[uri]


def _at(text: str, needle: str, offset: int = 0) -> types.Position:
    for n, line in enumerate(text.splitlines()):
        if needle in line:
            return types.Position(n, line.index(needle) + offset)
    raise AssertionError(needle)


async def _session(tmp_path):
    from pytest_lsp import ClientServerConfig
    config = ClientServerConfig(server_command=[sys.executable, "-m", "shapelint", "lsp"])
    client = await config.start()
    try:
        await client.initialize_session(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri()))
        path = tmp_path / "lenet.py"
        path.write_text(LENET)
        uri = path.as_uri()
        ident = types.TextDocumentIdentifier(uri)

        # open: the error, where the terminal report puts it, with the call site as related information
        diags = await _diagnostics(client, uri, lambda: client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "python", 1, LENET))))
        assert [(d.code, d.severity) for d in diags] == [("SHP101", types.DiagnosticSeverity.Error)]
        d = diags[0]
        assert d.source == "shapelint" and d.message.startswith("`Linear` expects 400 input features but receives 256")
        assert (d.range.start.line, d.range.start.character, d.range.end.character) == (13, 29, 39)
        assert d.related_information[0].location.range.start.line == 21

        # hover: the layer under the cursor with its shapes, and a tensor argument's shape
        hover = await client.text_document_hover_async(types.HoverParams(ident, _at(LENET, "nn.Linear(16", 3)))
        assert "`fc1` (Linear)" in hover.contents.value and "(8, 256) → (8, 120) ✗" in hover.contents.value
        hover = await client.text_document_hover_async(types.HoverParams(ident, _at(LENET, "self.fc1(x)", 9)))
        assert hover.contents.value == "`x`: shape `(8, 256)`"
        assert await client.text_document_hover_async(types.HoverParams(ident, types.Position(0, 0))) is None

        # code action: the safe fix, preferred, as a workspace edit
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            ident, d.range, types.CodeActionContext(diagnostics=[d])))
        assert len(actions) == 1 and actions[0].is_preferred and "(safe fix)" in actions[0].title
        (edit,) = actions[0].edit.changes[uri]
        assert edit.new_text == "16 * 4 * 4" and edit.range == d.range

        # change: the fixed text clears the diagnostics; save re-checks what was saved
        fixed = LENET.replace("16 * 5 * 5", "16 * 4 * 4")
        diags = await _diagnostics(client, uri, lambda: client.text_document_did_change(
            types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                                              [types.TextDocumentContentChangeWholeDocument(fixed)])))
        assert list(diags) == []
        broken = fixed.replace("nn.Linear(120, 84)", "nn.Linear(100, 84)")
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=3), [types.TextDocumentContentChangeWholeDocument(broken)]))
        await asyncio.wait_for(client.wait_for_notification(PUBLISH), PATIENCE)
        diags = await _diagnostics(client, uri, lambda: client.text_document_did_save(
            types.DidSaveTextDocumentParams(ident)))
        assert [d.code for d in diags] == ["SHP101"] and "expects 100 input features" in diags[0].message
    finally:
        await client.shutdown_session()
        await client.stop()


def test_language_server_session(tmp_path):
    asyncio.run(_session(tmp_path))
