"""Which department each row belongs to, and every decision about departments the import makes for HR to see.

A department is found by its code, else by its name. Whatever is not certain becomes a decision HR can change on
the preview (or on the command line): a name close to an existing department's but not the same, an unknown code
whose name an existing department has, and a known code whose name in the file differs from the portal's.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import Department
from . import values


@dataclass
class NewDepartment:
    code: str  # from the file, or made from the name once every row is read
    name_en: str
    name_cy: str
    first_row: int
    code_from_file: bool = True
    duplicate_of: Department | None = None  # an existing department with the same or a close name, for HR to decide
    merged: bool = True  # a likely duplicate is treated as the existing department unless HR say otherwise


@dataclass
class NameDifference:
    """A department the portal has whose name in the file is not the portal's: kept unless HR choose the file's."""

    department: Department
    name_en: str  # as in the file; empty where the file has none, and then the portal's stays
    name_cy: str
    first_row: int
    renamed: bool = False

    @property
    def names_in_file(self) -> str:
        return " / ".join(name for name in (self.name_en, self.name_cy) if name)


class DepartmentResolver:
    def __init__(self, plan, *, keep_duplicates=(), rename=()):
        self.plan = plan
        self.keep_duplicates = {code.upper() for code in keep_duplicates}
        self.rename = {code.upper() for code in rename}
        self.names_seen: dict[str, tuple[str, int]] = {}
        self.by_code = {department.code.upper(): department for department in Department.objects.all()}
        self.by_name: dict[str, Department] = {}
        for department in self.by_code.values():
            for name in (department.name_en, department.name_cy):
                if name:
                    self.by_name.setdefault(values.department_key(name), department)

    def resolve(self, code: str, name_en: str, name_cy: str, row: int, errors: list[str]) -> str:
        """The key into plan.departments for a row's department; adds to ``errors`` what is wrong with it."""
        if not code and not name_en:
            errors.append(_("The department is empty."))
            return ""
        key = code.upper() if code else "name:" + values.department_key(name_en)
        if code and name_en:
            first = self.names_seen.setdefault(key, (name_en, row))
            if first[0] != name_en:
                errors.append(
                    _("Department %(code)s is called “%(name)s” on row %(other)s.")
                    % {"code": code, "name": first[0], "other": first[1]}
                )
        if key in self.plan.departments:
            return key
        similar = self.by_name.get(values.department_key(name_en)) if name_en else None
        if code and code.upper() in self.by_code:
            self._note_difference(self.by_code[code.upper()], name_en, name_cy, row)
            self.plan.departments[key] = self.by_code[code.upper()]
        elif code and not name_en:
            errors.append(_("Department %(code)s is new: give its English name.") % {"code": code})
            return ""
        elif not code and similar and similar.name_en == name_en:
            self._note_difference(similar, "", name_cy, row)
            self.plan.departments[key] = similar
        else:
            self.plan.departments[key] = NewDepartment(
                code=code,
                name_en=name_en,
                name_cy=name_cy,
                first_row=row,
                code_from_file=bool(code),
                duplicate_of=similar,
            )
        return key

    def _note_difference(self, department: Department, name_en: str, name_cy: str, row: int) -> None:
        if (name_en and name_en != department.name_en) or (name_cy and name_cy != department.name_cy):
            self.plan.name_differences.append(
                NameDifference(
                    department=department,
                    name_en=name_en,
                    name_cy=name_cy,
                    first_row=row,
                    renamed=department.code.upper() in self.rename,
                )
            )

    def finish(self) -> None:
        """Codes for departments the file names without one, clear of every code in the portal and in the file."""
        new = [d for d in self.plan.departments.values() if isinstance(d, NewDepartment)]
        taken = set(self.by_code) | {d.code.upper() for d in new if d.code_from_file}
        for department in sorted(new, key=lambda d: d.first_row):
            if not department.code_from_file:
                department.code = values.derived_code(department.name_en, taken)
            department.merged = department.code.upper() not in self.keep_duplicates
