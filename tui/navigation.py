"""Opening the app's main places from anywhere: one function per destination.

Screens are imported when first opened, so launching the app loads only the home screen's code.
Navigation that would close a screen first asks it: a screen with text not yet saved sets
``has_unsaved_changes`` and the app refuses to close it behind the user's back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from store.i18n import t

if TYPE_CHECKING:
    from textual.app import App


def _not_ready(app: App) -> None:
    # TEMPORARY while the workspace screens are being written in parallel: remove when they land.
    app.notify(t("tui.screen_not_ready"), severity="warning")


def open_workspace(app: App, audit_id: str, item_code: str | None = None) -> None:
    try:
        from tui.screens.workspace import AuditWorkspaceScreen
    except ImportError:
        return _not_ready(app)
    app.push_screen(AuditWorkspaceScreen(audit_id, item_code))


def open_findings(app: App, audit_id: str | None = None) -> None:
    try:
        from tui.screens.findings_list import FindingsListScreen
    except ImportError:
        return _not_ready(app)
    app.push_screen(FindingsListScreen(audit_id))


def open_finding(app: App, finding_id: str | None, audit_id: str,
                 prefill: dict | None = None) -> None:
    """Edit a finding, or start a new one (``finding_id`` None) in ``audit_id``.

    ``prefill`` holds :class:`store.models.Finding` field values for a new finding, e.g. from
    a checklist item answered 不符合: ``title``, ``nature``, ``basis``, ``area_code``,
    ``item_code``, ``recommendation``.
    """
    try:
        from tui.screens.finding_editor import FindingEditorScreen
    except ImportError:
        return _not_ready(app)
    app.push_screen(FindingEditorScreen.reusable(app, finding_id, audit_id, prefill))


def open_history(app: App, table: str, record_id: str, title: str = "") -> None:
    """Who changed what and when on one record (``answers`` or ``findings``, …)."""
    try:
        from tui.screens.history import HistoryScreen
    except ImportError:
        return _not_ready(app)
    app.push_screen(HistoryScreen(table, record_id, title))


def open_documents(app: App, audit_id: str, finding_id: str | None = None) -> None:
    """The audit's printable documents: preview in the terminal, then print to PDF."""
    try:
        from tui.screens.documents import DocumentsScreen
    except ImportError:
        return _not_ready(app)
    app.push_screen(DocumentsScreen(audit_id, finding_id))


def open_unit(app: App, unit_id: str) -> None:
    from tui.screens.unit_detail import UnitDetailScreen

    app.push_screen(UnitDetailScreen(unit_id))


def open_new_audit(app: App, unit_id: str | None = None) -> None:
    from tui.screens.new_audit import NewAuditScreen

    app.push_screen(NewAuditScreen(unit_id))


def _dirty(screens: list[Screen]) -> bool:
    return any(getattr(s, "has_unsaved_changes", False) for s in screens)


def back_to(app: App, screen_type: type[Screen], make: type[Screen] | None = None) -> bool:
    """Close screens down to the nearest ``screen_type`` (or push a new one from ``make``).

    Returns False, with a notice, when a screen to be closed holds unsaved text.
    """
    stack = app.screen_stack
    for index in range(len(stack) - 1, -1, -1):
        if isinstance(stack[index], screen_type):
            above = stack[index + 1:]
            if _dirty(above):
                app.notify(t("tui.unsaved_blocks_navigation"), severity="warning")
                return False
            for _ in above:
                app.pop_screen()
            return True
    if make is not None:
        app.push_screen(make())
    return True


def reset_to(app: App, screen: Screen) -> bool:
    """Close every screen and show ``screen`` alone (after a language switch)."""
    stack = app.screen_stack[1:]
    if _dirty(stack):
        app.notify(t("tui.unsaved_blocks_navigation"), severity="warning")
        return False
    for _ in stack[1:]:
        app.pop_screen()
    if stack:
        app.switch_screen(screen)
    else:
        app.push_screen(screen)
    return True
