"""The XLSX report: a "Summary" sheet with the cycle's figures by department, then one row per person.

Written with openpyxl's write-only mode, so 100,000 rows need no more memory than 100. Cells are typed the way a
spreadsheet expects them: dates and times as date cells with a number format, numbers as numbers, and text as text
(a name such as ``=HYPERLINK(...)`` is stored as a string cell, so no apostrophe is needed and nothing runs). Column
widths are worked out before the first row is written (write-only sheets cannot be resized afterwards): from the
headings and, for the columns read from the staff directory, the longest value in the database.
"""

import tempfile

from django.db.models import Max
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.i18n import active_language

from ..models import Cycle
from ..status import PersonStatus, people_in_cycle
from . import exports, selectors

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0%"
TEXT_FORMAT = "@"
MAX_WIDTH = 50
SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names


def _width(*lengths: int | None) -> float:
    return min(max(length or 0 for length in lengths) + 2, MAX_WIDTH)


def _directory_lengths(*, cycle: Cycle) -> dict[str, int]:
    """The longest value of each directory column, in one query."""
    language = active_language()
    found = people_in_cycle(cycle=cycle).aggregate(
        staff_number=Max(Length("staff_number")),
        first_name=Max(Length("first_name")),
        last_name=Max(Length("last_name")),
        email=Max(Length("email")),
        department_code=Max(Length("department__code")),
        department=Max(Length(f"department__name_{language}")),
        manager_first=Max(Length("line_manager__first_name")),
        manager_last=Max(Length("line_manager__last_name")),
    )
    return {key: value or 0 for key, value in found.items()}


def _column_widths(headings: list[str], labels: list[str], *, cycle: Cycle) -> list[float]:
    longest = _directory_lengths(cycle=cycle)
    content = [
        longest["staff_number"],
        longest["first_name"],
        longest["last_name"],
        longest["email"],
        longest["department_code"],
        longest["department"],
        longest["manager_first"] + 1 + longest["manager_last"],
        longest["staff_number"],
        max(len(label) for label in labels),
        len("2026-12-01"),
        3,
        len("2026-12-01 09:30"),
        3,
        2,
        3,
        3,
        len("SMG-XXXX-XXXX"),
    ]
    return [_width(len(heading), length) for heading, length in zip(headings, content, strict=True)]


def _set_widths(sheet, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _heading_row(sheet, headings: list[str]) -> list[WriteOnlyCell]:
    bold = Font(bold=True)
    cells = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        cells.append(cell)
    return cells


class _CellMaker:
    """Typed cells for one sheet. Plain text and numbers go in as they are (openpyxl types them); only the cells
    that need a format or protection are wrapped, because wrapping every cell would make large reports slow."""

    def __init__(self, sheet):
        self.sheet = sheet

    def text(self, value):
        if value is None:
            return None
        value = exports.printable(value)
        if value.startswith("="):
            # openpyxl would store this as a formula; force a string cell in the Text format instead.
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.data_type = "s"
            cell.number_format = TEXT_FORMAT
            return cell
        return value

    def datetime(self, value):
        if value is None:
            return None
        cell = WriteOnlyCell(self.sheet, value=exports.local_time(value))
        cell.number_format = DATETIME_FORMAT
        return cell

    def date(self, value):
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell

    def percent(self, part: int, whole: int):
        cell = WriteOnlyCell(self.sheet, value=round(part / whole, 4) if whole else 0)
        cell.number_format = PERCENT_FORMAT
        return cell


def _summary_sheet(workbook, *, cycle: Cycle) -> None:
    sheet = workbook.create_sheet(title=_("Summary")[:SHEET_NAME_LIMIT])
    make = _CellMaker(sheet)
    headings = [
        _("Department code"),
        _("Department"),
        _("In scope"),
        _("Completed"),
        _("Passed, not confirmed"),
        _("In progress"),
        _("Not started"),
        _("Overdue"),
        _("Outstanding"),
        _("Complete"),
        _("Exempt (not counted)"),
        _("Left (not counted)"),
    ]
    rows = selectors.completion_by_department(cycle=cycle)
    rows.sort(key=lambda row: row["department"].code if row["department"] else "~")
    names = [str(row["department"] or _("No department")) for row in rows]
    codes = [row["department"].code if row["department"] else "" for row in rows]
    _set_widths(
        sheet,
        [
            _width(len(headings[0]), len(_("Cycle")), len(_("Generated")), *(len(code) for code in codes)),
            _width(len(headings[1]), len(cycle.name), 16, *(len(name) for name in names)),
            *(_width(len(heading), 6) for heading in headings[2:]),
        ],
    )
    # The heading row is the first row so it can be frozen and filtered; the cycle's details sit below the table.
    sheet.freeze_panes = "A2"
    sheet.append(_heading_row(sheet, headings))
    for row, name, code in zip(rows, names, codes, strict=True):
        sheet.append(
            [
                make.text(code),
                make.text(name),
                row["in_scope"],
                row["completed"],
                row["passed"],
                row["in_progress"],
                row["not_started"],
                row["overdue"],
                row["outstanding"],
                make.percent(row["completed"], row["in_scope"]),
                row["exempt"],
                row["left"],
            ]
        )
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{len(rows) + 1}"
    figures = selectors.totals_of(rows)
    bold = Font(bold=True)
    total = WriteOnlyCell(sheet, value=_("All departments"))
    total.font = bold
    sheet.append(
        [
            None,
            total,
            figures["in_scope"],
            figures["completed"],
            figures["passed"],
            figures["in_progress"],
            figures["not_started"],
            figures["overdue"],
            figures["outstanding"],
            make.percent(figures["completed"], figures["in_scope"]),
            figures["exempt"],
            figures["left"],
        ]
    )
    sheet.append([])
    sheet.append([_("Cycle"), make.text(cycle.name)])
    sheet.append([_("Opens on"), make.date(cycle.opens_on)])
    sheet.append([_("Due on"), make.date(cycle.due_on)])
    sheet.append([_("Generated"), make.datetime(timezone.now())])


def _people_sheet(workbook, *, cycle: Cycle, outstanding_only: bool) -> None:
    title = _("Outstanding") if outstanding_only else _("All staff")
    sheet = workbook.create_sheet(title=title[:SHEET_NAME_LIMIT])
    make = _CellMaker(sheet)
    headings = exports.headings()
    labels = [str(status.label) for status in PersonStatus]
    _set_widths(sheet, _column_widths(headings, labels, cycle=cycle))
    sheet.freeze_panes = "A2"
    sheet.append(_heading_row(sheet, headings))
    writers = {
        exports.TEXT: make.text,
        exports.DATE: make.date,
        exports.DATETIME: make.datetime,
        exports.NUMBER: lambda value: value,
    }
    kinds = [writers[kind] for kind in exports.COLUMN_KINDS]
    count = 0
    for row in exports.rows(cycle=cycle, outstanding_only=outstanding_only):
        sheet.append([write(value) for write, value in zip(kinds, row, strict=True)])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{count + 1}"


def write_xlsx(output, *, cycle: Cycle, outstanding_only: bool = False) -> None:
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook, cycle=cycle)
    _people_sheet(workbook, cycle=cycle, outstanding_only=outstanding_only)
    workbook.save(output)


def xlsx_file(*, cycle: Cycle, outstanding_only: bool = False):
    """The workbook in a temporary file (spilling to disk past 10 MB), rewound and ready to stream."""
    output = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_xlsx(output, cycle=cycle, outstanding_only=outstanding_only)
    output.seek(0)
    return output
