"""Write a checked plan in bulk: a handful of queries per thousand people, so the whole organisation fits in a request.

History rows (django-simple-history) are written in bulk too, so every change to a staff record stays audited.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import Department
from .planning import ImportPlan, NewDepartment, resolved_department

BATCH = 900  # also the size of each "IN (...)" list, under SQLite's old limit of 999 parameters
REASON = "Staff import"


def _set_active(person, active: bool, today) -> None:
    """As User.save does: the day someone is made inactive is kept with it (bulk writes do not call save)."""
    person.is_active = active
    person.left_on = None if active else (person.left_on or today)


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_plan(plan: ImportPlan, *, by) -> None:
    """Create departments and people, update the changed, set managers, make leavers inactive. Caller's transaction."""
    User = get_user_model()
    today = timezone.localdate()
    created = Department.objects.bulk_create(
        [Department(code=new.code, name_en=new.name_en, name_cy=new.name_cy) for new in plan.departments_to_create]
    )
    codes = {department.code: department for department in created}
    for department, name_en in plan.renamed_departments:
        department.name_en = name_en
    Department.objects.bulk_update([department for department, _name in plan.renamed_departments], ["name_en"])

    def department_id(key: str) -> int:
        department = resolved_department(plan, key)
        return codes[department.code].pk if isinstance(department, NewDepartment) else department.pk

    unusable = make_password(None)  # one unusable password for everyone new: they sign in by single sign-on
    newcomers = [
        User(
            username=row.staff_number,
            staff_number=row.staff_number,
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            department_id=department_id(row.department),
            preferred_language=row.preferred_language or "en",
            start_date=row.start_date,
            is_active=True if row.active is None else row.active,
            left_on=None if row.active is None or row.active else today,
            password=unusable,
        )
        for row in plan.new
    ]
    bulk_create_with_history(newcomers, User, batch_size=BATCH, default_user=by, default_change_reason=REASON)

    fields = ["email", "first_name", "last_name", "department"]
    fields += [name for name in ("preferred_language", "start_date") if name in plan.mapped]
    fields += ["is_active", "left_on"] if "active" in plan.mapped else []
    rows_by_number = {row.staff_number: row for row, _changes in plan.changed}
    for chunk in _chunks(list(rows_by_number)):
        people = list(User.objects.filter(staff_number__in=chunk))
        for person in people:
            row = rows_by_number[person.staff_number]
            person.email, person.first_name, person.last_name = row.email, row.first_name, row.last_name
            person.department_id = department_id(row.department)
            if row.preferred_language is not None:
                person.preferred_language = row.preferred_language
            if "start_date" in plan.mapped:
                person.start_date = row.start_date
            if row.active is not None:
                _set_active(person, row.active, today)
        bulk_update_with_history(people, User, fields, batch_size=BATCH, default_user=by, default_change_reason=REASON)

    if "line_manager_staff_number" in plan.mapped:
        _set_managers(plan, by=by)
    deactivate = [person["id"] for person in plan.deactivated]
    for chunk in _chunks(deactivate):
        people = list(User.objects.filter(pk__in=chunk))
        for person in people:
            _set_active(person, False, today)
        bulk_update_with_history(people, User, ["is_active", "left_on"], batch_size=BATCH, default_user=by, default_change_reason=REASON)


def _set_managers(plan: ImportPlan, *, by) -> None:
    User = get_user_model()
    ids = dict(User.objects.filter(staff_number__isnull=False).values_list("staff_number", "id"))
    wanted = {
        row.staff_number: ids.get(row.line_manager_staff_number) if row.line_manager_staff_number else None
        for row in plan.rows
        if row.line_manager_staff_number is not None
    }
    current = dict(User.objects.filter(staff_number__in=list(wanted)).values_list("staff_number", "line_manager_id"))
    changing = [number for number, manager in wanted.items() if current.get(number) != manager]
    for chunk in _chunks(changing):
        people = list(User.objects.filter(staff_number__in=chunk))
        for person in people:
            person.line_manager_id = wanted[person.staff_number]
        bulk_update_with_history(people, User, ["line_manager"], batch_size=BATCH, default_user=by, default_change_reason=REASON)
