"""Closed vocabularies of the domain. Values are the Chinese terms users and documents use,
so a value read from a file or shown in a report needs no translation table; English labels
live in the message catalogue (``store/locales/enums.toml``).

Forward-only vocabularies (audit status, rectification status) are ordered: their rank is the
position in the enum, and :func:`rank` is what both local writes and sync compare.
"""

from __future__ import annotations

from enum import StrEnum


class AuditorRole(StrEnum):
    FULL_TIME = "经审办专职"
    INVITED = "特邀审计员"


class AuditType(StrEnum):
    REVENUE = "经费收支审计"
    SPECIAL_FUND = "专项资金审计"
    ECONOMIC_RESPONSIBILITY = "经济责任审计"
    TRANSITION = "换届(离任)审计"


class AuditStatus(StrEnum):
    """Moves forward only: planned → notified → fieldwork → reported → rectifying → closed."""

    PLANNED = "planned"
    NOTIFIED = "notified"
    FIELDWORK = "fieldwork"
    REPORTED = "reported"
    RECTIFYING = "rectifying"
    CLOSED = "closed"


class AnswerResult(StrEnum):
    COMPLIANT = "符合"
    NONCOMPLIANT = "不符合"
    PARTIAL = "部分符合"
    NOT_APPLICABLE = "不适用"
    UNCHECKED = "未检查"


class FindingNature(StrEnum):
    VIOLATION = "违纪违规"
    IRREGULAR = "管理不规范"


class RectifyMode(StrEnum):
    IMMEDIATE = "立行立改"
    DEADLINE = "限期整改"
    ONGOING = "持续整改"


class RectifyStatus(StrEnum):
    """Moves forward only; 已销号 (closed) needs the verifying auditor and date."""

    OPEN = "未整改"
    PARTIAL = "部分整改"
    DONE = "已整改"
    CLOSED = "已销号"


def rank(value: StrEnum | str, enum: type[StrEnum]) -> int:
    """Position of ``value`` in its ordered enum; raises ``ValueError`` for unknown values."""
    return list(enum).index(enum(value))
