"""Key bindings whose descriptions are message-catalogue keys, shown in the user's language.

Textual reads ``BINDINGS`` when a class is defined, before the language is known (and reading
the catalogue then would touch the disk at import time). So screens write the catalogue key as
the description (``Binding("n", "new_audit", "tui.bind.new_audit")``) and call
:func:`localize_bindings` in ``__init__`` (``tui.screens.base.AppScreen`` does): the node's own
binding map is rebuilt with the text in the current language, and can be rebuilt after the
language is switched. Class-level bindings are never modified. Descriptions that are not
catalogue keys are kept as written.

:func:`key_help` lists what a screen's keys do, for the help screen and the command palette.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from store.i18n import catalogue, t

#: Textual's own bindings that the app shows or lists, with our wording for them.
_BUILTIN = {"command_palette": "tui.bind.palette", "app.command_palette": "tui.bind.palette"}


def label(text: str, lang: str | None = None) -> str:
    """``text`` translated if it is a catalogue key, else unchanged."""
    return t(text, lang) if text in catalogue() else text  # type: ignore[arg-type]


def _declared(node: DOMNode) -> dict[tuple[str, str], Binding]:
    """(key, action) → the binding as declared in the class, description still a key."""
    originals: dict[tuple[str, str], Binding] = {}
    for cls in type(node).__mro__:
        merged = getattr(cls, "_merged_bindings", None)
        if merged is not None:
            for key, binding in merged:
                originals.setdefault((key, binding.action), binding)
    return originals


def _source_text(originals: dict[tuple[str, str], Binding], key: str, binding: Binding) -> str:
    if binding.action in _BUILTIN:
        return _BUILTIN[binding.action]
    source = originals.get((key, binding.action))
    return source.description if source is not None else binding.description


def localize_bindings(node: DOMNode) -> None:
    """Rewrite ``node``'s bindings with descriptions and tooltips in the current language."""
    originals = _declared(node)
    table = node._bindings.key_to_bindings  # noqa: SLF001 — the node's own map, rebuilt in place
    for key, bindings in table.items():
        rebuilt = []
        for binding in bindings:
            source = originals.get((key, binding.action), binding)
            rebuilt.append(replace(
                binding, description=label(_source_text(originals, key, binding)),
                tooltip=label(source.tooltip) if source.tooltip else ""))
        table[key] = rebuilt


@dataclass(frozen=True)
class KeyHelp:
    """One line of the help screen (and one screen entry of the command palette)."""

    keys: str
    """Every key that does it, as displayed (``F1 / ?``)."""
    description: str
    """What it does, in the current language."""
    scope: str
    """``screen``, ``widget`` (the focused one) or ``app``."""
    english: str = ""
    """The description in English, so palette queries match it in any language."""
    action: str = field(default="", compare=False)
    node: DOMNode | None = field(default=None, compare=False, repr=False)


def key_help(screen: Screen) -> list[KeyHelp]:
    """Every key fieldaudit defines for ``screen``: the screen's own, the focused widget's
    (and its containers'), then the app's. Unlike the footer, keys that the focused text
    field would swallow are listed too (they work once the focus moves). Textual's generic
    bindings (focus next, copy …) are left out; keys sharing a description are listed once
    (``F1 / ?``).
    """
    app = screen.app
    focused = screen.focused
    nodes = list(focused.ancestors_with_self) if focused is not None else [screen, app]
    grouped: dict[tuple[str, str], list[str]] = {}
    first: dict[tuple[str, str], KeyHelp] = {}
    for node in nodes:
        scope = "app" if node is app else "screen" if node is screen else "widget"
        ours = _own_bindings(node)
        originals = _declared(node)
        for key, binding in node._bindings:  # noqa: SLF001 — unfiltered, unlike _binding_chain
            if not binding.description or not (
                    (key, binding.action) in ours or binding.action in _BUILTIN):
                continue
            if app._check_action_state(binding.action, node) is False:  # noqa: SLF001
                continue
            slot = (scope, binding.description)
            keys = grouped.setdefault(slot, [])
            display = binding.key_display or app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
            if slot not in first:
                english = label(_source_text(originals, key, binding), "en")
                first[slot] = KeyHelp("", binding.description, scope, english, binding.action,
                                      node)
    order = {"screen": 0, "widget": 1, "app": 2}
    lines = [replace(first[slot], keys=" / ".join(keys)) for slot, keys in grouped.items()]
    return sorted(lines, key=lambda h: order[h.scope])


def _own_bindings(node: DOMNode) -> set[tuple[str, str]]:
    """(key, action) bound by the ``BINDINGS`` of fieldaudit's own classes in ``node``'s MRO."""
    own = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("tui.") and "BINDINGS" in cls.__dict__:
            own.update((b.key, b.action) for b in Binding.make_bindings(cls.__dict__["BINDINGS"]))
    return own
