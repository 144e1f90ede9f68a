"""Which column of the file holds what: the portal's fields, the headings recognised for each, and the presets.

A mapping is ``{field: [heading index, ...]}``: the first of the listed columns that is not empty in a row is used,
so the Entra ID preset can take the staff number from ``employeeId`` and, where that is empty, ``objectId``.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Field:
    name: str
    label: "StrOrPromise"  # translated when shown
    required: bool = False
    hint: "StrOrPromise" = ""


FIELDS = (
    Field("staff_number", _("Staff number"), required=True),
    Field("email", _("Email address"), required=True),
    Field("first_name", _("First name"), required=True),
    Field("last_name", _("Last name"), required=True),
    Field("department_code", _("Department code"), hint=_("A code or a name is needed for the department")),
    Field("department_name_en", _("Department name (English)")),
    Field("department_name_cy", _("Department name (Welsh)")),
    Field("line_manager_staff_number", _("Line manager’s staff number")),
    Field("preferred_language", _("Preferred language"), hint=_("English if not given")),
    Field("start_date", _("Start date")),
    Field("active", _("Active"), hint=_("Yes if not given")),
    Field("user_type", _("Account type"), hint=_("Guest accounts are skipped")),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)
REQUIRED = tuple(field.name for field in FIELDS if field.required)

# Headings other systems use, after normalising (lower case, letters and digits only).
ALIASES = {
    "staff_number": (
        "staffnumber",
        "staffno",
        "employeenumber",
        "employeeno",
        "employeeid",
        "payrollnumber",
        "rhifstaff",
    ),
    "email": ("email", "emailaddress", "mail", "workemail", "ebost", "cyfeiriadebost"),
    "first_name": ("firstname", "forename", "forenames", "givenname", "enwcyntaf"),
    "last_name": ("lastname", "surname", "familyname", "cyfenw"),
    "department_code": ("departmentcode", "deptcode", "codyradran", "codadran"),
    "department_name_en": (
        "department",
        "departmentname",
        "departmentnameen",
        "departmentnameenglish",
        "enwradransaesneg",
    ),
    "department_name_cy": ("departmentnamecy", "departmentnamewelsh", "enwradrangymraeg"),
    "line_manager_staff_number": (
        "linemanagerstaffnumber",
        "linemanager",
        "managerstaffnumber",
        "rhifstaffyrheolwrllinell",
    ),
    "preferred_language": ("preferredlanguage", "language", "iaith", "iaithddewisol"),
    "start_date": ("startdate", "hiredate", "employeehiredate", "dyddiaddechrau", "dyddiadcychwyn"),
    "active": ("active", "enabled", "gweithredol"),
    "user_type": ("usertype", "accounttype"),
}

PORTAL = "portal"
ENTRA = "entra"
CUSTOM = "custom"
PRESETS = {
    PORTAL: _("The portal’s template"),
    ENTRA: _("Microsoft Entra ID “Download users”"),
    CUSTOM: _("My own columns"),
}
# Entra ID's "Download users" headings; several per field are tried in order, row by row.
ENTRA_COLUMNS = {
    "staff_number": ("employeeId", "objectId"),
    "email": ("mail", "userPrincipalName"),
    "first_name": ("givenName",),
    "last_name": ("surname",),
    "department_name_en": ("department",),
    "preferred_language": ("preferredLanguage",),
    "start_date": ("employeeHireDate",),
    "active": ("accountEnabled",),
    "user_type": ("userType",),
}


def normalise(heading: str) -> str:
    return re.sub(r"[^0-9a-z]", "", heading.lower().replace("’", "").replace("'", ""))


def _template_headings() -> dict[str, str]:
    """The template's headings in both languages, normalised, mapped to their fields."""
    known = {}
    for language in ("en", "cy"):
        with translation.override(language):
            for field in FIELDS:
                known[normalise(str(field.label))] = field.name
    return known


def is_entra_export(headings: list[str]) -> bool:
    names = {normalise(heading) for heading in headings}
    return {"userprincipalname", "objectid"} <= names


def detect_preset(headings: list[str]) -> str:
    if is_entra_export(headings):
        return ENTRA
    mapping = _recognise_template(headings)
    return PORTAL if all(field in mapping for field in REQUIRED) else CUSTOM


def recognise(headings: list[str], preset: str | None = None) -> dict[str, list[int]]:
    """Match the headings the portal recognises; each heading is used for one field only."""
    positions = {normalise(heading): index for index, heading in reversed(list(enumerate(headings))) if heading}
    if (preset or detect_preset(headings)) == ENTRA:
        mapping = {}
        for field, names in ENTRA_COLUMNS.items():
            found = [positions[normalise(name)] for name in names if normalise(name) in positions]
            if found:
                mapping[field] = found
        return mapping
    return _recognise_template(headings)


def _recognise_template(headings: list[str]) -> dict[str, list[int]]:
    positions = {normalise(heading): index for index, heading in reversed(list(enumerate(headings))) if heading}
    template = _template_headings()
    mapping: dict[str, list[int]] = {}
    used: set[int] = set()
    for key, index in sorted(positions.items(), key=lambda item: item[1]):
        field = template.get(key) or next((name for name, aliases in ALIASES.items() if key in aliases), None)
        if field and field not in mapping and index not in used:
            mapping[field] = [index]
            used.add(index)
    return mapping


def examples(rows: list[list[str]], index: int, count: int = 3) -> list[str]:
    found = []
    for row in rows:
        value = row[index] if index < len(row) else ""
        if value and value not in found:
            found.append(value[:40])
            if len(found) == count:
                break
    return found
