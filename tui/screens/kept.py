"""A screen the app builds once and shows again and again (the finding editor).

Building a form of ~40 widgets (styled, laid out, drawn) took ~300 ms on a 2-core laptop, six
times the 50 ms a key may take; showing a built one again and refilling it takes a few
frames. A :class:`KeptScreen` is installed in the app under ``SPARE``, so closing it keeps its
widgets; ``reusable`` hands it out again reset (the subclass's ``_reopen``), ``prepare`` builds
it ahead in a pause, and ``_warm`` does off screen what its first showing would do.

What Textual would redo on every showing, and is skipped here:

- restyling every widget as the screen resumes (``on_screen_resume``): the widgets kept their
  styles; a stylesheet or theme changed meanwhile is applied by ``push_screen``
  (``Screen._css_update_count``) or, on the stack, by ``App.refresh_css``;
- the repaint of the screen below, forwarded to the top screen (``refresh``): this screen is
  opaque and covers it all; the request came back as a second full frame ~30 ms later;
- drawing twice in the tick after a reopening (``_on_timer_update``).

It relies on Textual 8.2.8 internals (``_installed_screens``, ``_screen_stacks``,
``_register``, ``_refresh_layout``, ``_compositor``, ``_on_timer_update``); textual is pinned.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self, TypeVar

from textual.events import ScreenResume

from store.i18n import current_language
from tui.screens.base import AppScreen
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

R = TypeVar("R")


class KeptScreen(AppScreen[R]):
    SPARE: ClassVar[str]
    """Name under which the app keeps the one built screen between showings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._language = current_language()

    # -- handing it out -----------------------------------------------------------------------
    @classmethod
    def reusable(cls, app: Any, *args: Any) -> Self:
        """The screen to push for ``args``: the app's spare one, reset, when it is free.

        It is rebuilt after a language switch (its captions are in the old language). While
        the spare is on a screen stack (opened again from a screen it opened, say) a new one
        is built for this showing."""
        spare = app._installed_screens.get(cls.SPARE)  # noqa: SLF001 — Textual's registry
        if spare is not None and spare._stacked():
            return cls(*args)
        if spare is not None and spare._language != current_language():
            app.uninstall_screen(spare)
            spare.remove()  # closed, hidden since: nothing of it is in use
            spare = None
        if spare is None:
            spare = cls(*args)
            app.install_screen(spare, cls.SPARE)
            return spare
        spare._reopen(*args)
        return spare

    def _reopen(self, *args: Any) -> None:
        """Forget the previous showing entirely and start on ``args`` (the constructor's)."""
        raise NotImplementedError

    @classmethod
    def prepare(cls, app: Any, *args: Any) -> None:
        """Build the app's spare ahead of its first use, for ``args`` (when the app is idle),
        so that its first showing is like every later one. Its widgets are composed and
        mounted now, off the screen stack; nothing is sent to the terminal."""
        if cls.SPARE in app._installed_screens:  # noqa: SLF001
            return
        spare = cls(*args)
        app.install_screen(spare, cls.SPARE)
        app._register(app, spare)  # noqa: SLF001 — what push_screen does before showing it
        spare.call_after_refresh(spare._warm)

    def _stacked(self) -> bool:
        """On a screen stack: shown, or under a screen opened from it."""
        return any(self in stack for stack in self.app._screen_stacks.values())  # noqa: SLF001

    # -- built ahead, warmed off screen -------------------------------------------------------
    def _warm(self) -> None:
        """Do off screen, one step per idle moment, what the first showing would otherwise do
        while the user waits: fill the header, compose the footer keys, lay the screen out for
        the terminal, draw every widget once (their caches are kept). For the finding editor
        this took the first ``c`` of a session from 135/157 ms (median/p95) to ~60 ms. Each
        step stops if the screen is shown or closed meanwhile."""
        if not self.is_attached or self._stacked():
            return
        self.query_one(StatusHeader).fill_ahead()
        footer = self.query_one(SteadyFooter)
        footer.call_later(footer.compose_ahead, self._warm_layout)

    def _warm_layout(self) -> None:
        if not self.is_attached or self._stacked():
            return
        self._refresh_layout(self.app.size)  # noqa: SLF001 — as a resize does to a hidden screen
        self.set_timer(0.05, self._warm_render)

    def _warm_render(self) -> None:
        if not self.is_attached or self._stacked():
            return
        self._compositor.render_update(full=True)  # noqa: SLF001 — drawn, sent nowhere

    # -- shown again ----------------------------------------------------------------------------
    def on_screen_resume(self, event: ScreenResume) -> None:
        # runs before Screen's own handler, which styles every widget again (~40 ms for the
        # finding editor); see the module docstring for why nothing needs it
        event.refresh_styles = False

    def _on_timer_update(self) -> None:
        # Reopened, the screen has two updates pending in one tick: a layout (the refilled
        # fields) and a repaint of everything (the screen resuming). Textual draws the
        # regions the layout changed and then the whole screen again; marking the whole
        # screen before the layout makes that one drawing (~7 ms less per opening).
        if (self._layout_required and self._repaint_required and self.is_current
                and not self.app._batch_count):  # noqa: SLF001
            self._repaint_required = False
            compositor = self._compositor  # noqa: SLF001
            compositor._dirty_regions.add(compositor.size.region)  # noqa: SLF001
        super()._on_timer_update()

    def refresh(self, *regions: Any, **kwargs: Any) -> Self:
        # Textual asks the top screen to repaint the regions of the screen below that changed
        # (Screen._compositor_refresh), for screens that let it show through. This one is
        # opaque and covers it all.
        if regions and not kwargs and self.styles.background.a == 1:
            return self
        return super().refresh(*regions, **kwargs)
