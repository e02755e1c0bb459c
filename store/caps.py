"""Provincial spending caps (节日慰问品、生日、婚丧、住院… per person), one file per rule version.

Each province's union sets its own caps in a 实施细则 and revises them every few years
(安徽 1500 → 2000 元 for holiday goods), so caps are data, versioned by the date they took
effect, and an audit looks up the version in force on the date of the spending with
:func:`cap_in_force`. Amounts are written as quoted strings (``"2000.00"``) and held as integer
fen: a TOML float would silently turn 0.1 into 0.1000000000000000055…
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from store.checklist_files import load_model_file
from store.paths import checklists_dir

CapKey = Literal[
    "holiday_goods",
    "holiday_spring_festival",
    "holiday_other",
    "birthday",
    "wedding",
    "childbirth",
    "hospital",
    "death_member",
    "death_relative",
    "retirement",
    "outing_per_day",
    "prize_individual",
    "prize_team",
]
"""What a cap limits. ``holiday_goods`` is the yearly total for all 年节; provinces that cap
each holiday instead (贵州) use ``holiday_spring_festival`` and ``holiday_other``."""

CAP_KEYS: tuple[str, ...] = get_args(CapKey)

_AMOUNT = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class CapEntry(BaseModel):
    """One limit: an amount in yuan per unit (每人每年, 每人每次 …)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount_yuan: str = Field(
        pattern=_AMOUNT.pattern,
        description='上限金额（元），写成带引号的字符串，最多两位小数，如 "2000.00"；不得为浮点数或负数。',
    )
    unit: str = Field(min_length=1, description="计量口径，如“每人每年”“每人每次”“每人每天”。")
    note: str | None = Field(
        default=None, description="口径说明：发放形式、附加条件、待核实之处等。"
    )

    @field_validator("amount_yuan", mode="before")
    @classmethod
    def _check_amount(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise PydanticCustomError(
                "amount_not_string", "amount must be a quoted string such as \"2000.00\""
            )
        if value.strip().startswith("-"):
            raise PydanticCustomError("amount_negative", "amount may not be negative")
        if not _AMOUNT.match(value):
            raise PydanticCustomError(
                "amount_format", "amount must be digits with at most two decimals, e.g. \"2000.00\""
            )
        if Decimal(value) <= 0:
            raise PydanticCustomError("amount_not_positive", "amount must be greater than zero")
        return value

    @property
    def amount_fen(self) -> int:
        """The amount in integer fen (``"2000.00"`` → 200000)."""
        return int(Decimal(self.amount_yuan) * 100)


class CapsFile(BaseModel):
    """One version of one province's caps, as published in its 实施细则 or 补充通知."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = Field(description="文件格式版本，目前为 1。")
    province: str = Field(min_length=1, description="省（区、市）中文名称，如“安徽”。")
    province_code: Slug = Field(description="省份代码（小写拼音），如 anhui；与设置中的省份对应。")
    version: str = Field(
        pattern=r"^[0-9A-Za-z.-]+$", description="规则版本，通常为发布年份，如“2018”。"
    )
    effective_from: date = Field(description="开始施行日期；此日及以后发生的支出适用本版本。")
    title: str = Field(min_length=1, description="省级规则名称。")
    source: str = Field(min_length=1, description="出处（网址或文件），以及日期等待核实事项。")
    confidence: Literal["H", "M", "L"] = Field(
        description="可信度：H 原文或多个一致来源；M 单一二手来源；L 记忆或未证实。"
    )
    caps: dict[CapKey, CapEntry] = Field(
        min_length=1, description="各项上限，键为限额项目（见 CapKey）。"
    )

    @field_validator("caps", mode="before")
    @classmethod
    def _known_keys(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key in value:
                if key not in CAP_KEYS:
                    raise PydanticCustomError(
                        "unknown_cap_key",
                        "unknown cap key {key}; allowed: {allowed}",
                        {"key": key, "allowed": ", ".join(CAP_KEYS), "loc": (key,)},
                    )
        return value

    def cap(self, key: str) -> CapEntry | None:
        """The entry for ``key``, or ``None`` when this province sets no such cap."""
        return self.caps.get(key)  # type: ignore[call-overload]


def caps_dir() -> Path:
    return checklists_dir() / "caps"


def load_caps(path: Path | str) -> CapsFile:
    """Load one caps file; raises ``TemplateError`` naming the file and field."""
    return load_model_file(path, CapsFile)


@cache
def _builtin_caps() -> tuple[CapsFile, ...]:
    return tuple(load_caps(p) for p in sorted(caps_dir().glob("*.toml")))


def builtin_caps() -> list[CapsFile]:
    """All caps files shipped in ``checklists/caps``, sorted by file name; read once."""
    return list(_builtin_caps())


def cap_in_force(caps: list[CapsFile], province_code: str, on: date) -> CapsFile | None:
    """The version for ``province_code`` with the latest ``effective_from`` not after ``on``."""
    candidates = [c for c in caps if c.province_code == province_code and c.effective_from <= on]
    return max(candidates, key=lambda c: c.effective_from, default=None)
