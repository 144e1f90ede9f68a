"""What the preview page shows of a plan, as plain data that can be kept: counts, the first rows of each list, the
problems, and the department questions.

A small file's preview is made on each view of the page; a large file's is made once by the worker and kept on the
upload (``StaffImport.preview``), so showing it reads one row, whatever the file's size. Nothing here decides what is
written: the confirmation plans again against the directory as it is then.

Problems are kept in every language the portal speaks (they are sentences made while checking), the fields that
changed by their names (labelled when shown), and departments by code and name, so the page reads the same in Welsh
whichever language the file was checked in.
"""

from django.conf import settings
from django.utils import translation

from portal.i18n import active_language

from .departments import NameDifference, NewDepartment
from .plan import ImportPlan
from .rows import labels

SHOWN = 200  # people listed under each heading; the counts are always whole
ERRORS_SHOWN = 300


def planned_for(*, mapping: dict, full: bool) -> dict:
    """What a kept preview was made from: when the columns or "full staff list" change, it is out of date."""
    return {"mapping": {name: list(columns) for name, columns in mapping.items() if columns}, "full": bool(full)}


def is_current(preview: dict, *, mapping: dict, full: bool) -> bool:
    return bool(preview) and preview.get("for") == planned_for(mapping=mapping, full=full)


def _person(row) -> dict:
    return {"staff_number": row.staff_number, "first_name": row.first_name, "last_name": row.last_name}


def error_texts(plan: ImportPlan) -> list[str]:
    return [str(error) for error in plan.errors[:ERRORS_SHOWN]]


def describe(plan: ImportPlan, *, mapping: dict, full: bool, errors: dict[str, list[str]] | None = None) -> dict:
    """The preview of ``plan``. ``errors``: its problems in each language, if known; else in the active language."""
    names = {label: name for name, label in labels().items()}  # compare() lists the changes by their labels
    return {
        "for": planned_for(mapping=mapping, full=full),
        "valid": plan.is_valid,
        "error_count": len(plan.errors),
        "errors": errors if errors is not None else {active_language(): error_texts(plan)},
        "mapped": sorted(plan.mapped),
        "counts": {
            "new": len(plan.new),
            "changed": len(plan.changed),
            "deactivated": len(plan.deactivated),
            "unchanged": plan.unchanged,
            "guests_skipped": plan.guests_skipped,
        },
        "new": [_person(row) for row in plan.new[:SHOWN]],
        "changed": [
            {**_person(row), "changes": [names.get(label, label) for label in changes]}
            for row, changes in plan.changed[:SHOWN]
        ],
        "deactivated": [
            {key: person[key] for key in ("staff_number", "first_name", "last_name")}
            for person in plan.deactivated[:SHOWN]
        ],
        "new_departments": [_new_department(department) for department in plan.new_departments],
        "duplicates": [_duplicate(department) for department in plan.likely_duplicates],
        "differences": [_difference(difference) for difference in plan.name_differences],
    }


def _new_department(department: NewDepartment) -> dict:
    return {
        "code": department.code,
        "name_en": department.name_en,
        "name_cy": department.name_cy,
        "code_from_file": department.code_from_file,
    }


def _duplicate(department: NewDepartment) -> dict:
    existing = department.duplicate_of
    assert existing is not None  # a likely duplicate is one with a department it may duplicate
    return {**_new_department(department), "existing_code": existing.code, "existing_name": existing.name_en}


def _difference(difference: NameDifference) -> dict:
    return {
        "code": difference.department.code,
        "names_in_file": difference.names_in_file,
        "portal_name_en": difference.department.name_en,
        "portal_name_cy": difference.department.name_cy,
    }


def in_every_language(plan: ImportPlan, plan_again) -> dict[str, list[str]]:
    """The plan's problems in each of the portal's languages: ``plan_again()`` checks the file once more in each
    other language (only when there are problems, so a clean file is checked once)."""
    texts = {active_language(): error_texts(plan)}
    if plan.errors:
        for code, _name in settings.LANGUAGES:
            if code not in texts:
                with translation.override(code):
                    texts[code] = error_texts(plan_again())
    return texts


class Shown:
    """A kept preview as the page and the confirmation form read it, in the language of the request."""

    def __init__(self, preview: dict):
        self.data = preview
        self.counts = preview["counts"]
        self.mapped = preview["mapped"]
        self.new_departments = preview["new_departments"]
        self.likely_duplicates = preview["duplicates"]
        self.name_differences = preview["differences"]
        label = labels()
        self.new = preview["new"]
        self.deactivated = preview["deactivated"]
        self.changed = [
            {**row, "changes": [label.get(name, name) for name in row["changes"]]} for row in preview["changed"]
        ]

    @property
    def is_valid(self) -> bool:
        return self.data["valid"]

    @property
    def errors(self) -> list[str]:
        texts = self.data["errors"]
        return texts.get(active_language()) or next(iter(texts.values()), [])

    @property
    def more_errors(self) -> int:
        return max(self.data["error_count"] - ERRORS_SHOWN, 0)

    @property
    def department_decisions(self) -> int:
        return len(self.likely_duplicates) + len(self.name_differences)
