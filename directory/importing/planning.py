"""Check every row of a staff list against the mapping and the directory, and work out what would change.

Nothing here writes. Every problem is collected in one pass, manager problems and anything the database would
refuse included, so what passes the preview also saves.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ..models import Department
from . import values
from .columns import FIELDS, REQUIRED
from .reading import Table

GUEST = "guest"


@dataclass
class RowError:
    row: int  # as a spreadsheet numbers it: the heading is row 1; 0 for the whole file
    message: str

    def __str__(self):
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class NewDepartment:
    code: str
    name_en: str
    name_cy: str
    first_row: int
    duplicate_of: Department | None = None  # an existing department with the same name, for HR to decide
    merged: bool = True  # a likely duplicate is treated as the existing department unless HR says otherwise


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
    departments: dict[str, Department | NewDepartment] = field(default_factory=dict)
    renamed_departments: list[tuple[Department, str]] = field(default_factory=list)
    new: list[StaffRow] = field(default_factory=list)
    changed: list[tuple[StaffRow, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    deactivated: list[dict] = field(default_factory=list)
    guests_skipped: int = 0
    existing: dict[str, dict] = field(default_factory=dict)
    # (row, staff number, line manager's staff number) for every row with a staff number, errors or not,
    # so manager problems are found in the same pass as the rest.
    manager_links: list[tuple[int, str, str | None]] = field(default_factory=list)

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


def limits() -> dict[str, int]:
    User = get_user_model()
    return {
        "staff_number": User._meta.get_field("staff_number").max_length,
        "email": User._meta.get_field("email").max_length,
        "first_name": User._meta.get_field("first_name").max_length,
        "last_name": User._meta.get_field("last_name").max_length,
        "department_code": Department._meta.get_field("code").max_length,
        "department_name_en": Department._meta.get_field("name_en").max_length,
        "department_name_cy": Department._meta.get_field("name_cy").max_length,
        "line_manager_staff_number": User._meta.get_field("staff_number").max_length,
    }


def labels() -> dict[str, str]:
    return {field.name: str(field.label) for field in FIELDS}


def mapping_errors(mapping: dict[str, list[int]], headings: list[str]) -> list[str]:
    label = labels()
    problems = [
        _("Choose the column that holds: %(field)s.") % {"field": label[name]} for name in REQUIRED if not mapping.get(name)
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


def build_plan(table: Table, mapping: dict[str, list[int]], *, full: bool = False, keep_duplicates=()) -> ImportPlan:
    """Check the file and compare it with the directory. ``keep_duplicates``: codes HR chose to create anyway."""
    plan = ImportPlan(mapped={name for name, columns in mapping.items() if columns})
    problems = mapping_errors(mapping, table.headings)
    if problems:
        plan.errors = [RowError(0, problem) for problem in problems]
        return plan
    context = _Context(plan, table, mapping, set(keep_duplicates))
    for offset, cells in enumerate(table.rows):
        context.read_row(offset + 2, cells)
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(0, _("The file has a heading row but no people.")))
    context.check_against_directory()
    _check_managers(plan)
    if not plan.errors:
        _compare(plan, full=full)
    plan.errors.sort(key=lambda error: error.row)
    return plan


class _Context:
    def __init__(self, plan: ImportPlan, table: Table, mapping, keep_duplicates: set[str]):
        self.plan, self.table, self.mapping = plan, table, mapping
        self.keep_duplicates = {code.upper() for code in keep_duplicates}
        self.limits, self.labels = limits(), labels()
        self.seen_numbers: dict[str, int] = {}
        self.seen_emails: dict[str, int] = {}
        self.department_names: dict[str, tuple[str, int]] = {}
        self.by_code = {department.code.upper(): department for department in Department.objects.all()}
        self.by_name = {}
        for department in self.by_code.values():
            for name in (department.name_en, department.name_cy):
                if name:
                    self.by_name.setdefault(values.department_key(name), department)
        self.taken_codes = set(self.by_code)

    def value(self, cells: list[str], name: str) -> str:
        for index in self.mapping.get(name, ()):
            if index < len(cells) and cells[index]:
                return cells[index]
        return ""

    def read_row(self, row: int, cells: list[str]) -> None:
        if not any(cells):
            return
        errors = []
        if len(cells) > len(self.table.headings) and any(cells[len(self.table.headings) :]):
            errors.append(
                _(
                    "The row has more cells than there are headings: a value probably holds the separator without "
                    "quotes around it, so the columns have shifted."
                )
            )
        raw = {name: self.value(cells, name) for name in self.mapping}
        if raw.get("user_type", "").strip().lower() == GUEST:
            self.plan.guests_skipped += 1
            return
        for name, text in raw.items():
            errors.extend(values.check_text(text, self.labels[name]))
        for name in REQUIRED:
            if not raw.get(name):
                errors.append(_("%(field)s is empty.") % {"field": self.labels[name]})
        for name, limit in self.limits.items():
            if len(raw.get(name, "")) > limit:
                errors.append(
                    _("%(field)s is longer than %(limit)s characters.") % {"field": self.labels[name], "limit": limit}
                )
        number = raw.get("staff_number", "")
        if number:
            other = self.seen_numbers.setdefault(number, row)
            if other != row:
                errors.append(_("Staff number %(number)s is also on row %(other)s.") % {"number": number, "other": other})
        email = raw.get("email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("“%(email)s” is not a valid email address.") % {"email": raw["email"]})
            other = self.seen_emails.setdefault(email, row)
            if other != row:
                errors.append(
                    _("The email address %(email)s is also on row %(other)s.") % {"email": email, "other": other}
                )
        parsed = {}
        for name, parse in (("preferred_language", values.language), ("active", values.yes_no), ("start_date", values.date)):
            if name in self.mapping:
                try:
                    parsed[name] = parse(raw[name]) if raw[name] or name == "start_date" else None
                except values.BadValue as error:
                    errors.append(str(error))
        department = self.department(raw, row, errors)
        if number:
            manager = raw.get("line_manager_staff_number") if "line_manager_staff_number" in self.mapping else None
            self.plan.manager_links.append((row, number, manager))
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
                line_manager_staff_number=raw.get("line_manager_staff_number") if "line_manager_staff_number" in self.mapping else None,
                preferred_language=parsed.get("preferred_language"),
                start_date=parsed.get("start_date"),
                active=parsed.get("active"),
            )
        )

    def department(self, raw: dict, row: int, errors: list[str]) -> str:
        code, name_en, name_cy = (raw.get(name, "") for name in ("department_code", "department_name_en", "department_name_cy"))
        if not code and not name_en:
            errors.append(_("The department is empty."))
            return ""
        key = code.upper() if code else "name:" + values.department_key(name_en)
        if code and name_en:
            first = self.department_names.setdefault(key, (name_en, row))
            if first[0] != name_en:
                errors.append(
                    _("Department %(code)s is called “%(name)s” on row %(other)s.")
                    % {"code": code, "name": first[0], "other": first[1]}
                )
        if key in self.plan.departments:
            return key
        if code and code.upper() in self.by_code:
            existing = self.by_code[code.upper()]
            if name_en and name_en != existing.name_en:
                self.plan.renamed_departments.append((existing, name_en))
            self.plan.departments[key] = existing
        elif not code and values.department_key(name_en) in self.by_name:
            self.plan.departments[key] = self.by_name[values.department_key(name_en)]
        elif code and not name_en:
            errors.append(_("Department %(code)s is new: give its English name.") % {"code": code})
            return ""
        else:
            new = NewDepartment(
                code=code or values.derived_code(name_en, self.taken_codes),
                name_en=name_en,
                name_cy=name_cy,
                first_row=row,
                duplicate_of=self.by_name.get(values.department_key(name_en)),
            )
            new.merged = new.code.upper() not in self.keep_duplicates
            self.plan.departments[key] = new
        return key

    def check_against_directory(self) -> None:
        """What the database would refuse: a staff number that is someone else's username, a shared email."""
        User = get_user_model()
        numbers = [row.staff_number for row in self.plan.rows]
        existing = {
            person["staff_number"]: person
            for person in User.objects.filter(staff_number__isnull=False).values(
                "id", "username", "staff_number", "email", "first_name", "last_name", "department_id",
                "line_manager_id", "preferred_language", "is_active", "is_staff", "is_superuser", "start_date",
            )
        }  # fmt: skip
        self.plan.existing = existing
        new_numbers = [number for number in numbers if number not in existing]
        taken = {}
        for start in range(0, len(new_numbers), 2000):
            chunk = new_numbers[start : start + 2000]
            taken.update(User.objects.filter(username__in=chunk).values_list("username", "staff_number"))
        emails = {}
        for person_id, email, number in User.objects.annotate(lower=Lower("email")).exclude(email="").values_list(
            "id", "lower", "staff_number"
        ):
            emails.setdefault(email, (person_id, number))
        for row in self.plan.rows:
            if row.staff_number in taken:
                self.plan.errors.append(
                    RowError(
                        row.row,
                        _("Staff number %(number)s is already the username of another account. Use a different staff number or rename that account in the admin.")
                        % {"number": row.staff_number},
                    )
                )
            owner = emails.get(row.email)
            if owner and owner[1] != row.staff_number:
                self.plan.errors.append(
                    RowError(
                        row.row,
                        _("The email address %(email)s belongs to another account (%(other)s).")
                        % {"email": row.email, "other": owner[1] or _("no staff number")},
                    )
                )


def _check_managers(plan: ImportPlan) -> None:
    """Unknown managers, people managing themselves and loops of managers, for every row at once."""
    numbers_by_id = {person["id"]: number for number, person in plan.existing.items()}
    managers = {
        number: numbers_by_id.get(person["line_manager_id"]) for number, person in plan.existing.items()
    }
    in_file = {number for _row, number, _manager in plan.manager_links}
    bad = set()
    for row, number, manager in plan.manager_links:
        if manager is None:
            continue
        if manager == number:
            plan.errors.append(RowError(row, _("Staff number %(number)s is given as their own line manager.") % {"number": manager}))
            bad.add(number)
        elif manager and manager not in in_file and manager not in plan.existing:
            plan.errors.append(
                RowError(row, _("The line manager %(number)s is not in the file or the directory.") % {"number": manager})
            )
            bad.add(number)
        managers[number] = manager or None
    rows_by_number = {number: row for row, number, _manager in plan.manager_links}
    settled: set[str] = set(bad)
    for _row, number, _manager in plan.manager_links:
        path, current = [], number
        while current and current not in settled and current not in path:
            path.append(current)
            current = managers.get(current)
        if current in path:
            loop = path[path.index(current) :]
            for number in loop:
                if number in rows_by_number:
                    plan.errors.append(
                        RowError(
                            rows_by_number[number],
                            _("Staff number %(number)s is in a loop of line managers: %(loop)s.")
                            % {"number": number, "loop": " → ".join([*loop, loop[0]])},
                        )
                    )
        settled.update(path)


def _compare(plan: ImportPlan, *, full: bool) -> None:
    numbers_by_id = {person["id"]: number for number, person in plan.existing.items()}
    label = labels()
    for row in plan.rows:
        person = plan.existing.get(row.staff_number)
        if person is None:
            plan.new.append(row)
            continue
        department = resolved_department(plan, row.department)
        pairs = [
            ("email", person["email"].lower(), row.email),
            ("first_name", person["first_name"], row.first_name),
            ("last_name", person["last_name"], row.last_name),
            ("department_code", person["department_id"], department.pk if isinstance(department, Department) else 0),
        ]
        if row.line_manager_staff_number is not None:
            pairs.append(("line_manager_staff_number", numbers_by_id.get(person["line_manager_id"]) or "", row.line_manager_staff_number))
        if row.preferred_language is not None:
            pairs.append(("preferred_language", person["preferred_language"], row.preferred_language))
        if "start_date" in plan.mapped:
            pairs.append(("start_date", person["start_date"], row.start_date))
        if row.active is not None:
            pairs.append(("active", person["is_active"], row.active))
        changes = [label[name] for name, old, new in pairs if old != new]
        if changes:
            plan.changed.append((row, changes))
        else:
            plan.unchanged += 1
    if full:
        in_file = {row.staff_number for row in plan.rows}
        plan.deactivated = [
            person
            for number, person in sorted(plan.existing.items())
            if number not in in_file and person["is_active"] and not person["is_staff"] and not person["is_superuser"]
        ]


def resolved_department(plan: ImportPlan, key: str):
    department = plan.departments[key]
    if isinstance(department, NewDepartment) and department.duplicate_of and department.merged:
        return department.duplicate_of
    return department
