"""What checking a staff list produces: the rows that can be saved, every problem found, and what would change."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import Department
from .departments import NameDifference, NewDepartment


@dataclass
class RowError:
    row: int  # as a spreadsheet numbers it: the heading is row 1; 0 for the whole file
    message: str

    def __str__(self):
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class RowIdentity:
    """Who a row is about, kept for every row with or without errors, so checks across rows see them all."""

    row: int
    staff_number: str
    email: str  # lower case; empty when missing or not a valid address
    line_manager_staff_number: str | None  # None when the file has no line manager column


@dataclass
class StaffRow:
    row: int
    staff_number: str
    email: str
    first_name: str
    last_name: str
    department: str  # key into ImportPlan.departments
    line_manager_staff_number: str | None
    preferred_language: str | None
    start_date: object
    active: bool | None


@dataclass
class ImportPlan:
    mapped: set[str] = field(default_factory=set)
    rows: list[StaffRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    identities: list[RowIdentity] = field(default_factory=list)
    departments: dict[str, Department | NewDepartment] = field(default_factory=dict)
    name_differences: list[NameDifference] = field(default_factory=list)
    new: list[StaffRow] = field(default_factory=list)
    changed: list[tuple[StaffRow, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    deactivated: list[dict] = field(default_factory=list)
    guests_skipped: int = 0
    existing: dict[str, dict] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def new_departments(self) -> list[NewDepartment]:
        return [d for d in self.departments.values() if isinstance(d, NewDepartment) and not d.duplicate_of]

    @property
    def likely_duplicates(self) -> list[NewDepartment]:
        return [d for d in self.departments.values() if isinstance(d, NewDepartment) and d.duplicate_of]

    @property
    def departments_to_create(self) -> list[NewDepartment]:
        return [
            d for d in self.departments.values() if isinstance(d, NewDepartment) and not (d.duplicate_of and d.merged)
        ]

    @property
    def departments_renamed(self) -> list[NameDifference]:
        return [difference for difference in self.name_differences if difference.renamed]

    @property
    def department_decisions(self) -> int:
        """How many choices about departments the import made that HR can change."""
        return len(self.likely_duplicates) + len(self.name_differences)

    @property
    def made_inactive_in_file(self) -> list[StaffRow]:
        """People active now whom the file's Active column makes inactive."""
        return [
            row
            for row, _changes in self.changed
            if row.active is False and self.existing[row.staff_number]["is_active"]
        ]


def resolved_department(plan: ImportPlan, key: str):
    department = plan.departments[key]
    if isinstance(department, NewDepartment) and department.duplicate_of and department.merged:
        return department.duplicate_of
    return department
