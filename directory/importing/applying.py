"""Write a checked plan in bulk: a handful of statements per thousand people, so the whole organisation fits in a request.

New people are created level by level down the management chain, so each is inserted with their line manager
already set; changes are one prepared UPDATE executed for many rows. History rows (django-simple-history) are
written in bulk too, so every change to a staff record stays audited.
"""

from typing import cast

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from ..models import Department
from .departments import NewDepartment
from .plan import ImportPlan, resolved_department

BATCH = 900  # also the size of each "IN (...)" list, under SQLite's old limit of 999 parameters
REASON = "Staff import"


def _set_active(person, active: bool, today) -> None:
    """As User.save does: the day someone is made inactive is kept with it (bulk writes do not call save)."""
    person.is_active = active
    person.left_on = None if active else (person.left_on or today)


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


PLAIN = (
    models.CharField,
    models.BooleanField,
    models.IntegerField,
    models.ForeignKey,
)  # the driver takes these as they are


def _preparers(fields) -> list:
    """One function per field turning a Python value into what the database driver takes (dates remembered)."""
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-thread proxy, for speed

    def remembered(field):
        seen = {}

        def convert(value):
            if value not in seen:
                seen[value] = field.get_db_prep_save(value, database)
            return seen[value]

        return convert

    return [(lambda value: value) if isinstance(field, PLAIN) else remembered(field) for field in fields]


def _execute_many(model, columns: list[str], rows: list[list]) -> None:
    """Insert rows fast: COPY on PostgreSQL (one stream, nothing parsed per row), executemany on SQLite (in-process)."""
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def _insert_people(people: list[dict], *, by) -> dict[str, int]:
    """INSERT new people (dicts of attname: value) and their "created" history rows with executemany.

    No model instance or ORM compiling per row. The columns come from the models, so a field added later is
    written too, with its default. Returns their ids by staff number.
    """
    User = get_user_model()
    fields = [field for field in User._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields if field.attname not in people[0]}
    prepare = list(zip([field.attname for field in fields], _preparers(fields), strict=True))
    rows = [
        [convert(person[name] if name in person else defaults[name]) for name, convert in prepare] for person in people
    ]
    _execute_many(User, [field.column for field in fields], rows)  # type: ignore[misc]  # concrete: all have one
    ids: dict[str, int] = {}
    for chunk in _chunks([person["staff_number"] for person in people]):
        ids.update(User.objects.filter(staff_number__in=chunk).values_list("staff_number", "id"))
    History = get_history_manager_for_model(User).model
    history_fields = [field for field in History._meta.concrete_fields if not field.primary_key]
    extra = {
        "history_date": timezone.now(),
        "history_change_reason": REASON,
        "history_type": "+",
        "history_user_id": by.pk if by else None,
    }
    prepare = list(zip([field.attname for field in history_fields], _preparers(history_fields), strict=True))
    history_rows = []
    for person in people:
        values = {**defaults, **person, **extra, "id": ids[person["staff_number"]]}
        history_rows.append([convert(values[name]) for name, convert in prepare])
    _execute_many(History, [field.column for field in history_fields], history_rows)
    return ids


def _update(people: list, fields: list[str], *, by) -> None:
    """One prepared UPDATE run for every person (executemany), then their history rows in bulk."""
    if not people:
        return
    User = get_user_model()
    model_fields = [cast(models.Field, User._meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(cast(str, field.column))} = %s" for field in model_fields)
    key = cast(str, cast(models.Field, User._meta.pk).column)
    sql = f"UPDATE {quote(User._meta.db_table)} SET {assignments} WHERE {quote(key)} = %s"
    prepare = list(zip([field.attname for field in model_fields], _preparers(model_fields), strict=True))
    rows = [[convert(person.__dict__[name]) for name, convert in prepare] + [person.pk] for person in people]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    history = get_history_manager_for_model(User)
    history.bulk_history_create(people, batch_size=BATCH, default_user=by, default_change_reason=REASON, update=True)


def apply_plan(plan: ImportPlan, *, by) -> None:
    """Create departments and people, update the changed, set managers, make leavers inactive. Caller's transaction."""
    today = timezone.localdate()
    created = Department.objects.bulk_create(
        [Department(code=new.code, name_en=new.name_en, name_cy=new.name_cy) for new in plan.departments_to_create]
    )
    codes = {department.code: department for department in created}
    renamed = []
    for difference in plan.departments_renamed:  # only those HR chose to rename
        department = difference.department
        department.name_en = difference.name_en or department.name_en
        department.name_cy = difference.name_cy or department.name_cy
        renamed.append(department)
    Department.objects.bulk_update(renamed, ["name_en", "name_cy"])

    def department_id(key: str) -> int:
        department = resolved_department(plan, key)
        return codes[department.code].pk if isinstance(department, NewDepartment) else department.pk

    ids = {number: person["id"] for number, person in plan.existing.items()}
    _create_newcomers(plan, ids, department_id, today=today, by=by)
    _update_changed(plan, ids, department_id, today=today, by=by)
    User = get_user_model()
    for chunk in _chunks([person["id"] for person in plan.deactivated]):
        people = list(User.objects.filter(pk__in=chunk))
        for person in people:
            _set_active(person, False, today)
        _update(people, ["is_active", "left_on"], by=by)


def _create_newcomers(plan: ImportPlan, ids: dict, department_id, *, today, by) -> None:
    """Insert new people whose manager exists already, then the next level down, until everyone is in."""
    unusable = make_password(None)  # one unusable password for everyone new: they sign in by single sign-on
    joined = timezone.now()
    waiting = list(plan.new)
    while waiting:
        ready = [row for row in waiting if not row.line_manager_staff_number or row.line_manager_staff_number in ids]
        if not ready:  # cannot happen after the plan's loop check; insert the rest without managers rather than spin
            ready = waiting
        placed = {row.staff_number for row in ready}
        waiting = [row for row in waiting if row.staff_number not in placed]
        people = [
            {
                "username": row.staff_number,
                "staff_number": row.staff_number,
                "email": row.email,
                "first_name": row.first_name,
                "last_name": row.last_name,
                "department_id": department_id(row.department),
                "line_manager_id": ids.get(row.line_manager_staff_number or ""),
                "preferred_language": row.preferred_language or "en",
                "start_date": row.start_date,
                "is_active": True if row.active is None else row.active,
                "left_on": None if row.active is None or row.active else today,
                "password": unusable,
                "date_joined": joined,
            }
            for row in ready
        ]
        ids.update(_insert_people(people, by=by))


def _update_changed(plan: ImportPlan, ids: dict, department_id, *, today, by) -> None:
    User = get_user_model()
    managers = "line_manager_staff_number" in plan.mapped
    fields = ["email", "first_name", "last_name", "department"]
    fields += [name for name in ("preferred_language", "start_date") if name in plan.mapped]
    fields += ["is_active", "left_on"] if "active" in plan.mapped else []
    fields += ["line_manager"] if managers else []
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
            if managers:
                person.line_manager_id = (
                    ids.get(row.line_manager_staff_number) if row.line_manager_staff_number else None
                )
        _update(people, fields, by=by)
