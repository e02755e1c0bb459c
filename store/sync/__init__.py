"""Offline sync: check-out to laptops and merge into the county master without losing an edit.

Design and rules: ``docs/sync.md``. The modules, by what they hold:

- ``checkout``: writing a laptop file from the master for one auditor.
- ``session``: one sync from start to finish (``sync_files``, ``sync_into``).
- ``checks``: everything checked before a sync writes anything.
- ``merge``: the engine (change rows the target lacks, winners, bookkeeping).
- ``rules``: which write of a field wins (last writer, furthest state).
- ``conflicts``: losing writes kept visible; ``resolve_conflict`` for the Conflicts view.
- ``receipts``: receipts, acknowledgements (the unsynced counter), peer positions.
- ``numbering``: 发文字号 blocks per device; ``next_doc_number``.
- ``blobs``: evidence files verified on arrival. ``identity``: who a file is.
- ``content``: a file's content for comparing replicas (tests, benchmark).
"""

from store.sync.checkout import CheckoutReport, checkout
from store.sync.conflicts import Conflict, list_conflicts, resolve_conflict
from store.sync.errors import NumbersExhausted, SyncRefused
from store.sync.numbering import next_doc_number
from store.sync.receipts import list_receipts
from store.sync.session import SyncReport, sync_files, sync_into

__all__ = [
    "CheckoutReport", "Conflict", "NumbersExhausted", "SyncRefused", "SyncReport", "checkout",
    "list_conflicts", "list_receipts", "next_doc_number", "resolve_conflict", "sync_files",
    "sync_into",
]
