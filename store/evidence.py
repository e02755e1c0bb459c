"""Evidence files, stored inside the database content-addressed by SHA-256.

The bytes go into ``blobs`` once per distinct content; ``evidence`` rows link a blob to a
finding or an answer with its original name, type, size and capture time. Reading a blob
re-hashes it, so a damaged copy is detected rather than handed to a user.
"""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import InvalidInput
from store.models import Evidence
from store.query import fetch_all
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore

MAX_EVIDENCE_BYTES = 200 * 1024 * 1024


def attach_file(store: AuditStore, acting: str | None, path: Path | str, *,
                finding_id: str | None = None, answer_id: str | None = None,
                note: str = "") -> Evidence:
    """Copy a file from disk into the database and link it to a finding or an answer."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput("evidence.not_a_file", path=str(path))
    size = path.stat().st_size
    if size > MAX_EVIDENCE_BYTES:
        raise InvalidInput("evidence.too_large", path=str(path), mb=size // 1_048_576)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    captured = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    evidence = build(Evidence, sha256=digest, name=path.name, mime=mime, size=size,
                     captured_at=captured, finding_id=finding_id, answer_id=answer_id, note=note)
    if not (finding_id or answer_id):
        raise InvalidInput("evidence.unlinked")
    with store.write(acting) as w:
        store.db.execute(
            "INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [digest, size, data],
        )
        evidence_id = w.insert("evidence", evidence.to_row())
    return evidence.model_copy(update={"id": evidence_id})


def list_evidence(store: AuditStore, *, finding_id: str | None = None,
                  answer_id: str | None = None) -> list[Evidence]:
    if finding_id:
        return fetch_all(store, Evidence, "finding_id = ?", [finding_id])
    return fetch_all(store, Evidence, "answer_id = ?", [answer_id])


def read_blob(store: AuditStore, sha256: str) -> bytes:
    row = store.db.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
    if row is None or hashlib.sha256(row[0]).hexdigest() != sha256:
        raise InvalidInput("evidence.damaged", sha256=sha256[:12])
    return bytes(row[0])


def detach(store: AuditStore, acting: str | None, evidence_id: str) -> None:
    with store.write(acting) as w:
        w.delete("evidence", evidence_id)
