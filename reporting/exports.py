"""The per-person report rows and the CSV download. CSV streams row by row; the XLSX is in ``workbook.py``.

``rows`` yields typed values (text, whole numbers, aware datetimes, ``None``): the CSV writes them as text with
formula neutralising, the workbook writes them as typed cells.
"""

import csv
import re
from collections.abc import Iterable, Iterator

from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.declarations import declaration_of, with_declarations
from assessments.status import PersonStatus, annotate_status, people_in_report, placement, required_version_number
from cycles.models import Cycle
from portal.i18n import active_language

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Control characters (C0 but tab/newline, DEL, C1) have no business in a cell, and a workbook's XML cannot hold them
# (Excel calls the whole file corrupt); an imported name with one must not spoil HR's download.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(value: str) -> str:
    """The text without control characters; `isprintable` keeps the common case (ordinary text) fast."""
    return value if value.isprintable() else CONTROL_CHARACTERS.sub("", value)


def neutralise(value):
    """Stop a spreadsheet treating a cell as a formula (CSV injection): prefix it with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_text(value: str) -> str:
    """Text for a CSV cell: control characters removed first, so none can hide a formula from `neutralise`."""
    return neutralise(printable(value))


# How each column is typed in the workbook, in the order of ``headings()``.
TEXT, NUMBER, DATE, DATETIME = "text", "number", "date", "datetime"
COLUMN_KINDS = [TEXT] * 9 + [DATE, NUMBER, DATETIME, NUMBER, TEXT, NUMBER, NUMBER, TEXT]


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
        _("Due date"),
        _("Days overdue"),
        _("Date confirmed"),
        _("Guidance version"),
        _("Declaration language"),
        _("Best score"),
        _("Attempts"),
        _("Reference"),
    ]


CHUNK = 2000


PERSON_FIELDS = ("staff_number", "first_name", "last_name", "email")
# Where the department and line manager are read from, after ``placement`` (today's, or those at closing).
PLACE_FIELDS = ("department__code", "department__name_{language}", "department__name_en")
MANAGER_FIELDS = ("line_manager__first_name", "line_manager__last_name", "line_manager__staff_number")
# A closed cycle's declaration columns, as written when it closed.
CLOSED_FIELDS = (
    "standing__days_overdue",
    "standing__confirmed_at",
    "standing__guidance_version_number",
    "standing__declaration_language",
    "standing__best_score",
    "standing__attempts",
    "standing__reference",
)


def rows(*, cycle: Cycle, outstanding_only: bool = False) -> Iterator[list]:
    """One row per person the cycle covers, and per person who has left it since it opened, in department and name
    order, with their own due date and how many days overdue they are (empty unless overdue). A closed cycle's rows
    are those written when it closed, so its download is the same whenever it is made.

    One query, streamed in chunks of 2,000: each person's status (the one definition, in SQL), the acknowledgement
    that counts and their attempts are worked out by the database, so memory does not grow with the number of people.
    """
    required = required_version_number()
    today = timezone.localdate()
    labels = {status.value: str(status.label) for status in PersonStatus}
    people = _report_people(cycle=cycle, outstanding_only=outstanding_only, today=today, required=required)
    for person in people.iterator(chunk_size=CHUNK):
        number, first, last, email, code, name, name_en, boss_first, boss_last, boss_number, status, due, *rest = person
        days_overdue, confirmed_at, version, declaration_language, best, submitted, reference = (
            rest if cycle.is_closed else _declared_now(rest, status=status, due=due, today=today)
        )
        yield [
            number,
            first,
            last,
            email,
            code or "",
            name or name_en or "",
            " ".join(part for part in (boss_first, boss_last) if part),
            boss_number or "",
            labels[status],
            due,
            days_overdue,
            confirmed_at,
            version,
            declaration_language,
            best,
            submitted or 0,
            reference,
        ]


def _report_people(*, cycle: Cycle, outstanding_only: bool, today, required: int):
    """The report's one query: the person, where they sat, their status and due date, then the declaration columns
    (as written at closing for a closed cycle, worked out now for an open one)."""
    place = placement(cycle=cycle)
    people = annotate_status(people_in_report(cycle=cycle), cycle=cycle, today=today, required=required)
    if outstanding_only:
        people = people.filter(status__in=PersonStatus.outstanding())
    language = active_language()
    placed = [place + name.format(language=language) for name in (*PLACE_FIELDS, *MANAGER_FIELDS)]
    declared: tuple[str, ...]
    if cycle.is_closed:
        declared = CLOSED_FIELDS
    else:
        people = with_declarations(people, cycle=cycle, required=required)
        declared = ("acknowledged", "best_score", "submitted")
    # People without a department last on every database, as in the Summary sheet (SQLite puts NULL first).
    department = F(f"{place}department__code").asc(nulls_last=True)
    return people.order_by(department, "last_name", "first_name", "pk").values_list(
        *PERSON_FIELDS, *placed, "status", "due_date", *declared
    )


def _declared_now(rest, *, status: str, due, today) -> tuple:
    """An open cycle's declaration columns, in CLOSED_FIELDS' order, from ``with_declarations``' annotations."""
    acknowledged, best, submitted = rest
    declaration = declaration_of(acknowledged)
    days_overdue = (today - due).days if status == PersonStatus.OVERDUE else None
    return (
        days_overdue,
        declaration.get("at"),
        declaration.get("number"),
        declaration.get("language", ""),
        best,
        submitted,
        declaration.get("reference", ""),
    )


def filename(*, cycle: Cycle, outstanding_only: bool, extension: str) -> str:
    """e.g. social-media-guidance-2026-27-all-staff-en-2026-12-01.xlsx: the cycle keeps its dash, and the language
    the headings are in is in the name, so an English and a Welsh download never overwrite each other."""
    kind = _("outstanding") if outstanding_only else _("all staff")
    cycle_name = cycle.name.replace("\u2013", "-").replace("\u2014", "-").replace("/", "-")
    parts = [slugify(_("social media guidance")), slugify(cycle_name), slugify(kind), active_language()]
    return "-".join([*parts, f"{timezone.localdate():%Y-%m-%d}"]) + f".{extension}"


def _text_cell(value) -> str:
    # printable() and neutralise() inlined: this runs for a million cells in a large report.
    if not value:
        return ""
    if not value.isprintable():
        value = CONTROL_CHARACTERS.sub("", value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _number_cell(value) -> str:
    return "" if value is None else str(value)


def _date_cell(value) -> str:
    return value.isoformat()  # the one date column is the due date, which everyone has


def csv_cells() -> list:
    """One formatter per column (the column kinds are known), rather than asking each of 1.7 million values its
    type; the time zone is looked up once."""
    zone = timezone.get_current_timezone()

    def datetime_cell(value) -> str:
        return "" if value is None else f"{value.astimezone(zone):%Y-%m-%d %H:%M}"

    cells = {TEXT: _text_cell, NUMBER: _number_cell, DATE: _date_cell, DATETIME: datetime_cell}
    return [cells[kind] for kind in COLUMN_KINDS]


class _Echo:
    def write(self, value):
        return value


def csv_lines(*, cycle: Cycle, outstanding_only: bool = False) -> Iterable[str]:
    writer = csv.writer(_Echo())
    cells = csv_cells()
    yield "\ufeff"  # so Excel opens the file as UTF-8 and Welsh letters survive
    yield writer.writerow(headings())
    for row in rows(cycle=cycle, outstanding_only=outstanding_only):
        yield writer.writerow([cell(value) for cell, value in zip(cells, row, strict=True)])
