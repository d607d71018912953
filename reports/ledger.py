"""The work ledger (工作台账) as offices keep it in Excel, and the same rows as CSV.

One row per task and unit. The workbook has a summary sheet and a sheet per section (改革领域),
each with a title row, a two-level merged header, frozen panes and filters, and column widths
that fit Chinese text. Dates are Excel dates shown as yyyy-mm-dd, counts and shares are numbers,
text stays text. No cell can ever run as a formula: text that starts like one is stored as text
(and, in CSV, after an apostrophe). Each sheet prints as offices print it: landscape, on A4 or on
A3 when its columns are wide, fitted to the page's width, its header rows on every page, the title
and day at the head and the page number at the foot.
"""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.snapshot import Snapshot, TaskState, UnitWork
from tasks.choices import CLOSED_STATUSES, AssignmentStatus

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
TITLE_ROW, GROUP_ROW, HEADER_ROW = 1, 2, 3
WRAPPED = {3: 44, 8: 44}  # task and latest progress: fixed width, text wrapped
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F0F2F5")
DATE_FORMAT = "yyyy-mm-dd"
SHARE_FORMAT = "0%"
# Columns (in Excel's character widths) that a landscape A4 page holds at a legible size; wider
# sheets are set on A3, still fitted to the width.
A4_LANDSCAPE_WIDTH = 150


@dataclass(frozen=True)
class Column:
    label: str
    group: str | None = None  # the upper header it sits under; None: one header over both rows


def columns() -> list[Column]:
    division, progress = pgettext("ledger", "Division of work"), pgettext("ledger", "Progress")
    return [
        Column(pgettext("ledger", "No.")),
        Column(pgettext("ledger", "Reform area")),
        Column(pgettext("ledger", "Task")),
        Column(pgettext("ledger", "Lead unit"), division),
        Column(pgettext("ledger", "Responsible unit"), division),
        Column(pgettext("ledger", "Deadline")),
        Column(pgettext("ledger", "Status"), progress),
        Column(pgettext("ledger", "Latest progress"), progress),
        Column(pgettext("ledger", "Evidence files"), progress),
    ]


def is_overdue(work: UnitWork, day: datetime.date) -> bool:
    """Past its due date and still owed: as the traffic light has it, due on a day means by its end."""
    owed = work.status not in CLOSED_STATUSES and work.status != AssignmentStatus.SUBMITTED
    return bool(work.due and work.due < day and owed)


def status_label(work: UnitWork, day: datetime.date) -> str:
    label = str(AssignmentStatus(work.status).label)
    return label + _(" (overdue)") if is_overdue(work, day) else label


def row_values(task: TaskState, work: UnitWork, day: datetime.date) -> list:
    """A row's values as they are: the deadline a date (None when there is none), the files a count."""
    progress = f"{work.latest_period}：{work.latest_text}" if work.latest_period else ""
    return [
        task.number,
        task.section,
        task.title,
        "、".join(task.lead_units),
        work.unit_name,
        work.due,
        status_label(work, day),
        progress,
        work.evidence,
    ]


def as_text(value):
    """A value as CSV writes it: a date as YYYY-MM-DD, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def title_of(snapshot: Snapshot) -> str:
    day = snapshot.as_of or timezone.localdate()
    return _("%(plan)s — work ledger (as of %(day)s)") % {"plan": snapshot.plan.title, "day": f"{day:%Y-%m-%d}"}


def defuse(value):
    """Text that a spreadsheet would take for a formula, made harmless (for CSV)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def ledger_csv(snapshot: Snapshot) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly."""
    day = snapshot.as_of or timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.label for column in columns()])
    for task, work in snapshot.work:
        writer.writerow([defuse(as_text(value)) for value in row_values(task, work, day)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def ledger_workbook(snapshot: Snapshot) -> bytes:
    day = snapshot.as_of or timezone.localdate()
    book = Workbook()
    summary = book.active
    summary.title = _sheet_name(pgettext("ledger", "Summary"), set())
    _summary_sheet(summary, snapshot, day)
    used = {summary.title}
    for section, tasks in _by_section(snapshot.tasks):
        sheet = book.create_sheet(_sheet_name(section or pgettext("ledger", "Other tasks"), used))
        used.add(sheet.title)
        _section_sheet(sheet, title_of(snapshot), tasks, day)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _by_section(tasks: list[TaskState]) -> list[tuple[str, list[TaskState]]]:
    groups: dict[int | None, tuple[str, list[TaskState]]] = {}
    for task in tasks:
        groups.setdefault(task.section_id, (task.section, []))[1].append(task)
    return list(groups.values())


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = SHEET_NAME_FORBIDDEN.sub("", name).strip() or "Sheet"
    candidate, n = base[:31], 2
    while candidate in used:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def _put(sheet, row: int, column: int, value, **style):
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        # Kept as text: it is shown as typed and never calculated.
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _section_sheet(sheet, title: str, tasks: list[TaskState], day: datetime.date) -> None:
    cols = columns()
    last = get_column_letter(len(cols))
    _put(sheet, TITLE_ROW, 1, title, font=Font(bold=True, size=14), alignment=Alignment(horizontal="center"))
    header = {"font": Font(bold=True), "fill": HEADER_FILL, "border": BORDER, "alignment": _centre()}
    merges = [f"A{TITLE_ROW}:{last}{TITLE_ROW}"]
    for number, column in enumerate(cols, start=1):
        letter = get_column_letter(number)
        first_of_group = number == 1 or cols[number - 2].group != column.group
        if column.group is None:
            _put(sheet, GROUP_ROW, number, column.label, **header)
            _put(sheet, HEADER_ROW, number, None, **header)
            merges.append(f"{letter}{GROUP_ROW}:{letter}{HEADER_ROW}")
            continue
        _put(sheet, GROUP_ROW, number, column.group if first_of_group else None, **header)
        _put(sheet, HEADER_ROW, number, column.label, **header)
        if first_of_group:
            span = sum(1 for _c in _run(cols, number - 1))
            merges.append(f"{letter}{GROUP_ROW}:{get_column_letter(number + span - 1)}{GROUP_ROW}")
    row = HEADER_ROW + 1
    for task in tasks:
        for work in task.work:
            for number, value in enumerate(row_values(task, work, day), start=1):
                wrap = number in WRAPPED
                _put(sheet, row, number, value, border=BORDER, alignment=Alignment(vertical="top", wrap_text=wrap))
            row += 1
    for cells in merges:  # after the values: merged cells but the first are read-only
        sheet.merge_cells(cells)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(row - 1, HEADER_ROW)}"
    _fit_widths(sheet, len(cols), wrapped=WRAPPED)
    _print_setup(sheet, title, day, header_rows=HEADER_ROW)


def _run(cols: list[Column], start: int):
    """The columns from ``start`` that share its group."""
    group = cols[start].group
    for column in cols[start:]:
        if column.group != group:
            return
        yield column


def _summary_sheet(sheet, snapshot: Snapshot, day: datetime.date) -> None:
    labels = [
        pgettext("ledger", "Reform area"),
        pgettext("ledger", "Tasks"),
        pgettext("ledger", "Assignments"),
        pgettext("ledger", "Accepted"),
        pgettext("ledger", "Overdue"),
        pgettext("ledger", "Completion"),
    ]
    last = get_column_letter(len(labels))
    _put(sheet, 1, 1, title_of(snapshot), font=Font(bold=True, size=14), alignment=Alignment(horizontal="center"))
    sheet.merge_cells(f"A1:{last}1")
    _put(sheet, 2, 1, snapshot.plan.doc_number)
    for number, label in enumerate(labels, start=1):
        _put(sheet, 3, number, label, font=Font(bold=True), fill=HEADER_FILL, border=BORDER, alignment=_centre())
    row = 4
    for section, tasks in _by_section(snapshot.tasks):
        work = [w for task in tasks for w in task.work]
        accepted = sum(1 for w in work if w.status == AssignmentStatus.ACCEPTED)
        overdue = sum(1 for w in work if is_overdue(w, day))
        share = accepted / len(work) if work else None
        for number, value in enumerate([section, len(tasks), len(work), accepted, overdue, share], start=1):
            cell = _put(sheet, row, number, value, border=BORDER)
            if number == len(labels):
                cell.number_format = SHARE_FORMAT
        row += 1
    sheet.freeze_panes = "A4"
    _fit_widths(sheet, len(labels), wrapped={})
    _print_setup(sheet, title_of(snapshot), day, header_rows=3)


def _print_setup(sheet, title: str, day: datetime.date, *, header_rows: int) -> None:
    """Landscape, A4 or (for wide columns) A3, fitted to one page wide and as many long as it takes,
    the header rows repeated on each page; the title and day at the head, the page at the foot."""
    widths = [sheet.column_dimensions[get_column_letter(n)].width or 8 for n in range(1, sheet.max_column + 1)]
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4 if sum(widths) <= A4_LANDSCAPE_WIDTH else sheet.PAPERSIZE_A3
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{header_rows}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    # "&" starts a code in a header or footer: a title's own is doubled.
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddHeader.right.text = f"{day:%Y-%m-%d}"
    sheet.oddFooter.center.text = _("Page &P of &N")


def _centre() -> Alignment:
    return Alignment(horizontal="center", vertical="center", wrap_text=True)


def display_width(text: str) -> int:
    """Columns a text takes: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _fit_widths(sheet, count: int, *, wrapped: dict[int, int]) -> None:
    for number in range(1, count + 1):
        letter = get_column_letter(number)
        if number in wrapped:
            sheet.column_dimensions[letter].width = wrapped[number]
            continue
        cells = sheet.iter_rows(min_row=2, min_col=number, max_col=number)
        widest = max((display_width(str(cell.value)) for (cell,) in cells if cell.value is not None), default=6)
        sheet.column_dimensions[letter].width = min(max(widest + 2, 6), 60)


# --- A ledger of the task list's selection ------------------------------------------------------

LEDGER_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def content_type_of(filename: str) -> str:
    """A made report's type by its name: a ledger's workbook or CSV, else a PDF."""
    return LEDGER_FORMATS.get(filename.rpartition(".")[2], "application/pdf")


def ledger_file(selected: Snapshot, fmt: str) -> tuple[bytes, str]:
    """The ledger as an Excel workbook or CSV, and its file name."""
    day = selected.as_of or timezone.localdate()
    name = _("%(plan)s work ledger %(day)s") % {"plan": selected.plan.title, "day": f"{day:%Y-%m-%d}"}
    content = ledger_workbook(selected) if fmt == "xlsx" else ledger_csv(selected)
    return content, f"{name}.{fmt}"
