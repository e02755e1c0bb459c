"""The app's one database thread: every store call runs there, never on the UI thread.

A sqlite3 connection belongs to the thread that uses it, and the store keeps its clock and id
factory in memory, so the app owns exactly one :class:`AuditStore` living on one worker thread.
Screens ``await app.db.call(fn, *args)``; ``fn`` receives the store as its first argument.
Errors raised by ``fn`` (including :class:`FieldAuditError`) propagate to the awaiting code.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from store.db import AuditStore

T = TypeVar("T")


class DbThread:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldaudit-db")
        self._store: AuditStore | None = None

    def _with_store(self, fn: Callable[..., T], args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> T:
        if self._store is None:
            self._store = AuditStore.open(self.path)
        return fn(self._store, *args, **kwargs)

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._with_store, fn, args, kwargs)

    def call_sync(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Blocking variant for thread workers and shutdown code (never on the UI thread)."""
        return self._pool.submit(self._with_store, fn, args, kwargs).result()

    def close(self) -> None:
        def _close() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        self._pool.submit(_close).result()
        self._pool.shutdown(wait=True)
