"""发文字号 and amounts as they appear on paper: serials without leading zeros, the six official
人民币大写 examples exactly, laptops printing offline never sharing a number, and no serial
spent on a document that cannot be printed."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from store import paths
from store.audits import list_audits
from store.db import AuditStore
from store.documents.errors import MissingGlyphs
from store.documents.printing import DocKind, default_fonts, print_document
from store.enums import FindingNature
from store.findings import add_finding
from store.sync.checkout import checkout
from tests.store_tests.documents_world import planned_audit

ON = date(2026, 11, 23)
VALUE_X = 28 * 72 / 25.4 + 100  # right of the 取证单's label column (6 字 of 4号 + padding)

OFFICIAL = [  # domain.md §6.2: the six examples of 《正确填写票据和结算凭证的基本规定》
    (140950, "¥1,409.50", "人民币壹仟肆佰零玖元伍角"),
    (600714, "¥6,007.14", "人民币陆仟零柒元壹角肆分"),
    (168032, "¥1,680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
    (10700053, "¥107,000.53", "人民币壹拾万柒仟元零伍角叁分"),
    (1640902, "¥16,409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
    (32504, "¥325.04", "人民币叁佰贰拾伍元零肆分"),
]


@pytest.fixture(scope="module")
def fonts():
    return default_fonts()


def pages_text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [re.sub(r"\s+", "", p.extract_text() or "") for p in pdf.pages]


def test_serials_print_without_leading_zeros(county_db, tmp_path, fonts) -> None:
    store = county_db
    numbers = []
    for day in range(1, 12):
        audit = planned_audit(store, date(2026, 12, day))
        out = tmp_path / f"{day}.pdf"
        printed = print_document(store, None, DocKind.NOTICE, audit, out, ON, fonts=fonts)
        numbers.append(printed.number)
    assert numbers == [f"测工审〔2026〕{n}号" for n in range(1, 12)]
    text = "".join(pages_text(tmp_path / "10.pdf"))
    assert "测工审〔2026〕10号" in text
    assert not re.search(r"〔2026〕0", text) and "第10号" not in text


def test_six_official_capital_amounts_exactly(county_db, tmp_path, fonts) -> None:
    store = county_db
    audit = planned_audit(store)
    for i, (fen, _figures, _capital) in enumerate(OFFICIAL):
        add_finding(store, None, audit_id=audit, title=f"问题{i + 1}", facts="见凭证。",
                    violation_fen=fen, nature=FindingNature.VIOLATION)
    out = tmp_path / "e.pdf"
    assert print_document(store, None, DocKind.EVIDENCE, audit, out, ON, fonts=fonts).pages == 6
    with pdfplumber.open(out) as pdf:
        # The value column only: the centred labels would sit between the lines otherwise.
        values = [re.sub(r"\s+", "", p.crop((VALUE_X, 0, p.width, p.height)).extract_text())
                  for p in pdf.pages]
    for page, (_fen, figures, capital) in zip(values, OFFICIAL, strict=True):
        assert f"{figures}（{capital}）" in page


def test_text_no_font_can_print_spends_no_number(county_db, tmp_path, fonts) -> None:
    store = county_db
    audit = planned_audit(store)
    add_finding(store, None, audit_id=audit, title="笑脸\U0001F600问题", facts="事实。",
                violation_fen=100, nature=FindingNature.VIOLATION)
    out = tmp_path / "r.pdf"
    with pytest.raises(MissingGlyphs):
        print_document(store, None, DocKind.REPORT, audit, out, ON, fonts=fonts)
    assert not out.exists() and not list(tmp_path.glob("*.pdf*"))
    assert store.query("SELECT count(*) AS n FROM doc_numbers")[0]["n"] == 0


def test_laptops_printing_offline_never_share_a_number(tmp_path, fonts) -> None:
    master = tmp_path / "master.db"
    shutil.copyfile(paths.sample_db_path(), master)
    laptops = [tmp_path / "a.db", tmp_path / "b.db"]
    for i, laptop in enumerate(laptops):
        checkout(master, "A01", laptop, device_name=f"笔记本{i}")
    printed = []
    for laptop, unit in zip(laptops, ("明湖新能源股份有限公司工会委员会",
                                      "江北粮油股份有限公司工会委员会"), strict=True):
        with AuditStore.open(laptop) as store:
            audit = next(a.id for a in list_audits(store) if a.unit_name == unit)
            p = print_document(store, None, DocKind.NOTICE, audit, tmp_path / f"{unit}.pdf", ON,
                               fonts=fonts)
            block = store.query("SELECT first, last FROM number_blocks WHERE device_id = ? "
                                "AND kind = 'notice' AND year = 2026 AND deleted = 0",
                                [store.device_id])
            serial = int(re.fullmatch(r"青工审〔2026〕(\d+)号", p.number)[1])
            assert any(b["first"] <= serial <= b["last"] for b in block)
            printed.append(p.number)
            again = print_document(store, None, DocKind.NOTICE, audit, tmp_path / "again.pdf",
                                   ON, fonts=fonts)
            assert again.number == p.number and not again.new_number
    assert printed[0] != printed[1]
