"""The per-person report rows and the CSV download. CSV streams row by row; the XLSX is in ``workbook.py``.

``rows`` yields typed values (text, whole numbers, aware datetimes, ``None``): the CSV writes them as text with
formula neutralising, the workbook writes them as typed cells.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.i18n import active_language

from ..models import Acknowledgement, Attempt, Cycle
from ..status import PersonStatus, annotate_status, people_in_report, required_version_number

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Control characters (C0 but tab/newline, DEL, C1) have no business in a cell, and openpyxl refuses the whole workbook
# when one reaches it; an imported name with one must not stop HR's download.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(value: str) -> str:
    """The text without control characters; `isprintable` keeps the common case (ordinary text) fast."""
    return value if value.isprintable() else CONTROL_CHARACTERS.sub("", value)


def neutralise(value):
    """Stop a spreadsheet treating a cell as a formula (CSV injection): prefix it with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


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
        _("Acknowledged at"),
        _("Guidance version"),
        _("Language"),
        _("Best score"),
        _("Attempts"),
        _("Reference"),
    ]


CHUNK = 2000


def rows(*, cycle: Cycle, outstanding_only: bool = False) -> Iterator[list]:
    """One row per person the cycle covers, and per person who has left it since it opened, in department and name
    order, with their own due date and how many days overdue they are (empty unless overdue).

    People are read in chunks of 2,000 with their status (the one definition, in SQL), and their acknowledgement and
    attempts fetched per chunk, so the work is a few queries per chunk and memory does not grow with the number of
    people.
    """
    required = required_version_number()
    today = timezone.localdate()
    labels = {status.value: str(status.label) for status in PersonStatus}
    ordered = list(
        people_in_report(cycle=cycle)
        .order_by("department__code", "last_name", "first_name", "pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        people = {
            row[0]: row
            for row in annotate_status(
                get_user_model().objects.filter(pk__in=chunk), cycle=cycle, today=today, required=required
            ).values_list(
                "pk",
                "staff_number",
                "first_name",
                "last_name",
                "email",
                "department__code",
                f"department__name_{active_language()}",
                "department__name_en",
                "line_manager__first_name",
                "line_manager__last_name",
                "line_manager__staff_number",
                "status",
                "due_date",
            )
        }
        acknowledgements = {}
        for user_id, created_at, number, language, reference in (
            Acknowledgement.objects.filter(cycle=cycle, user_id__in=chunk, guidance_version__number__gte=required)
            .order_by("created_at")
            .values_list("user_id", "created_at", "guidance_version__number", "language", "reference")
        ):
            acknowledgements[user_id] = (created_at, number, language, reference)
        attempts = {
            row["user_id"]: row
            for row in Attempt.objects.filter(cycle=cycle, user_id__in=chunk)
            .values("user_id")
            .annotate(
                submitted=Count("pk", filter=Q(status=Attempt.Status.SUBMITTED)),
                best=Max("score"),
            )
        }
        for pk in chunk:
            person = people[pk]
            acknowledged = acknowledgements.get(pk)
            attempt = attempts.get(pk)
            status = person[11]
            if outstanding_only and status not in PersonStatus.outstanding():
                continue
            manager = " ".join(part for part in (person[8], person[9]) if part)
            yield [
                person[1],
                person[2],
                person[3],
                person[4],
                person[5] or "",
                person[6] or person[7] or "",
                manager,
                person[10] or "",
                labels[status],
                person[12],
                (today - person[12]).days if status == PersonStatus.OVERDUE else None,
                acknowledged[0] if acknowledged else None,
                acknowledged[1] if acknowledged else None,
                acknowledged[2] if acknowledged else "",
                attempt["best"] if attempt else None,
                attempt["submitted"] if attempt else 0,
                acknowledged[3] if acknowledged else "",
            ]


def filename(*, cycle: Cycle, outstanding_only: bool, extension: str) -> str:
    """e.g. social-media-guidance-2026-27-all-staff-en-2026-12-01.xlsx: the cycle keeps its dash, and the language
    the headings are in is in the name, so an English and a Welsh download never overwrite each other."""
    kind = _("outstanding") if outstanding_only else _("all staff")
    cycle_name = cycle.name.replace("\u2013", "-").replace("\u2014", "-").replace("/", "-")
    parts = [slugify(_("social media guidance")), slugify(cycle_name), slugify(kind), active_language()]
    return "-".join([*parts, f"{timezone.localdate():%Y-%m-%d}"]) + f".{extension}"


def local_time(value: datetime) -> datetime:
    """A naive local date and time: spreadsheets have no time zones, and people read UK time."""
    return timezone.localtime(value).replace(tzinfo=None)


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{local_time(value):%Y-%m-%d %H:%M}"
    return neutralise(printable(value)) if isinstance(value, str) else str(value)


class _Echo:
    def write(self, value):
        return value


def csv_lines(*, cycle: Cycle, outstanding_only: bool = False) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens the file as UTF-8 and Welsh letters survive
    yield writer.writerow(headings())
    for row in rows(cycle=cycle, outstanding_only=outstanding_only):
        yield writer.writerow([as_text(value) for value in row])
