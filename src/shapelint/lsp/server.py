"""The language server on pygls: diagnostics when a document is opened, changed or saved; hover with the inferred
shape of the layer or tensor under the cursor; code actions that apply shapelint's fixes, titled with their
applicability (safe fixes are the preferred action; unsafe ones say so; display-only ones are not offered).

Documents are checked from the editor's text (never imported or run), with the file's ``[tool.shapelint]``
settings and inline suppressions, exactly as ``shapelint check`` does."""
from __future__ import annotations

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from .hover import hover_index, hover_text
from .positions import lsp_range

SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
APPLICABILITY = {"safe": "safe fix", "unsafe": "unsafe fix: changes the model or the data"}


class ShapelintServer(LanguageServer):
    def __init__(self):
        super().__init__("shapelint", __version__)
        self.results: dict = {}  # uri -> (FileResult, lines, hover index)


def _check(path: str, text: str):
    from ..config import ConfigError, load_settings  # deferred: checked on the first document, not at start-up
    from ..frontends.source.check import check_source  # deferred, as load_settings
    try:
        settings = load_settings([path])
    except ConfigError:
        settings = None
    result = check_source(path, text, input_shape=settings.input_shape_for(path) if settings else None)
    if settings is not None:
        result.diagnostics = [d for d in result.diagnostics if settings.selected(d.code, path)]
    return result


def _range(lines, span) -> types.Range:
    (l1, c1), (l2, c2) = lsp_range(lines, span)
    return types.Range(types.Position(l1, c1), types.Position(l2, c2))


def _lsp_diagnostic(d, uri: str, lines: list) -> types.Diagnostic:
    related = [types.DiagnosticRelatedInformation(types.Location(uri, _range(lines, l.span)), l.text or "here")
               for l in d.secondary]
    message = d.message + (f"\nhelp: {d.help}" if d.help else "") + "".join(f"\nnote: {n}" for n in d.notes)
    return types.Diagnostic(range=_range(lines, d.primary.span), message=message, severity=SEVERITY[d.severity],
                            code=d.code, source="shapelint", related_information=related or None)


def publish(server: ShapelintServer, uri: str) -> None:
    doc = server.workspace.get_text_document(uri)
    if not doc.path.endswith((".py", ".pyw")):
        return
    result = _check(doc.path, doc.source)
    lines = doc.source.splitlines()
    server.results[uri] = (result, lines, hover_index(result, lines))
    diagnostics = [_lsp_diagnostic(d, uri, lines) for d in result.diagnostics if d.primary is not None]
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics,
                                                                            version=doc.version))


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and \
        (b.start.line, b.start.character) <= (a.end.line, a.end.character)


def code_actions(server: ShapelintServer, uri: str, requested: types.Range) -> list:
    if uri not in server.results:
        return []
    result, lines, _ = server.results[uri]
    actions = []
    for d in result.diagnostics:
        if d.primary is None or d.fix is None or not d.fix.edits or d.fix.applicability not in APPLICABILITY:
            continue
        if not _overlaps(_range(lines, d.primary.span), requested):
            continue
        edits = [types.TextEdit(_range(lines, e.span), e.text) for e in d.fix.edits]
        actions.append(types.CodeAction(
            title=f"shapelint: {d.fix.title} ({APPLICABILITY[d.fix.applicability]})",
            kind=types.CodeActionKind.QuickFix, is_preferred=d.fix.applicability == "safe",
            diagnostics=[_lsp_diagnostic(d, uri, lines)],
            edit=types.WorkspaceEdit(changes={uri: edits})))
    return actions


def build_server() -> ShapelintServer:
    server = ShapelintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ShapelintServer, params: types.DidOpenTextDocumentParams):
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ShapelintServer, params: types.DidChangeTextDocumentParams):
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ShapelintServer, params: types.DidSaveTextDocumentParams):
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ShapelintServer, params: types.DidCloseTextDocumentParams):
        ls.results.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                            diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ShapelintServer, params: types.HoverParams):
        entry = ls.results.get(params.text_document.uri)
        if entry is None:
            return None
        _, lines, index = entry
        found = hover_text(index, lines, params.position.line, params.position.character)
        if found is None:
            return None
        span, text = found
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                           range=_range(lines, span))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: ShapelintServer, params: types.CodeActionParams):
        return code_actions(ls, params.text_document.uri, params.range)

    return server
