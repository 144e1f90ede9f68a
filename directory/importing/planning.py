"""Check every row of a staff list against the mapping and the directory, and work out what would change.

Nothing here writes. Every check runs on every row whatever else is wrong with it, manager problems, clashes with
other accounts and anything the database would refuse included, so one upload lists every problem and what passes
the preview also saves. The rows are read in ``rows``, departments decided in ``departments``, the checks across
rows are in ``checks`` and the comparison with the directory in ``comparing``.
"""

from django.utils.translation import gettext as _

from .checks import check_accounts, check_managers, load_existing
from .columns import REQUIRED
from .comparing import compare
from .departments import DepartmentResolver, NameDifference, NewDepartment
from .plan import ImportPlan, RowError, StaffRow, resolved_department
from .reading import Table
from .rows import RowReader, labels, limits

__all__ = [
    "ImportPlan", "NameDifference", "NewDepartment", "RowError", "StaffRow", "build_plan", "labels", "limits",
    "mapping_errors", "resolved_department",
]  # fmt: skip


def mapping_errors(mapping: dict[str, list[int]], headings: list[str]) -> list[str]:
    label = labels()
    problems = [
        _("Choose the column that holds: %(field)s.") % {"field": label[name]}
        for name in REQUIRED
        if not mapping.get(name)
    ]
    if not mapping.get("department_code") and not mapping.get("department_name_en"):
        problems.append(_("Choose the column with the department’s code or its English name."))
    chosen: dict[int, str] = {}
    for name, columns in mapping.items():
        for index in columns:
            if index >= len(headings):
                problems.append(_("A chosen column is not in the file."))
            elif index in chosen and chosen[index] != name:
                problems.append(
                    _("The column “%(heading)s” is chosen for both %(first)s and %(second)s.")
                    % {"heading": headings[index], "first": label[chosen[index]], "second": label[name]}
                )
            chosen.setdefault(index, name)
    return problems


def build_plan(
    table: Table, mapping: dict[str, list[int]], *, full: bool = False, keep_duplicates=(), rename_departments=()
) -> ImportPlan:
    """Check the file and compare it with the directory.

    ``keep_duplicates``: codes of departments HR chose to create although the portal has one with a close name;
    ``rename_departments``: codes of the portal's departments HR chose to give the names in the file.
    """
    plan = ImportPlan(mapped={name for name, columns in mapping.items() if columns})
    problems = mapping_errors(mapping, table.headings)
    if problems:
        plan.errors = [RowError(0, problem) for problem in problems]
        return plan
    departments = DepartmentResolver(plan, keep_duplicates=keep_duplicates, rename=rename_departments)
    reader = RowReader(plan, table, mapping, departments)
    for offset, cells in enumerate(table.rows):
        reader.read_row(offset + 2, cells)
    departments.finish()
    if not plan.identities and not plan.errors:
        plan.errors.append(RowError(0, _("The file has a heading row but no people.")))
    load_existing(plan)
    check_accounts(plan)
    check_managers(plan)
    if not plan.errors:
        compare(plan, full=full)
    plan.errors.sort(key=lambda error: error.row)
    return plan
