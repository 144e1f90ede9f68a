"""CSV and XLSX reports. CSV streams row by row; XLSX uses openpyxl's write-only mode, so memory stays flat."""

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..models import Cycle
from ..selectors import status_of
from .selectors import report_rows

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Stop a spreadsheet treating a cell as a formula (CSV injection): prefix it with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def headings() -> list[str]:
    return [
        _("Staff number"),
        _("First name"),
        _("Last name"),
        _("Email"),
        _("Department code"),
        _("Department"),
        _("Line manager"),
        _("Line manager staff number"),
        _("Status"),
        _("Acknowledged at"),
        _("Guidance version"),
        _("Language"),
        _("Best score"),
        _("Attempts"),
        _("Reference"),
    ]


def status_label(status: str) -> str:
    return {
        "completed": _("Completed"),
        "passed": _("Passed, not confirmed"),
        "in_progress": _("In progress"),
        "not_started": _("Not started"),
    }[status]


def rows(*, cycle: Cycle, outstanding_only: bool = False) -> Iterator[list]:
    for person in report_rows(cycle=cycle, outstanding_only=outstanding_only).iterator(chunk_size=2000):
        manager = person.line_manager
        acknowledged_at = timezone.localtime(person.acknowledged_at) if person.acknowledged_at else None
        yield [
            neutralise(value)
            for value in (
                person.staff_number,
                person.first_name,
                person.last_name,
                person.email,
                person.department.code if person.department else "",
                person.department.name if person.department else "",
                manager.get_full_name() if manager else "",
                manager.staff_number if manager else "",
                status_label(status_of(person)),
                acknowledged_at.strftime("%Y-%m-%d %H:%M") if acknowledged_at else "",
                person.acknowledged_version or "",
                person.acknowledged_language or "",
                person.best_score if person.best_score is not None else "",
                person.attempt_count,
                person.reference or "",
            )
        ]


def filename(*, cycle: Cycle, outstanding_only: bool, extension: str) -> str:
    kind = "outstanding" if outstanding_only else "all-staff"
    return f"social-media-guidance-{slugify(cycle.name)}-{kind}-{timezone.localdate():%Y-%m-%d}.{extension}"


class _Echo:
    def write(self, value):
        return value


def csv_lines(*, cycle: Cycle, outstanding_only: bool = False) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens the file as UTF-8 and Welsh letters survive
    yield writer.writerow(headings())
    for row in rows(cycle=cycle, outstanding_only=outstanding_only):
        yield writer.writerow(row)


def write_xlsx(output, *, cycle: Cycle, outstanding_only: bool = False) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(_("Outstanding") if outstanding_only else _("All staff"))[:31])
    sheet.append(headings())
    for row in rows(cycle=cycle, outstanding_only=outstanding_only):
        sheet.append(row)
    workbook.save(output)


def xlsx_file(*, cycle: Cycle, outstanding_only: bool = False):
    """The workbook in a temporary file (spilling to disk past 10 MB), rewound and ready to stream."""
    output = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_xlsx(output, cycle=cycle, outstanding_only=outstanding_only)
    output.seek(0)
    return output


def generated_on() -> str:
    return date_format(timezone.localdate(), "DATE_FORMAT")
