"""Pieces the office screens share: the report day, terminal bar charts, and the modal forms
(return visit, 销号, plan creation, visit scheduling, export).

Forms only collect and check what the user typed; they dismiss with a plain dict and the
calling screen does the store work through ``app.db``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from store import paths
from store.dates import parse_user_date
from store.enums import RectifyStatus
from store.errors import FieldAuditError, InvalidInput
from store.i18n import t
from store.office.export import write_csv, write_xlsx
from store.office.rates import Rate
from store.office.tables import all_tables
from store.office.visits import VisitMethod
from tui.screens.base import AppModal

BAR_WIDTH = 30
KEEP_STATUS = "__keep__"


def acting_auditor(store: Any) -> str | None:
    """The auditor this device works as (set at login; ``meta.auditor_id``)."""
    return store.meta("auditor_id")


def bar(value: int, maximum: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``value / maximum`` in eighths of a cell: ``█████▍``."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = round(value * width * 8 / maximum)
    full, rest = divmod(min(eighths, width * 8), 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else "")


def rate_bar(rate: Rate, width: int = BAR_WIDTH) -> str:
    """A bar for a rate, with its percentage: ``██████████▌        61.6%``."""
    if not rate.defined:
        return "—"
    return f"{bar(rate.num, rate.den, width).ljust(width)} {rate.text()}"


class ChoosesYear:
    """Mixin for office screens about one year: ``[``/``]`` step it, or type it and Enter.

    The screen sets ``year_input`` (the id of its year ``Input``) and defines ``load()``.
    """

    year: int | None
    year_input: str

    def action_reload(self) -> None:
        self.load()  # type: ignore[attr-defined]

    def action_year(self, step: int) -> None:
        self.year = (self.year or self.today().year) + step  # type: ignore[attr-defined]
        self.query_one(f"#{self.year_input}", Input).value = str(self.year)  # type: ignore[attr-defined]
        self.load()  # type: ignore[attr-defined]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != self.year_input:
            return
        text = event.value.strip()
        if len(text) == 4 and text.isdigit() and 2000 <= int(text) <= 2100:
            self.year = int(text)
            self.load()  # type: ignore[attr-defined]
        else:
            self.notify(t("office.bad_year", value=text), severity="error")  # type: ignore[attr-defined]


def labelled_bars(rows: list[tuple[str, Rate]]) -> list[str]:
    """One rate bar per line, labels padded to the same width on screen (CJK counts 2)."""
    width = max((cell_len(label) for label, _ in rows), default=0)
    return [f"{label}{' ' * (width - cell_len(label))}  {rate_bar(rate)}" for label, rate in rows]


def bar_rows(rows: list[tuple[str, int, str]], width: int = BAR_WIDTH) -> str:
    """Labelled bars, one per line: (label, value, value text); scaled to the largest value."""
    top = max((v for _, v, _ in rows), default=0)
    label_w = max((len(label) for label, _, _ in rows), default=0)
    return "\n".join(f"{label.rjust(label_w)} │{bar(v, top, width).ljust(width)} {text}"
                     for label, v, text in rows)


def error_message(exc: BaseException) -> str:
    if isinstance(exc, FieldAuditError):
        return exc.message()
    return t("office.tui.unexpected", detail=str(exc))


class OfficeForm(AppModal[dict | None]):
    """A small form: fields in a column, Save / Cancel; Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "office.bind.cancel", id="office.form.cancel")]
    TITLE_KEY = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="office-form"):
            yield Label(t(self.TITLE_KEY), classes="office-form-title")
            yield from self.fields()
            yield Static("", id="form-error", classes="office-form-error")
            with Horizontal(classes="office-form-buttons"):
                yield Button(t("office.tui.save"), variant="primary", id="save")
                yield Button(t("office.tui.cancel"), id="cancel")

    def fields(self) -> ComposeResult:
        yield from ()

    def collect(self) -> dict:
        """The values typed, checked; raises InvalidInput to keep the form open."""
        return {}

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        try:
            values = self.collect()
        except FieldAuditError as err:
            self.query_one("#form-error", Static).update(err.message())
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _date(self, widget_id: str) -> date:
        return parse_user_date(self.query_one(f"#{widget_id}", Input).value)

    def _select(self, widget_id: str) -> Any:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else value


def _row(label_key: str, widget: Any) -> Horizontal:
    return Horizontal(Label(t(label_key), classes="office-form-label"), widget,
                      classes="office-form-row")


class ReturnVisitForm(OfficeForm):
    """回访: date, 书面/实地, result, evidence file, visitor, and the status it found."""

    TITLE_KEY = "office.tui.visit_title"

    def __init__(self, finding_title: str, today: date, auditors: list[tuple[str, str]],
                 visitor_id: str | None, status: str) -> None:
        super().__init__()
        self.finding_title = finding_title
        self.today = today
        self.auditors = auditors
        self.visitor_id = visitor_id
        self.status = status

    def fields(self) -> ComposeResult:
        yield Static(self.finding_title, classes="office-form-subject")
        yield _row("office.col.visited_on", Input(self.today.isoformat(), id="visited_on"))
        yield _row("office.col.method", Select([(m.value, m.value) for m in VisitMethod],
                                               value=VisitMethod.ON_SITE.value,
                                               allow_blank=False, id="method"))
        yield _row("office.col.visitor", Select(self.auditors, value=self.visitor_id
                                                if self.visitor_id else Select.NULL,
                                                id="visitor"))
        yield _row("office.col.result", Input("", id="result",
                                              placeholder=t("office.tui.result_hint")))
        yield _row("office.col.evidence", Input("", id="evidence",
                                                placeholder=t("office.tui.evidence_hint")))
        later = [s.value for s in RectifyStatus][[s.value for s in RectifyStatus]
                                                  .index(self.status) + 1:]
        options = [(t("office.tui.status_keep", status=self.status), KEEP_STATUS)]
        options += [(s, s) for s in later]
        yield _row("office.tui.status_found", Select(options, value=KEEP_STATUS,
                                                     allow_blank=False, id="new_status"))

    def collect(self) -> dict:
        visited_on = self._date("visited_on")
        result = self.query_one("#result", Input).value.strip()
        if not result:
            raise InvalidInput("office.tui.result_needed")
        visitor = self._select("visitor")
        if not visitor:
            raise InvalidInput("office.visit_needs_auditor")
        evidence = self.query_one("#evidence", Input).value.strip()
        status = self._select("new_status")
        return {"visited_on": visited_on, "method": self._select("method"), "result": result,
                "visitor_id": visitor, "evidence_path": Path(evidence).expanduser()
                if evidence else None,
                "new_status": None if status in (None, KEEP_STATUS) else status}


class CloseFindingForm(OfficeForm):
    """销号: the auditor who verified the rectification, and the day."""

    TITLE_KEY = "office.tui.close_title"

    def __init__(self, finding_title: str, today: date, auditors: list[tuple[str, str]],
                 verifier_id: str | None) -> None:
        super().__init__()
        self.finding_title = finding_title
        self.today = today
        self.auditors = auditors
        self.verifier_id = verifier_id

    def fields(self) -> ComposeResult:
        yield Static(self.finding_title, classes="office-form-subject")
        yield Static(t("office.tui.close_rule"), classes="office-form-note")
        yield _row("office.col.verified_by", Select(self.auditors, value=self.verifier_id
                                                    if self.verifier_id else Select.NULL,
                                                    id="verifier"))
        yield _row("office.col.verified_at", Input(self.today.isoformat(), id="verified_at"))

    def collect(self) -> dict:
        verifier = self._select("verifier")
        if not verifier:
            raise InvalidInput("office.visit_needs_auditor")
        return {"verifier_id": verifier, "on": self._date("verified_at")}


class PlanCreateForm(OfficeForm):
    """Create the selected audits: first fieldwork week and audits per week."""

    TITLE_KEY = "office.tui.plan_create_title"

    def __init__(self, count: int, start: date) -> None:
        super().__init__()
        self.count = count
        self.start = start

    def fields(self) -> ComposeResult:
        yield Static(t("office.tui.plan_create_note", n=self.count), classes="office-form-note")
        yield _row("office.tui.plan_start", Input(self.start.isoformat(), id="start"))
        yield _row("office.tui.plan_per_week", Input("2", id="per_week", restrict=r"[0-9]*"))

    def collect(self) -> dict:
        text = self.query_one("#per_week", Input).value.strip()
        if not text.isdigit() or int(text) < 1:
            raise InvalidInput("office.plan_per_week")
        return {"start": self._date("start"), "per_week": int(text)}


class ScheduleVisitForm(OfficeForm):
    """Put a return visit into the plan: day, visitor, method."""

    TITLE_KEY = "office.tui.schedule_title"

    def __init__(self, subject: str, suggested: date, auditors: list[tuple[str, str]],
                 visitor_id: str | None) -> None:
        super().__init__()
        self.subject = subject
        self.suggested = suggested
        self.auditors = auditors
        self.visitor_id = visitor_id

    def fields(self) -> ComposeResult:
        yield Static(self.subject, classes="office-form-subject")
        yield _row("office.col.planned_on", Input(self.suggested.isoformat(), id="planned_on"))
        yield _row("office.col.visitor", Select(self.auditors, value=self.visitor_id
                                                if self.visitor_id else Select.NULL,
                                                id="visitor"))
        yield _row("office.col.method", Select([(m.value, m.value) for m in VisitMethod],
                                               value=VisitMethod.ON_SITE.value,
                                               allow_blank=False, id="method"))

    def collect(self) -> dict:
        visitor = self._select("visitor")
        if not visitor:
            raise InvalidInput("office.visit_needs_auditor")
        return {"planned_on": self._date("planned_on"), "visitor_id": visitor,
                "method": self._select("method")}


class ExportForm(OfficeForm):
    """Where to write the Excel workbook (the CSV files go next to it)."""

    TITLE_KEY = "office.tui.export_title"

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default

    def fields(self) -> ComposeResult:
        yield Static(t("office.tui.export_note"), classes="office-form-note")
        yield _row("office.tui.export_path", Input(str(self.default), id="path"))

    def collect(self) -> dict:
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if path.suffix.lower() != ".xlsx":
            raise InvalidInput("office.cli_export_suffix", path=str(path))
        return {"path": path}


def export_all(store: Any, path: Path, year: int, today: date) -> list[Path]:
    """Every office table to ``path`` (.xlsx) and CSV files next to it (DB thread)."""
    tables = all_tables(store, today, year)
    written = [write_xlsx(tables, path)]
    return written + write_csv(tables, path.parent, prefix=f"{path.stem}-")


class ExportsWorkbook:
    """Mixin for the office screens: ``e`` asks where, then writes the workbook and CSVs.

    Mixed into an :class:`~tui.screens.base.AppScreen`, which provides ``app``, ``db`` and
    ``today()``; a screen with a ``year`` (statistics, plan) exports that year's statistics.
    """

    if TYPE_CHECKING:
        app: Any
        db: Any

        def today(self) -> date: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...

    def export_year(self) -> int:
        return getattr(self, "year", None) or self.today().year

    def action_export(self) -> None:
        name = t("office.tui.export_name", year=self.export_year(),
                 day=self.today().isoformat())
        self.app.push_screen(ExportForm(paths.home_dir() / "exports" / name),
                             callback=self._export_chosen)

    def _export_chosen(self, values: dict[str, Any] | None) -> None:
        if values is not None:
            self.export_workbook(values["path"])

    @work(group="office-export", exit_on_error=False)
    async def export_workbook(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        written = await self.db.call(export_all, path, self.export_year(), self.today())
        self.notify(t("office.tui.exported", n=len(written), path=str(path)))
