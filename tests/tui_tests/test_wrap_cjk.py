"""Chinese text on screen breaks lines by the same rules as the printed documents."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from store.textbreak import NO_LINE_END, NO_LINE_START
from tui.formatting import wrap_cjk

QUESTION = "是否按时编制年度决算，经经审会审查、工会委员会审议后报送上级工会？"


def test_a_question_mark_never_starts_a_line() -> None:
    # 33 cells fit "…报送上级工会" but not the "？": rich would put it alone on the next line
    lines = wrap_cjk(Text(QUESTION), 66).plain.split("\n")
    assert all(not line.startswith("？") for line in lines)
    assert "".join(lines) == QUESTION
    assert all(cell_len(line) <= 66 for line in lines)


def test_styles_survive_and_numbers_stay_whole() -> None:
    text = Text("记-0123号凭证支付12,345.60元")
    text.stylize("bold", 0, 2)
    wrapped = wrap_cjk(text, 10)
    assert "12,345.60" in wrapped.plain.split("\n")[1] or "12,345.60" in wrapped.plain
    assert any(span.style == "bold" for span in wrapped.spans)


CJK = st.sampled_from(list("工会经费审计检查是否按时编制决算，。、；：？！（）《》“”0123456789ab "))


@given(st.lists(CJK, min_size=1, max_size=120).map("".join), st.integers(6, 40))
def test_lines_fit_and_keep_every_character(body: str, width: int) -> None:
    lines = wrap_cjk(Text(body), width).plain.split("\n")
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == body.replace(" ", "")


def test_no_mark_starts_or_ends_a_line_where_the_rules_forbid() -> None:
    body = "（一）经查，2025年度“职工之家”建设支出《未经集体研究》？是！" * 3
    for width in range(8, 50):
        lines = wrap_cjk(Text(body), width).plain.split("\n")
        assert all(line[0] not in NO_LINE_START for line in lines[1:] if line)
        assert all(line[-1] not in NO_LINE_END for line in lines[:-1] if line)
