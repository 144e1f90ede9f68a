"""Staff directory import: parse and check a CSV, preview the changes, then apply all rows or none.

The upload page and ``manage.py import_staff`` share these functions.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Language

from .models import Department, StaffImport

COLUMNS = (
    "staff_number",
    "email",
    "first_name",
    "last_name",
    "department_code",
    "department_name_en",
    "department_name_cy",
    "line_manager_staff_number",
    "preferred_language",
    "active",
)
REQUIRED_VALUES = ("staff_number", "email", "first_name", "last_name", "department_code", "department_name_en")
# Headings people type in a spreadsheet, mapped to the column names above.
ALIASES = {
    "staff_no": "staff_number",
    "email_address": "email",
    "forename": "first_name",
    "surname": "last_name",
    "department": "department_code",
    "department_name": "department_name_en",
    "department_name_english": "department_name_en",
    "department_name_welsh": "department_name_cy",
    "line_manager": "line_manager_staff_number",
    "manager_staff_number": "line_manager_staff_number",
    "language": "preferred_language",
}
TRUE_VALUES = {"yes", "y", "true", "1", "active", "ie", "gweithredol"}
FALSE_VALUES = {"no", "n", "false", "0", "inactive", "na", "anweithredol"}


@dataclass
class RowError:
    row: int  # as a spreadsheet numbers it: the heading is row 1
    message: str


@dataclass
class StaffRow:
    row: int
    staff_number: str
    email: str
    first_name: str
    last_name: str
    department_code: str
    department_name_en: str
    department_name_cy: str
    line_manager_staff_number: str
    preferred_language: str
    active: bool


@dataclass
class ImportPlan:
    rows: list[StaffRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new: list[StaffRow] = field(default_factory=list)
    changed: list[tuple[StaffRow, list[str]]] = field(default_factory=list)
    deactivated: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str:
    """UTF-8 with or without a byte order mark (Excel's "CSV UTF-8" adds one)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”."), code="not_utf8"
        ) from error


def _normalise_heading(heading: str) -> str:
    key = heading.strip().lower().replace(" ", "_").replace("-", "_").replace("(", "").replace(")", "")
    return ALIASES.get(key, key)


def parse(text: str) -> ImportPlan:
    """Check every row. Collects every problem, with its row number, rather than stopping at the first."""
    plan = ImportPlan()
    if not text.strip():
        plan.errors.append(RowError(0, _("The file is empty.")))
        return plan
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        headings = next(reader)
    except (StopIteration, csv.Error):
        plan.errors.append(RowError(0, _("The file is empty.")))
        return plan
    headings = [_normalise_heading(heading) for heading in headings]
    missing = [column for column in COLUMNS if column not in headings]
    if missing:
        for column in missing:
            plan.errors.append(RowError(1, _("The column “%(column)s” is missing.") % {"column": column}))
        return plan
    index = {column: headings.index(column) for column in COLUMNS}
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    try:
        for row_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            values = {column: (cells[i].strip() if i < len(cells) else "") for column, i in index.items()}
            row_errors = _check_row(values, row_number, seen_numbers, seen_emails)
            plan.errors.extend(row_errors)
            if not row_errors:
                plan.rows.append(_to_row(values, row_number))
    except csv.Error as error:
        plan.errors.append(
            RowError(reader.line_num, _("The file could not be read as CSV: %(error)s") % {"error": error})
        )
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(0, _("The file has a heading row but no people.")))
    if not plan.errors:
        _check_managers(plan)
    return plan


def _check_row(values, row_number, seen_numbers, seen_emails) -> list[RowError]:
    errors = []
    for column in REQUIRED_VALUES:
        if not values[column]:
            errors.append(RowError(row_number, _("%(column)s is empty.") % {"column": column}))
    number = values["staff_number"]
    if number:
        if number in seen_numbers:
            errors.append(
                RowError(
                    row_number,
                    _("Staff number %(number)s is also on row %(other)s.")
                    % {"number": number, "other": seen_numbers[number]},
                )
            )
        else:
            seen_numbers[number] = row_number
        if len(number) > 20:
            errors.append(RowError(row_number, _("The staff number is longer than 20 characters.")))
    email = values["email"].lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                RowError(row_number, _("“%(email)s” is not a valid email address.") % {"email": values["email"]})
            )
        else:
            if email in seen_emails:
                errors.append(
                    RowError(
                        row_number,
                        _("The email address %(email)s is also on row %(other)s.")
                        % {"email": email, "other": seen_emails[email]},
                    )
                )
            else:
                seen_emails[email] = row_number
    language = values["preferred_language"].lower() or "en"
    if language not in Language.values:
        errors.append(
            RowError(
                row_number,
                _("“%(language)s” is not a language we know. Use en or cy.")
                % {"language": values["preferred_language"]},
            )
        )
    active = values["active"].lower() or "yes"
    if active not in TRUE_VALUES | FALSE_VALUES:
        errors.append(RowError(row_number, _("“%(value)s” in active must be yes or no.") % {"value": values["active"]}))
    for column, limit in (
        ("first_name", 150),
        ("last_name", 150),
        ("department_code", 20),
        ("department_name_en", 200),
        ("department_name_cy", 200),
    ):
        if len(values[column]) > limit:
            errors.append(RowError(row_number, _("%(column)s is too long.") % {"column": column}))
    return errors


def _to_row(values, row_number) -> StaffRow:
    return StaffRow(
        row=row_number,
        staff_number=values["staff_number"],
        email=values["email"].lower(),
        first_name=values["first_name"],
        last_name=values["last_name"],
        department_code=values["department_code"],
        department_name_en=values["department_name_en"],
        department_name_cy=values["department_name_cy"] or values["department_name_en"],
        line_manager_staff_number=values["line_manager_staff_number"],
        preferred_language=(values["preferred_language"].lower() or "en"),
        active=(values["active"].lower() or "yes") in TRUE_VALUES,
    )


def _check_managers(plan: ImportPlan) -> None:
    """Every manager must be in the file, and nobody may end up managing themselves, directly or not."""
    by_number = {row.staff_number: row for row in plan.rows}
    for row in plan.rows:
        manager = row.line_manager_staff_number
        if manager and manager not in by_number:
            plan.errors.append(
                RowError(row.row, _("The line manager %(number)s is not in the file.") % {"number": manager})
            )
    if plan.errors:
        return
    for row in plan.rows:
        seen = {row.staff_number}
        current = row.line_manager_staff_number
        while current:
            if current in seen:
                plan.errors.append(
                    RowError(
                        row.row,
                        _("Staff number %(number)s is in a loop of line managers (they end up managing themselves).")
                        % {"number": row.staff_number},
                    )
                )
                break
            seen.add(current)
            current = by_number[current].line_manager_staff_number


def preview(plan: ImportPlan, *, full: bool = True) -> ImportPlan:
    """Work out who is new, who changes and (for a full list) who will be made inactive. Writes nothing."""
    User = get_user_model()
    existing = {
        user.staff_number: user
        for user in User.objects.filter(staff_number__isnull=False).select_related("department", "line_manager")
    }
    emails = dict(User.objects.filter(staff_number__isnull=False).values_list("email", "staff_number"))
    for row in plan.rows:
        owner = emails.get(row.email)
        if owner and owner != row.staff_number:
            plan.errors.append(
                RowError(
                    row.row,
                    _("The email address %(email)s belongs to staff number %(other)s.")
                    % {"email": row.email, "other": owner},
                )
            )
    if plan.errors:
        return plan
    for row in plan.rows:
        user = existing.get(row.staff_number)
        if user is None:
            plan.new.append(row)
            continue
        changes = _changes(user, row)
        if changes:
            plan.changed.append((row, changes))
        else:
            plan.unchanged += 1
    if full:
        numbers = {row.staff_number for row in plan.rows}
        plan.deactivated = [
            user
            for number, user in sorted(existing.items())
            if number not in numbers and user.is_active and not user.is_staff
        ]
    return plan


def _changes(user, row: StaffRow) -> list[str]:
    changes = []
    pairs = (
        (_("email"), user.email, row.email),
        (_("first name"), user.first_name, row.first_name),
        (_("last name"), user.last_name, row.last_name),
        (_("department"), user.department.code if user.department else "", row.department_code),
        (_("line manager"), user.line_manager.staff_number if user.line_manager else "", row.line_manager_staff_number),
        (_("preferred language"), user.preferred_language, row.preferred_language),
        (_("active"), user.is_active, row.active),
    )
    for label, old, new in pairs:
        if (old or "") != (new or ""):
            changes.append(str(label))
    return changes


def plan_from_bytes(data: bytes, *, full: bool = True) -> ImportPlan:
    try:
        text = decode(data)
    except ValidationError as error:
        return ImportPlan(errors=[RowError(0, error.messages[0])])
    return preview(parse(text), full=full)


@transaction.atomic
def import_staff(*, data: bytes, full: bool = True) -> ImportPlan:
    """Apply a staff list: all rows or none. Raises ValidationError listing every bad row; nothing is saved then."""
    plan = plan_from_bytes(data, full=full)
    if not plan.is_valid:
        raise ValidationError([_format(error) for error in plan.errors], code="invalid_rows")
    User = get_user_model()
    departments = {department.code: department for department in Department.objects.select_for_update()}
    for row in plan.rows:
        department = departments.get(row.department_code)
        if department is None:
            department = Department.objects.create(
                code=row.department_code, name_en=row.department_name_en, name_cy=row.department_name_cy
            )
            departments[row.department_code] = department
        elif (department.name_en, department.name_cy) != (row.department_name_en, row.department_name_cy):
            department.name_en, department.name_cy = row.department_name_en, row.department_name_cy
            department.save(update_fields=["name_en", "name_cy"])
    existing = {user.staff_number: user for user in User.objects.select_for_update().filter(staff_number__isnull=False)}
    people = {}
    for row in plan.rows:
        user = existing.get(row.staff_number) or User(staff_number=row.staff_number, username=row.staff_number)
        if user.pk is None:
            user.set_unusable_password()  # they sign in by single sign-on, or an administrator sets a password
        user.email = row.email
        user.first_name = row.first_name
        user.last_name = row.last_name
        user.department = departments[row.department_code]
        user.preferred_language = row.preferred_language
        user.is_active = row.active
        user.save()
        people[row.staff_number] = user
    for row in plan.rows:
        user = people[row.staff_number]
        manager = people.get(row.line_manager_staff_number) if row.line_manager_staff_number else None
        if user.line_manager_id != (manager.pk if manager else None):
            user.line_manager = manager
            user.save(update_fields=["line_manager"])
    if plan.deactivated:
        User.objects.filter(pk__in=[user.pk for user in plan.deactivated]).update(is_active=False)
    return plan


def _format(error: RowError) -> str:
    if error.row:
        return _("Row %(row)s: %(message)s") % {"row": error.row, "message": error.message}
    return error.message


def format_errors(plan: ImportPlan) -> list[str]:
    return [_format(error) for error in plan.errors]


@transaction.atomic
def apply_staff_import(*, staff_import_id: int, user) -> tuple[StaffImport, ImportPlan]:
    """Confirm an upload that was previewed. A second confirmation (double click) changes nothing."""
    record = StaffImport.objects.select_for_update().get(pk=staff_import_id, uploaded_by=user)
    if record.status == StaffImport.Status.APPLIED:
        raise ValidationError(_("This staff list has already been imported."), code="applied")
    plan = import_staff(data=record.content.encode("utf-8"), full=record.full)
    record.status = StaffImport.Status.APPLIED
    record.applied_at = timezone.now()
    record.summary = {
        "new": len(plan.new),
        "changed": len(plan.changed),
        "deactivated": len(plan.deactivated),
        "unchanged": plan.unchanged,
    }
    record.save(update_fields=["status", "applied_at", "summary"])
    return record, plan
