"""Checklist answers: one per template item of an audit, created with the audit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from store.enums import AnswerResult
from store.errors import NotFound
from store.models import Answer
from store.query import fetch_all
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore


def list_answers(store: AuditStore, audit_id: str) -> list[Answer]:
    return fetch_all(store, Answer, "audit_id = ?", [audit_id])


def get_answer(store: AuditStore, audit_id: str, item_code: str) -> Answer:
    found = fetch_all(store, Answer, "audit_id = ? AND item_code = ?", [audit_id, item_code])
    if not found:
        raise NotFound("answers.unknown_item", code=item_code)
    return found[0]


def set_answer(store: AuditStore, acting: str | None, audit_id: str, item_code: str,
               result: AnswerResult | str | None = None, note: str | None = None) -> Answer:
    """Record a result and/or note for one item; who and when are set from ``acting``."""
    current = get_answer(store, audit_id, item_code)
    changes: dict[str, object] = {}
    if result is not None:
        changes["result"] = AnswerResult(result)
    if note is not None:
        changes["note"] = note
    answer = build(Answer, **{**current.data(), **changes})
    if answer.result != current.result or answer.note != current.note:
        answer.answered_by = acting
        answer.answered_at = datetime.fromtimestamp(store.clock.now_ms() / 1000, UTC)
    with store.write(acting) as w:
        w.update("answers", current.id, answer.to_row())
    return answer.model_copy(update={"id": current.id})
