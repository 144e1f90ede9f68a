"""Compare a checked file with the directory: who is new, who changes and how, who becomes inactive."""

from ..models import Department
from .plan import ImportPlan, resolved_department
from .rows import labels


def compare(plan: ImportPlan, *, full: bool) -> None:
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
            current_manager = numbers_by_id.get(person["line_manager_id"]) or ""
            pairs.append(("line_manager_staff_number", current_manager, row.line_manager_staff_number))
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
