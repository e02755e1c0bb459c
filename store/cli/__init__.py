"""The ``fieldaudit`` command line, minus the TUI launch (``tui/cli.py`` adds that).

Each subcommand is a module here with ``register(subparsers)`` and ``run(args) -> int``, so
``store`` stays usable without textual. Help texts come from the message catalogue in the
language chosen by ``--lang`` / ``FIELDAUDIT_LANG``.
"""
