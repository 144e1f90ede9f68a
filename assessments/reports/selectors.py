"""Reads for HR: every figure is aggregated in the database, so the number of queries does not grow with staff."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from directory.models import Department
from guidance.models import Principle

from ..models import AttemptQuestion, Cycle
from ..selectors import Status, annotate_status, required_version_number

SMALL_GROUP = 5  # groups with fewer people than this are not shown, so nobody can be singled out

STATUS_FILTERS = {
    Status.COMPLETED: Q(has_completed=True),
    Status.PASSED: Q(has_completed=False, has_passed=True),
    Status.IN_PROGRESS: Q(has_completed=False, has_passed=False, has_attempt=True),
    Status.NOT_STARTED: Q(has_completed=False, has_attempt=False),
    "outstanding": Q(has_completed=False),
}


def people_in_scope() -> QuerySet:
    """Active people from the staff directory (administrators without a staff number are not counted)."""
    return get_user_model().objects.filter(is_active=True, staff_number__isnull=False)


def people_with_status(*, cycle: Cycle, required: int | None = None) -> QuerySet:
    return annotate_status(people_in_scope(), cycle=cycle, required=required)


def _status_counts():
    return {
        "in_scope": Count("pk"),
        "completed": Count("pk", filter=STATUS_FILTERS[Status.COMPLETED]),
        "passed": Count("pk", filter=STATUS_FILTERS[Status.PASSED]),
        "in_progress": Count("pk", filter=STATUS_FILTERS[Status.IN_PROGRESS]),
        "not_started": Count("pk", filter=STATUS_FILTERS[Status.NOT_STARTED]),
    }


def _percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


def completion_by_department(
    *, cycle: Cycle, departments: dict | None = None, required: int | None = None
) -> list[dict]:
    rows = list(
        people_with_status(cycle=cycle, required=required)
        .values("department_id")
        .annotate(**_status_counts())
        .order_by("department_id")
    )
    names = (
        departments
        if departments is not None
        else {department.pk: department for department in Department.objects.all()}
    )
    for row in rows:
        row["department"] = names.get(row["department_id"])
        row["outstanding"] = row["in_scope"] - row["completed"]
        row["percent_complete"] = _percent(row["completed"], row["in_scope"])
    rows.sort(key=lambda row: (row["percent_complete"], str(row["department"] or "")))
    return rows


def totals_of(rows: list[dict], *, cycle: Cycle) -> dict:
    """The whole portal's figures, added up from the department rows (so the people are counted once)."""
    figures = {
        key: sum(row[key] for row in rows) for key in ("in_scope", "completed", "passed", "in_progress", "not_started")
    }
    figures["outstanding"] = figures["in_scope"] - figures["completed"]
    figures["overdue"] = figures["outstanding"] if cycle.is_overdue() else 0
    figures["percent_complete"] = _percent(figures["completed"], figures["in_scope"])
    return figures


def totals(*, cycle: Cycle) -> dict:
    return totals_of(completion_by_department(cycle=cycle), cycle=cycle)


@dataclass
class PrincipleRate:
    principle: Principle
    people: int
    correct: int
    answered: int

    @property
    def suppressed(self) -> bool:
        return self.people < SMALL_GROUP

    @property
    def percent_correct(self) -> int:
        return _percent(self.correct, self.answered)


def first_attempt_rates(
    *, cycle: Cycle, department_id: int | None = None, principles: list | None = None
) -> list[PrincipleRate]:
    """How often people got each principle right on their first attempt: the principles missed most come first."""
    answers = AttemptQuestion.objects.filter(
        attempt__cycle=cycle, attempt__is_first=True, attempt__user__is_active=True
    )
    if department_id is not None:
        answers = answers.filter(attempt__user__department_id=department_id)
    rows = {
        row["question__principle_id"]: row
        for row in answers.values("question__principle_id").annotate(
            answered=Count("pk"),
            correct=Count("pk", filter=Q(is_correct=True)),
            people=Count("attempt__user_id", distinct=True),
        )
    }
    rates = []
    for principle in principles if principles is not None else Principle.objects.order_by("number"):
        row = rows.get(principle.pk, {})
        rates.append(PrincipleRate(principle, row.get("people", 0), row.get("correct", 0), row.get("answered", 0)))
    rates.sort(key=lambda rate: (rate.suppressed, rate.percent_correct, rate.principle.number))
    return rates


def rates_by_department(*, cycle: Cycle, principles: list | None = None, departments: dict | None = None) -> list[dict]:
    """First-attempt rate per principle for every department, in one query; small groups suppressed."""
    rows = (
        AttemptQuestion.objects.filter(attempt__cycle=cycle, attempt__is_first=True, attempt__user__is_active=True)
        .values("attempt__user__department_id", "question__principle_id")
        .annotate(
            answered=Count("pk"),
            correct=Count("pk", filter=Q(is_correct=True)),
            people=Count("attempt__user_id", distinct=True),
        )
    )
    principles = principles if principles is not None else list(Principle.objects.order_by("number"))
    if departments is None:
        departments = {department.pk: department for department in Department.objects.all()}
    table: dict = {}
    for row in rows:
        table.setdefault(row["attempt__user__department_id"], {})[row["question__principle_id"]] = row
    result = []
    for department_id, cells in table.items():
        rates = []
        for principle in principles:
            cell = cells.get(principle.pk, {})
            rates.append(
                PrincipleRate(principle, cell.get("people", 0), cell.get("correct", 0), cell.get("answered", 0))
            )
        result.append({"department": departments.get(department_id), "rates": rates})
    result.sort(key=lambda item: str(item["department"] or ""))
    return result


def staff_list(*, cycle: Cycle, department: str = "", status: str = "", query: str = "") -> QuerySet:
    people = people_with_status(cycle=cycle).select_related("department", "line_manager")
    if department:
        people = people.filter(department__code=department)
    if status in STATUS_FILTERS:
        people = people.filter(STATUS_FILTERS[status])
    if query:
        terms = query.split()
        for term in terms[:5]:
            people = people.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(staff_number__iexact=term)
                | Q(email__icontains=term)
            )
    return people.order_by("last_name", "first_name", "pk")


DASHBOARD_TTL = 60  # seconds: near the due date HR refresh often, and the figures are a minute fresh at worst


def dashboard(*, cycle: Cycle) -> dict:
    """Every figure on the HR dashboard, in a handful of queries, cached for a minute per cycle and language."""
    required = required_version_number()
    key = f"reports:dashboard:{cycle.pk}:{required}"
    figures = cache.get(key)
    if figures is None:
        departments = {department.pk: department for department in Department.objects.all()}
        principles = list(Principle.objects.order_by("number"))
        rows = completion_by_department(cycle=cycle, departments=departments, required=required)
        figures = {
            "departments": rows,
            "totals": totals_of(rows, cycle=cycle),
            "rates": first_attempt_rates(cycle=cycle, principles=principles),
            "department_rates": rates_by_department(cycle=cycle, principles=principles, departments=departments),
            "as_of": timezone.now(),
        }
        cache.set(key, figures, DASHBOARD_TTL)
    return figures
