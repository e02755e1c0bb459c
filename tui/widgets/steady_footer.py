"""A key footer that rebuilds its keys only when the keys it would show have changed.

Textual's ``Footer`` recomposes all of its keys every time the screen publishes a bindings
update, and a screen publishes several while it opens (the first focus, the screen resuming,
a refresh after each focus change): the finding editor rebuilt the same seven keys four times
in a row, each time with style matching and a new layout (~10 ms apiece on a 2-core laptop).
This footer compares what it would show with what it shows and skips the identical rebuilds.
It looks exactly like ``Footer`` (it is one) and shows the same keys.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """``Footer`` without the rebuilds that would show the same keys again.

    Its first keys are composed as soon as the screen has its focus (which decides which keys
    apply), not after the next frame: the screen's first frame shows them, and no second
    layout of the whole screen follows just for the footer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None

    def _signature(self) -> tuple[Any, ...]:
        """Everything ``Footer.compose`` reads from the screen's bindings."""
        app = self.app
        active = self.screen.active_bindings
        shown = tuple(
            (binding.key, app.get_key_display(binding), binding.action, binding.description,
             binding.group, enabled, tooltip)
            for _node, binding, enabled, tooltip in active.values() if binding.show)
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                palette = (binding.key, app.get_key_display(binding), binding.action,
                           binding.description, binding.tooltip, enabled)
        return shown, palette

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._signature()
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            if self._shown is None:
                self.call_next(self._recompose_if_changed)
            else:
                self.call_after_refresh(self._recompose_if_changed)

    async def compose_ahead(self, then: Any = None) -> None:
        """Build the keys of a screen that is not shown yet (one built ahead of its first
        use), so that showing it does not rebuild them; then call ``then``. Runs as this
        footer's own callback (``call_later``): its keys bind to it as they are composed."""
        self._bindings_ready = True
        if self.is_attached and self._signature() != self._shown:
            await self.recompose()
            self._forget_old_keys()
        if then is not None:
            then()

    async def _recompose_if_changed(self) -> None:
        # a screen under another one publishes when it is suspended; it publishes again as
        # it resumes, and that is when its keys are shown
        if not self.is_attached or not self.screen.is_current:
            return
        if self._signature() != self._shown:
            await self.recompose()
            self._forget_old_keys()

    def _forget_old_keys(self) -> None:
        """Each key is ``data_bind``-ed to this footer's ``compact``, which leaves
        ``(key, callback)`` on the footer; Textual drops the entries of removed keys only when
        ``compact`` next changes (Textualize/textual#6666), so a long-lived screen's footer
        kept every key it ever showed. Apply Textual's own rule (closed widgets go) now."""
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries
                          if not getattr(node, "_closing", False)]
