"""Pydantic models of the records fieldaudit stores, and their row conversion (one place).

Models validate everything that enters the store, whether typed by a user, imported from a
roster or read from another file (``extra="forbid"``). Money is integer fen; dates are
``date``; booleans become 0/1 and lists JSON text in rows. Bookkeeping columns (``stamp``,
``device``, ``auditor``, ``deleted``) are read into the optional ``meta_*`` fields and never
written from a model: ``store.records`` owns them.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from store.credit_code import validate_credit_code
from store.enums import (
    AnswerResult, AuditorRole, AuditStatus, AuditType, FindingNature, RectifyMode,
    RectifyStatus,
)

Fen = Annotated[int, Field(ge=0, le=99_999_999_999_999)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Text = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=100_000)]
_BOOKKEEPING = {"stamp": "meta_stamp", "device": "meta_device", "auditor": "meta_auditor",
                "deleted": "meta_deleted"}


class Record(BaseModel):
    """Base of stored records: row conversion and bookkeeping read-back."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)
    TABLE: ClassVar[str]
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: str | None = Field(None, description="UUIDv7; assigned by the store on insert")
    meta_stamp: str | None = Field(None, description="clock stamp of the last change (read-only)")
    meta_device: str | None = Field(None, description="device of the last change (read-only)")
    meta_auditor: str | None = Field(None, description="auditor of the last change (read-only)")
    meta_deleted: bool = Field(False, description="tombstone flag (read-only)")

    def data(self) -> dict[str, Any]:
        """The record's own fields (no id, no bookkeeping), as model values."""
        return {k: v for k, v in self.model_dump().items()
                if k != "id" and not k.startswith("meta_")}

    def to_row(self) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if name.startswith("meta_") or (name == "id" and value is None):
                continue
            if name in self.JSON_FIELDS:
                value = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, bool):
                value = int(value)
            elif isinstance(value, (date, datetime)):
                value = value.isoformat()
            row[name] = value
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        data = {_BOOKKEEPING.get(k, k): v for k, v in row.items()}
        for name in cls.JSON_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = json.loads(data[name])
        return cls.model_validate(data)


class County(Record):
    TABLE = "county"
    name: Text = Field(min_length=1, description="县级总工会名称, e.g. 青山县总工会")
    committee: Text = Field(min_length=1, description="its 经费审查委员会, e.g. 青山县总工会经费审查委员会")
    doc_prefix: Text = Field(min_length=1, max_length=20, description="发文机关代字, e.g. 青工审")
    province_code: str = Field(min_length=1, description="selects the provincial spending caps")
    cadence_years: int = Field(3, ge=1, le=10, description="each unit audited at least every N years")
    annual_target: int = Field(40, ge=0, le=10_000, description="audits planned per year")
    notice_lead_days: int = Field(3, ge=0, le=60, description="working days between notice and fieldwork")
    rectify_days: int = Field(30, ge=1, le=365, description="default rectification deadline in days")


class Auditor(Record):
    TABLE = "auditors"
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$", description="short login code")
    name: Text = Field(min_length=1)
    role: AuditorRole
    phone: str = Field("", pattern=r"^[0-9+\- ]{0,20}$")
    can_lead: bool = Field(False, description="may lead an audit team (组长)")
    active: bool = True


class Unit(Record):
    TABLE = "units"
    name: Text = Field(min_length=1, description="基层工会名称")
    enterprise: Text = Field(min_length=1, description="所在企业名称")
    credit_code: str = Field(description="统一社会信用代码 of the union (GB 32100)")
    address: Text = ""
    chairman: Text = ""
    finance_contact: Text = ""
    phone: str = Field("", pattern=r"^[0-9+\- ]{0,20}$")
    member_count: int = Field(0, ge=0, le=1_000_000)
    staff_count: int = Field(0, ge=0, le=1_000_000)
    payroll_fen: Fen = Field(0, description="年度工资总额 in fen")
    own_account: bool = Field(True, description="has its own bank account")
    small_micro: bool = Field(False, description="small/micro enterprise (经费返还 policy)")
    directly_managed: bool = Field(True, description="directly managed by the county union")

    @field_validator("credit_code")
    @classmethod
    def _code(cls, value: str) -> str:
        return validate_credit_code(value)


class Audit(Record):
    TABLE = "audits"
    JSON_FIELDS = ("members",)
    unit_id: str
    type: AuditType
    period_from: Year
    period_to: Year
    leader_id: str
    members: list[str] = Field(default_factory=list, description="auditor ids besides the leader")
    planned_start: date
    planned_end: date
    template_id: str
    template_version: int = Field(ge=1)
    status: AuditStatus = AuditStatus.PLANNED

    @model_validator(mode="after")
    def _ranges(self) -> Self:
        if self.period_from > self.period_to:
            raise ValueError("period_from after period_to")
        if self.planned_start > self.planned_end:
            raise ValueError("planned_start after planned_end")
        return self


class Answer(Record):
    TABLE = "answers"
    audit_id: str
    item_code: str
    result: AnswerResult = AnswerResult.UNCHECKED
    note: LongText = ""
    answered_by: str | None = None
    answered_at: datetime | None = None
    reviewed_by: str | None = None
    reviewed_stamp: str | None = Field(None, description="clock stamp of the change reviewed")


class Finding(Record):
    TABLE = "findings"
    audit_id: str
    title: Text = Field(min_length=1)
    facts: LongText = Field("", description="审计事项摘要: facts with voucher numbers and dates")
    violation_fen: Fen = Field(0, description="违规金额 in fen")
    irregular_fen: Fen = Field(0, description="管理不规范金额 in fen")
    nature: FindingNature
    area_code: str = ""
    item_code: str = ""
    basis: LongText = Field("", description="regulation and article breached")
    recommendation: LongText = ""
    rectify_mode: RectifyMode = RectifyMode.DEADLINE
    deadline: date | None = None
    rectify_status: RectifyStatus = RectifyStatus.OPEN
    verified_by: str | None = Field(None, description="auditor who verified rectification")
    verified_at: date | None = None
    response: LongText = Field("", description="the auditee's response")
    reviewed_by: str | None = None
    reviewed_stamp: str | None = None

    @model_validator(mode="after")
    def _closing_needs_verifier(self) -> Self:
        if self.rectify_status == RectifyStatus.CLOSED and not (
            self.verified_by and self.verified_at
        ):
            raise ValueError("已销号 needs the verifying auditor and date")
        return self


class Evidence(Record):
    TABLE = "evidence"
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: Text = Field(min_length=1)
    mime: str
    size: int = Field(ge=0)
    captured_at: datetime
    finding_id: str | None = None
    answer_id: str | None = None
    note: Text = ""
