"""Shipped checklist templates, caps and problem library: they load, cover the domain, and bad
files are refused with a message that names the file and the field."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from store.caps import CAP_KEYS, CapEntry, CapsFile, builtin_caps, cap_in_force, load_caps
from store.checklist import (
    Template,
    builtin_templates,
    builtin_typical_findings,
    checklists_dir,
    load_template,
    load_typical_findings,
)
from store.checklist_schema import SCHEMAS, render_schema, schema_dir
from store.enums import AnswerResult
from store.errors import TemplateError
from store.i18n import set_language

MIN_ITEMS = {"grassroots-revenue": 60, "special-fund": 15, "committee-org": 12}


@pytest.fixture(autouse=True)
def _chinese():
    set_language("zh")
    yield
    set_language(None)


def templates_by_id() -> dict[str, Template]:
    return {t.id: t for t in builtin_templates()}


# --- shipped files ---------------------------------------------------------------------------


def test_every_shipped_template_loads_and_is_named_after_its_id_and_version():
    paths = sorted(p for p in checklists_dir().glob("*.toml") if p.name != "typical_findings.toml")
    assert len(paths) == 3
    for path in paths:
        template = load_template(path)
        assert path.name == f"{template.id}-v{template.version}.toml"


@pytest.mark.parametrize(("template_id", "minimum"), MIN_ITEMS.items())
def test_item_counts(template_id: str, minimum: int):
    assert templates_by_id()[template_id].item_count >= minimum


def test_grassroots_revenue_covers_areas_a_to_h():
    assert [a.code for a in templates_by_id()["grassroots-revenue"].areas] == list("ABCDEFGH")


def test_problem_library_is_exactly_the_40_typical_findings():
    findings = builtin_typical_findings()
    assert [f.number for f in findings] == list(range(1, 41))
    assert all(f.title and f.area in "ABCDEFGH" for f in findings)


def test_every_typical_finding_is_reachable_from_the_revenue_template():
    template = templates_by_id()["grassroots-revenue"]
    reachable = {n for _, item in template.iter_items() for n in item.typical_findings}
    assert set(range(1, 41)) - reachable == set()


def test_every_item_has_a_basis_and_sane_defaults():
    for template in builtin_templates():
        for _, item in template.iter_items():
            assert len(item.basis) >= 1, item.code
            assert all(b.regulation for b in item.basis), item.code
            assert AnswerResult.UNCHECKED not in item.opens_finding_on
            assert item.method and item.question and item.finding_title


def test_cap_keys_used_by_templates_exist_in_some_caps_file():
    provided = {key for caps in builtin_caps() for key in caps.caps}
    used = {item.cap for t in builtin_templates() for _, item in t.iter_items() if item.cap}
    assert used - provided == set()
    # the main personal caps are all referenced by the revenue template
    assert {"holiday_goods", "birthday", "wedding", "childbirth", "hospital", "death_member",
            "death_relative", "retirement", "outing_per_day", "prize_individual",
            "prize_team"} <= used


def test_template_lookup_and_json_round_trip():
    template = templates_by_id()["grassroots-revenue"]
    assert template.item("E1") is not None and template.item("E1").cap == "holiday_goods"
    assert template.item("Z9") is None
    assert Template.model_validate_json(template.model_dump_json()) == template


def test_every_shipped_caps_file_loads_and_is_named_after_province_and_version():
    paths = sorted((checklists_dir() / "caps").glob("*.toml"))
    assert {p.stem for p in paths} == {
        "anhui-2018", "anhui-2023", "fujian-2018", "henan-2018", "guizhou-2018",
        "heilongjiang-2017",
    }
    for path in paths:
        caps = load_caps(path)
        assert path.stem == f"{caps.province_code}-{caps.version}"
        assert caps.source and caps.confidence in "HML"
    for caps in builtin_caps():
        assert CapsFile.model_validate_json(caps.model_dump_json()) == caps


def test_cap_amounts_are_integer_fen():
    by_id = {f"{c.province_code}-{c.version}": c for c in builtin_caps()}
    assert by_id["anhui-2018"].caps["holiday_goods"].amount_fen == 150_000
    assert by_id["anhui-2023"].caps["holiday_goods"].amount_fen == 200_000
    assert by_id["guizhou-2018"].caps["holiday_spring_festival"].amount_fen == 50_000
    assert by_id["guizhou-2018"].caps["holiday_other"].amount_fen == 20_000
    assert by_id["henan-2018"].cap("prize_team").amount_fen == 30_000
    assert by_id["fujian-2018"].cap("wedding") is None


@pytest.mark.parametrize(
    ("text", "fen"), [("2000.00", 200_000), ("0.1", 10), ("12.5", 1_250), ("300", 30_000),
                      ("0.01", 1)]
)
def test_amount_parsing(text: str, fen: int):
    entry = CapEntry(amount_yuan=text, unit="每人每年")
    assert entry.amount_fen == fen
    assert isinstance(entry.amount_fen, int)


def test_cap_in_force_picks_the_version_by_date():
    caps = builtin_caps()
    assert cap_in_force(caps, "anhui", date(2020, 6, 1)).version == "2018"
    assert cap_in_force(caps, "anhui", date(2024, 6, 1)).version == "2023"
    assert cap_in_force(caps, "anhui", date(2023, 1, 1)).version == "2023"
    assert cap_in_force(caps, "anhui", date(2018, 3, 11)) is None
    assert cap_in_force(caps, "atlantis", date(2024, 6, 1)) is None


# --- generated schema ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMAS)
def test_committed_json_schema_matches_the_models(name: str):
    committed = (schema_dir() / name).read_text(encoding="utf-8")
    assert committed == render_schema(SCHEMAS[name]), (
        f"{name} is stale: run `python -m store.checklist_schema`"
    )
    assert json.loads(committed)["additionalProperties"] is False


# --- bad files -------------------------------------------------------------------------------


def _revenue_text() -> str:
    return (checklists_dir() / "grassroots-revenue-v1.toml").read_text(encoding="utf-8")


def _caps_text() -> str:
    return (checklists_dir() / "caps" / "henan-2018.toml").read_text(encoding="utf-8")


def _replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _rename_area_h_to_g(text: str) -> str:
    text = _replace_once(text, 'code = "H"\ntitle = "整改跟踪"', 'code = "G"\ntitle = "整改跟踪"')
    for n in (1, 2, 3):
        text = _replace_once(text, f'code = "H{n}"', f'code = "G{n + 10}"')
    return text


def _error(loader, path: Path) -> TemplateError:
    with pytest.raises(TemplateError) as info:
        loader(path)
    return info.value


def test_toml_syntax_error_names_file_line_and_column(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text('schema_version = 1\nid = "x"\nversion = \n', encoding="utf-8")
    err = _error(load_template, path)
    assert err.key == "checklists.toml_syntax"
    assert err.params["line"] == 3
    message = str(err)
    assert str(path) in message and "第 3 行" in message
    assert "line 3" in err.message("en")


BAD_TEMPLATES = {
    "missing_field": (
        lambda s: _replace_once(s, 'finding_title = "会计、出纳等不相容岗位未分离"\n', ""),
        "areas[0].items[6].finding_title (A7)", "缺少必填字段",
    ),
    "duplicate_item_code": (
        lambda s: _replace_once(s, 'code = "E5"', 'code = "E4"'),
        "areas[4].items[4].code (E4)", "E4 重复",
    ),
    "unknown_extra_key": (
        lambda s: _replace_once(s, 'code = "C3"\n', 'code = "C3"\nweight = 2\n'),
        "areas[2].items[2].weight (C3)", "不认识的字段",
    ),
    "item_outside_its_area": (
        lambda s: _replace_once(s, 'code = "C3"\n', 'code = "D9"\n'),
        "areas[2].items[2].code (D9)", "领域代码 C",
    ),
    "duplicate_area_code": (
        lambda s: _rename_area_h_to_g(s),
        "areas[7].code", "领域代码 G 重复",
    ),
    "unchecked_opens_finding": (
        lambda s: _replace_once(s, 'code = "C3"\n', 'code = "C3"\nopens_finding_on = ["未检查"]\n'),
        "areas[2].items[2].opens_finding_on (C3)", "未检查",
    ),
    "empty_basis": (
        lambda s: _replace_once(
            s,
            'basis = [\n  { regulation = "《工会预算管理办法》（总工发〔2009〕38号）", '
            'note = "预算一经批准不得随意改变" },\n]',
            "basis = []",
        ),
        "areas[2].items[2].basis (C3)", "至少需要 1 项",
    ),
    "typical_finding_out_of_range": (
        lambda s: _replace_once(s, "typical_findings = [31]", "typical_findings = [41]"),
        "areas[0].items[6].typical_findings[0] (A7)", "40",
    ),
    "unknown_cap_key_in_item": (
        lambda s: _replace_once(s, 'cap = "wedding"', 'cap = "marriage"'),
        "areas[4].items[6].cap (E7)", "holiday_goods",
    ),
}


@pytest.mark.parametrize("case", BAD_TEMPLATES)
def test_bad_template_names_file_and_field(tmp_path: Path, case: str):
    mutate, field, problem = BAD_TEMPLATES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(mutate(_revenue_text()), encoding="utf-8")
    err = _error(load_template, path)
    assert err.key.startswith("checklists.invalid_field")
    message = str(err)
    assert str(path) in message
    assert field in message
    assert problem in message
    assert field in err.message("en") and str(path) in err.message("en")


BAD_CAPS = {
    "float_amount": ('amount_yuan = "400.00"', "amount_yuan = 400.5", "带引号的字符串"),
    "integer_amount": ('amount_yuan = "400.00"', "amount_yuan = 400", "带引号的字符串"),
    "negative_amount": ('amount_yuan = "400.00"', 'amount_yuan = "-400.00"', "负数"),
    "three_decimals": ('amount_yuan = "400.00"', 'amount_yuan = "400.005"', "最多两位小数"),
    "exponent": ('amount_yuan = "400.00"', 'amount_yuan = "4e2"', "最多两位小数"),
    "zero_amount": ('amount_yuan = "400.00"', 'amount_yuan = "0.00"', "大于零"),
}


@pytest.mark.parametrize("case", BAD_CAPS)
def test_bad_cap_amount_names_file_and_field(tmp_path: Path, case: str):
    old, new, problem = BAD_CAPS[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(_replace_once(_caps_text(), old, new), encoding="utf-8")
    err = _error(load_caps, path)
    message = str(err)
    assert str(path) in message
    assert "caps.prize_individual.amount_yuan" in message
    assert problem in message


def test_unknown_cap_key_in_caps_file(tmp_path: Path):
    path = tmp_path / "unknown.toml"
    path.write_text(_replace_once(_caps_text(), "[caps.prize_team]", "[caps.uniform]"),
                    encoding="utf-8")
    message = str(_error(load_caps, path))
    assert str(path) in message and "caps.uniform" in message and "holiday_goods" in message


def test_caps_file_missing_effective_date(tmp_path: Path):
    path = tmp_path / "nodate.toml"
    path.write_text(_replace_once(_caps_text(), "effective_from = 2018-02-09\n", ""),
                    encoding="utf-8")
    message = str(_error(load_caps, path))
    assert "effective_from" in message and "缺少必填字段" in message


def test_duplicate_typical_finding_number(tmp_path: Path):
    text = (checklists_dir() / "typical_findings.toml").read_text(encoding="utf-8")
    path = tmp_path / "findings.toml"
    path.write_text(_replace_once(text, "number = 2\n", "number = 1\n"), encoding="utf-8")
    message = str(_error(load_typical_findings, path))
    assert "findings[1].number" in message and "编号 1 重复" in message


def test_several_errors_are_counted(tmp_path: Path):
    path = tmp_path / "several.toml"
    path.write_text('schema_version = 1\nid = "x"\n', encoding="utf-8")
    err = _error(load_template, path)
    assert err.key == "checklists.invalid_field_more"
    assert err.params["more"] >= 1


def test_unreadable_and_non_utf8_files(tmp_path: Path):
    missing = tmp_path / "absent.toml"
    err = _error(load_template, missing)
    assert err.key == "checklists.unreadable" and str(missing) in str(err)

    latin = tmp_path / "latin1.toml"
    latin.write_bytes('title = "caf\xe9"\n'.encode("latin-1"))
    err = _error(load_template, latin)
    assert err.key == "checklists.not_utf8" and str(latin) in str(err)


def test_problem_follows_the_language_asked_for(tmp_path: Path):
    path = tmp_path / "nature.toml"
    path.write_text(_replace_once(_revenue_text(), 'nature = "违纪违规"', 'nature = "违规"'),
                    encoding="utf-8")
    err = _error(load_template, path)
    assert err.message("zh").endswith("取值应为 违纪违规 / 管理不规范 之一")
    assert err.message("en").endswith("must be one of 违纪违规 / 管理不规范")
    set_language("en")
    assert str(err) == err.message("en")
