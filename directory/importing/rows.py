"""Check one row of a staff list on its own and against the rows before it; every check runs whatever else fails."""

from typing import cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _

from ..models import Department
from . import values
from .columns import FIELDS, REQUIRED
from .departments import DepartmentResolver
from .plan import ImportPlan, RowError, RowIdentity, StaffRow
from .reading import Table

GUEST = "guest"
PARSERS = (("preferred_language", values.language), ("active", values.yes_no), ("start_date", values.date))


def _max_length(model, name: str) -> int:
    return cast(models.CharField, model._meta.get_field(name)).max_length or 0


def limits() -> dict[str, int]:
    User = get_user_model()
    return {
        "staff_number": _max_length(User, "staff_number"),
        "email": _max_length(User, "email"),
        "first_name": _max_length(User, "first_name"),
        "last_name": _max_length(User, "last_name"),
        "department_code": _max_length(Department, "code"),
        "department_name_en": _max_length(Department, "name_en"),
        "department_name_cy": _max_length(Department, "name_cy"),
        "line_manager_staff_number": _max_length(User, "staff_number"),
    }


def labels() -> dict[str, str]:
    return {field.name: str(field.label) for field in FIELDS}


class RowReader:
    def __init__(self, plan: ImportPlan, table: Table, mapping, departments: DepartmentResolver):
        self.plan, self.table, self.mapping, self.departments = plan, table, mapping, departments
        self.limits, self.labels = limits(), labels()
        self.seen_numbers: dict[str, int] = {}
        self.seen_emails: dict[str, int] = {}

    def value(self, cells: list[str], name: str) -> str:
        for index in self.mapping.get(name, ()):
            if index < len(cells) and cells[index]:
                return cells[index]
        return ""

    def read_row(self, row: int, cells: list[str]) -> None:
        if not any(cells):
            return
        raw = {name: self.value(cells, name) for name in self.mapping}
        if raw.get("user_type", "").strip().lower() == GUEST:
            self.plan.guests_skipped += 1
            return
        errors = self._shape(cells) + self._text(raw) + self._required(raw) + self._lengths(raw)
        number = raw.get("staff_number", "")
        email = raw.get("email", "").lower()
        errors += self._repeated_number(number, row)
        email_errors, valid_email = self._email(email, raw.get("email", ""), row)
        errors += email_errors
        parsed = self._parse(raw, errors)
        department = self.departments.resolve(
            raw.get("department_code", ""),
            raw.get("department_name_en", ""),
            raw.get("department_name_cy", ""),
            row,
            errors,
        )
        manager = raw.get("line_manager_staff_number") if "line_manager_staff_number" in self.mapping else None
        self.plan.identities.append(RowIdentity(row, number, valid_email, manager))
        if errors:
            self.plan.errors.extend(RowError(row, message) for message in errors)
            return
        self.plan.rows.append(
            StaffRow(
                row=row,
                staff_number=number,
                email=email,
                first_name=raw["first_name"],
                last_name=raw["last_name"],
                department=department,
                line_manager_staff_number=manager,
                preferred_language=parsed.get("preferred_language"),
                start_date=parsed.get("start_date"),
                active=parsed.get("active"),
            )
        )

    def _shape(self, cells: list[str]) -> list[str]:
        if len(cells) > len(self.table.headings) and any(cells[len(self.table.headings) :]):
            return [
                _(
                    "The row has more cells than there are headings: a value probably holds the separator without "
                    "quotes around it, so the columns have shifted."
                )
            ]
        return []

    def _text(self, raw: dict) -> list[str]:
        return [problem for name, text in raw.items() for problem in values.check_text(text, self.labels[name])]

    def _required(self, raw: dict) -> list[str]:
        return [_("%(field)s is empty.") % {"field": self.labels[name]} for name in REQUIRED if not raw.get(name)]

    def _lengths(self, raw: dict) -> list[str]:
        return [
            _("%(field)s is longer than %(limit)s characters.") % {"field": self.labels[name], "limit": limit}
            for name, limit in self.limits.items()
            if len(raw.get(name, "")) > limit
        ]

    def _repeated_number(self, number: str, row: int) -> list[str]:
        other = self.seen_numbers.setdefault(number, row) if number else row
        if other != row:
            return [_("Staff number %(number)s is also on row %(other)s.") % {"number": number, "other": other}]
        return []

    def _email(self, email: str, written: str, row: int) -> tuple[list[str], str]:
        """Problems with the email (not an address, already on an earlier row) and the address if it is one."""
        if not email:
            return [], ""
        errors = []
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("“%(email)s” is not a valid email address.") % {"email": written})
            email_if_valid = ""
        else:
            email_if_valid = email
        other = self.seen_emails.setdefault(email, row)
        if other != row:
            errors.append(_("The email address %(email)s is also on row %(other)s.") % {"email": email, "other": other})
        return errors, email_if_valid

    def _parse(self, raw: dict, errors: list[str]) -> dict:
        parsed = {}
        for name, parse in PARSERS:
            if name in self.mapping:
                try:
                    parsed[name] = parse(raw[name]) if raw[name] or name == "start_date" else None
                except values.BadValue as error:
                    errors.append(str(error))
        return parsed
