"""SteadyFooter shows what Textual's Footer shows, but rebuilds its keys only when they change,
and keeps no removed key alive."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from tui.widgets.steady_footer import SteadyFooter


class KeysScreen(Screen[None]):
    BINDINGS = [Binding("a", "first", "First"), Binding("b", "second", "Second")]
    AUTO_FOCUS = "#one"

    def __init__(self) -> None:
        super().__init__()
        self.second_shown = False

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.second_shown if action == "second" else True

    def action_first(self) -> None: ...

    def action_second(self) -> None: ...


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(KeysScreen())


def shown(screen: Screen) -> list[str]:
    return [key.description for key in screen.query(FooterKey) if key.description]


async def test_keys_shown_first_and_rebuilt_only_when_they_change() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        assert "First" in shown(screen) and "Second" not in shown(screen)
        keys = list(screen.query(FooterKey))
        screen.query_one("#two", Button).focus()  # the same keys apply: nothing rebuilt
        await pilot.pause()
        screen.refresh_bindings()
        await pilot.pause()
        assert list(screen.query(FooterKey)) == keys
        screen.second_shown = True  # a key appears: rebuilt
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert "Second" in shown(screen)
        footer = screen.query_one(SteadyFooter)
        watchers = getattr(footer, "__watchers", {})
        bound = [node for node, _callback in watchers.get("compact", [])]
        assert bound and set(bound) <= set(screen.query(FooterKey))  # the old keys let go
