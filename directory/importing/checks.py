"""Checks across the whole file, run on every row that has a staff number whatever else is wrong with it:
clashes with other accounts in the directory, unknown managers, people managing themselves and loops of managers.
"""

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from .plan import ImportPlan, RowError, RowIdentity

EXISTING_FIELDS = (
    "id", "username", "staff_number", "email", "first_name", "last_name", "department_id", "line_manager_id",
    "preferred_language", "is_active", "is_staff", "is_superuser", "start_date",
)  # fmt: skip
CHUNK = 2000


def load_existing(plan: ImportPlan) -> None:
    User = get_user_model()
    plan.existing = {
        person["staff_number"]: person
        for person in User.objects.filter(staff_number__isnull=False).values(*EXISTING_FIELDS)
    }


def check_accounts(plan: ImportPlan) -> None:
    """What the database would refuse: a staff number that is someone else's username, a shared email."""
    User = get_user_model()
    new_numbers = sorted({row.staff_number for row in plan.identities if row.staff_number not in plan.existing} - {""})
    taken: set[str] = set()
    for start in range(0, len(new_numbers), CHUNK):
        taken.update(
            User.objects.filter(username__in=new_numbers[start : start + CHUNK]).values_list("username", flat=True)
        )
    emails: dict[str, tuple[int, str]] = {}
    for person_id, email, number in (
        User.objects.annotate(lower=Lower("email")).exclude(email="").values_list("id", "lower", "staff_number")
    ):
        emails.setdefault(email, (person_id, number))
    for row in plan.identities:
        if row.staff_number in taken:
            plan.errors.append(
                RowError(
                    row.row,
                    _(
                        "Staff number %(number)s is already the username of another account. Use a different staff "
                        "number or rename that account in the admin."
                    )
                    % {"number": row.staff_number},
                )
            )
        owner = emails.get(row.email) if row.email else None
        if owner and owner[1] != row.staff_number:
            plan.errors.append(
                RowError(
                    row.row,
                    _("The email address %(email)s belongs to another account (%(other)s).")
                    % {"email": row.email, "other": owner[1] or _("no staff number")},
                )
            )


def check_managers(plan: ImportPlan) -> None:
    """Unknown managers, people managing themselves and loops, for every row at once.

    A staff number on two rows is an error of its own; its first row stands for it in the chain of managers, and
    each later row is checked against that chain too, so a loop is found whichever row HR keep.
    """
    linked = [row for row in plan.identities if row.staff_number and row.line_manager_staff_number is not None]
    first: dict[str, RowIdentity] = {}
    for row in plan.identities:
        if row.staff_number:
            first.setdefault(row.staff_number, row)
    numbers_by_id = {person["id"]: number for number, person in plan.existing.items()}
    managers = {number: numbers_by_id.get(person["line_manager_id"]) for number, person in plan.existing.items()}
    managers.update(
        {
            number: row.line_manager_staff_number or None
            for number, row in first.items()
            if row.line_manager_staff_number is not None
        }
    )
    settled = set()
    for row in linked:
        manager = row.line_manager_staff_number
        if manager == row.staff_number:
            message = _("Staff number %(number)s is given as their own line manager.") % {"number": manager}
            plan.errors.append(RowError(row.row, message))
            if first[manager] is row:
                settled.add(manager)
        elif manager and manager not in first and manager not in plan.existing:
            message = _("The line manager %(number)s is not in the file or the directory.") % {"number": manager}
            plan.errors.append(RowError(row.row, message))
    for row in linked:
        if first[row.staff_number] is row:
            _report_loop_from(plan, row.staff_number, managers, first, settled)
        else:
            _report_repeated_row_in_loop(plan, row, managers)


def _loop_message(number: str, loop: list[str]) -> str:
    return _("Staff number %(number)s is in a loop of line managers: %(loop)s.") % {
        "number": number,
        "loop": " → ".join([*loop, loop[0]]),
    }


def _report_loop_from(plan: ImportPlan, number: str, managers: dict, first: dict, settled: set) -> None:
    """Follow the managers up from one person; a loop is reported once, on each of its rows in the file."""
    path: list[str] = []
    current: str | None = number
    while current and current not in settled and current not in path:
        path.append(current)
        current = managers.get(current)
    if current in path:
        loop = path[path.index(current) :]
        plan.errors.extend(
            RowError(first[member].row, _loop_message(member, loop)) for member in loop if member in first
        )
    settled.update(path)


def _report_repeated_row_in_loop(plan: ImportPlan, row: RowIdentity, managers: dict) -> None:
    """A later row repeating a staff number, whose own manager leads back to that staff number."""
    path, current = [row.staff_number], row.line_manager_staff_number or None
    while current and current not in path and len(path) <= len(managers):
        path.append(current)
        current = managers.get(current)
    if current == row.staff_number and len(path) > 1:
        plan.errors.append(RowError(row.row, _loop_message(row.staff_number, path)))
