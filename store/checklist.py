"""Checklist templates: what an auditor checks, how, on what basis, and what a failure means.

A template (基层工会经费收支审计, 专项资金审计, 经审组织建设检查 …) is a TOML file in
``checklists/`` validated by :class:`Template`; its JSON schema is generated from these models
(``python -m store.checklist_schema``) so editors can check files as they are written. Item
codes are stable: answers and findings refer to them, so a changed meaning gets a new code and
a new template version, never an edited one.

The problem library (``checklists/typical_findings.toml``) holds the 40 typical findings; items
point at them by number so findings can be counted by category across audits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from store.caps import CapKey
from store.checklist_files import load_model_file
from store.enums import AnswerResult, AuditType, FindingNature
from store.paths import checklists_dir

__all__ = [
    "Area",
    "Basis",
    "Item",
    "Template",
    "TypicalFinding",
    "TypicalFindingsFile",
    "builtin_templates",
    "builtin_typical_findings",
    "checklists_dir",
    "load_template",
    "load_typical_findings",
]

TYPICAL_FINDINGS_FILE = "typical_findings.toml"
FindingNumber = Annotated[int, Field(ge=1, le=40)]
AreaCode = Annotated[str, Field(pattern=r"^[A-Z]{1,3}$")]


class Basis(BaseModel):
    """A rule an item is checked against; the article is kept apart so reports can cite it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    regulation: str = Field(
        min_length=1,
        description="法规或文件全称及文号，如“《基层工会经费收支管理办法》（总工办发〔2017〕32号）”。",
    )
    article: str | None = Field(default=None, description="条款，如“第四十三条”；不明确时省略。")
    note: str | None = Field(default=None, description="补充说明：条文要点、版本年份、待核实之处。")


class Item(BaseModel):
    """One check: a question the auditor answers with an :class:`AnswerResult`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(
        pattern=r"^[A-Z]{1,3}[0-9]{1,2}(\.[0-9]{1,2})?$",
        description="稳定编号，模板内唯一，以所属领域代码开头，如 A1、A1.2、SA3。",
    )
    question: str = Field(min_length=1, description="审计人员需要回答的问题。")
    method: str = Field(min_length=1, description="审计方法：查看什么资料、抽查多少、如何比对。")
    basis: tuple[Basis, ...] = Field(min_length=1, description="审计依据，至少一条。")
    finding_title: str = Field(min_length=1, description="发现问题时的典型表述（问题标题）。")
    nature: FindingNature = Field(description="由本项引出的问题的默认性质。")
    opens_finding_on: tuple[AnswerResult, ...] = Field(
        default=(AnswerResult.NONCOMPLIANT, AnswerResult.PARTIAL),
        description="哪些检查结果应登记问题；默认“不符合”“部分符合”，不得包含“未检查”。",
    )
    typical_findings: tuple[FindingNumber, ...] = Field(
        default=(), description="本项可能引出的典型问题编号（问题库 1–40）。"
    )
    cap: CapKey | None = Field(default=None, description="对应的省级限额项目，如 holiday_goods。")
    evidence: tuple[str, ...] = Field(default=(), description="需调阅的资料清单。")

    @field_validator("opens_finding_on")
    @classmethod
    def _not_unchecked(cls, value: tuple[AnswerResult, ...]) -> tuple[AnswerResult, ...]:
        if AnswerResult.UNCHECKED in value:
            raise PydanticCustomError(
                "unchecked_opens_finding", "“未检查” cannot open a finding"
            )
        return value


class Area(BaseModel):
    """A group of items (A 组织与内部控制, B 资金与银行 …)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: AreaCode = Field(description="领域代码：1–3 个大写字母，如 A、SA。")
    title: str = Field(min_length=1, description="领域名称。")
    items: tuple[Item, ...] = Field(min_length=1, description="本领域的检查项目，至少一项。")

    @model_validator(mode="after")
    def _codes_under_area(self) -> Area:
        prefix = re.compile(re.escape(self.code) + r"[0-9]")
        for index, item in enumerate(self.items):
            if not prefix.match(item.code):
                raise PydanticCustomError(
                    "item_code_area_mismatch",
                    "item code {code} does not start with area code {area}",
                    {"code": item.code, "area": self.code, "loc": ("items", index, "code")},
                )
        return self


class Template(BaseModel):
    """A whole checklist, versioned; a new version is a new file, old audits keep theirs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = Field(description="文件格式版本，目前为 1。")
    id: str = Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        description="模板标识（小写字母、数字、连字符），如 grassroots-revenue。",
    )
    version: int = Field(ge=1, description="模板版本号，从 1 开始；含义变动时递增。")
    title: str = Field(min_length=1, description="模板名称。")
    audit_types: tuple[AuditType, ...] = Field(min_length=1, description="适用的审计类型。")
    description: str = Field(min_length=1, description="适用范围与使用说明。")
    published: date = Field(description="发布日期。")
    areas: tuple[Area, ...] = Field(min_length=1, description="审计领域，至少一个。")

    @model_validator(mode="after")
    def _unique_codes(self) -> Template:
        areas: set[str] = set()
        items: set[str] = set()
        for a_index, area in enumerate(self.areas):
            if area.code in areas:
                raise PydanticCustomError(
                    "duplicate_area_code",
                    "area code {code} is used twice",
                    {"code": area.code, "loc": ("areas", a_index, "code")},
                )
            areas.add(area.code)
            for i_index, item in enumerate(area.items):
                if item.code in items:
                    raise PydanticCustomError(
                        "duplicate_item_code",
                        "item code {code} is used twice",
                        {"code": item.code, "loc": ("areas", a_index, "items", i_index, "code")},
                    )
                items.add(item.code)
        return self

    def iter_items(self) -> Iterator[tuple[Area, Item]]:
        """Every item with its area, in file order."""
        for area in self.areas:
            for item in area.items:
                yield area, item

    def item(self, code: str) -> Item | None:
        return next((i for _, i in self.iter_items() if i.code == code), None)

    @property
    def item_count(self) -> int:
        return sum(len(a.items) for a in self.areas)


class TypicalFinding(BaseModel):
    """One entry of the problem library (domain notes §3.3)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: FindingNumber = Field(description="问题库编号 1–40。")
    title: str = Field(min_length=1, description="问题名称。")
    nature: FindingNature = Field(description="默认性质。")
    area: AreaCode = Field(description="所属审计领域（经费收支审计模板的 A–H）。")


class TypicalFindingsFile(BaseModel):
    """The problem library file: numbered typical findings, numbers unique."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = Field(description="文件格式版本，目前为 1。")
    findings: tuple[TypicalFinding, ...] = Field(min_length=1, description="典型问题列表。")

    @model_validator(mode="after")
    def _unique_numbers(self) -> TypicalFindingsFile:
        seen: set[int] = set()
        for index, finding in enumerate(self.findings):
            if finding.number in seen:
                raise PydanticCustomError(
                    "duplicate_finding_number",
                    "typical finding number {number} is used twice",
                    {"number": finding.number, "loc": ("findings", index, "number")},
                )
            seen.add(finding.number)
        return self


def load_template(path: Path | str) -> Template:
    """Load one template; raises ``TemplateError`` naming the file and the field path."""
    return load_model_file(path, Template)


def load_typical_findings(path: Path | str) -> list[TypicalFinding]:
    """Load a problem library file, in file order."""
    return list(load_model_file(path, TypicalFindingsFile).findings)


@cache
def _builtin_templates() -> tuple[Template, ...]:
    paths = sorted(p for p in checklists_dir().glob("*.toml") if p.name != TYPICAL_FINDINGS_FILE)
    return tuple(load_template(p) for p in paths)


def builtin_templates() -> list[Template]:
    """Every template shipped in ``checklists/``, sorted by file name; read once per process."""
    return list(_builtin_templates())


def builtin_typical_findings() -> list[TypicalFinding]:
    return load_typical_findings(checklists_dir() / TYPICAL_FINDINGS_FILE)

