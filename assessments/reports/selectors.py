"""Reads for HR: every figure is aggregated in the database, so the number of queries does not grow with staff."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from guidance.models import Principle
from portal.models import Department

from ..models import Acknowledgement, Attempt, AttemptQuestion, Cycle
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


def people_with_status(*, cycle: Cycle) -> QuerySet:
    return annotate_status(people_in_scope(), cycle=cycle)


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


def totals(*, cycle: Cycle) -> dict:
    figures = people_with_status(cycle=cycle).aggregate(**_status_counts())
    figures["outstanding"] = figures["in_scope"] - figures["completed"]
    figures["overdue"] = figures["outstanding"] if cycle.is_overdue() else 0
    figures["percent_complete"] = _percent(figures["completed"], figures["in_scope"])
    return figures


def completion_by_department(*, cycle: Cycle) -> list[dict]:
    rows = list(
        people_with_status(cycle=cycle).values("department_id").annotate(**_status_counts()).order_by("department_id")
    )
    names = {department.pk: department for department in Department.objects.all()}
    for row in rows:
        row["department"] = names.get(row["department_id"])
        row["outstanding"] = row["in_scope"] - row["completed"]
        row["percent_complete"] = _percent(row["completed"], row["in_scope"])
    rows.sort(key=lambda row: (row["percent_complete"], str(row["department"] or "")))
    return rows


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


def first_attempt_rates(*, cycle: Cycle, department_id: int | None = None) -> list[PrincipleRate]:
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
    for principle in Principle.objects.order_by("number"):
        row = rows.get(principle.pk, {})
        rates.append(PrincipleRate(principle, row.get("people", 0), row.get("correct", 0), row.get("answered", 0)))
    rates.sort(key=lambda rate: (rate.suppressed, rate.percent_correct, rate.principle.number))
    return rates


def rates_by_department(*, cycle: Cycle) -> list[dict]:
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
    principles = list(Principle.objects.order_by("number"))
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


def report_rows(*, cycle: Cycle, outstanding_only: bool = False) -> QuerySet:
    """One row per person in scope, everything the downloads need, from one query."""
    required = required_version_number()
    completing = Acknowledgement.objects.filter(
        cycle=cycle, user=OuterRef("pk"), guidance_version__number__gte=required
    ).order_by("-created_at")
    attempts = Attempt.objects.filter(cycle=cycle, user=OuterRef("pk"), status=Attempt.Status.SUBMITTED)
    people = people_with_status(cycle=cycle)
    if outstanding_only:
        people = people.filter(has_completed=False)
    return (
        people.annotate(
            acknowledged_at=Subquery(completing.values("created_at")[:1]),
            acknowledged_version=Subquery(completing.values("guidance_version__number")[:1]),
            acknowledged_language=Subquery(completing.values("language")[:1]),
            reference=Subquery(completing.values("reference")[:1]),
            best_score=Subquery(
                attempts.order_by().values("user").annotate(best=Max("score")).values("best")[:1],
                output_field=IntegerField(),
            ),
            attempt_count=Coalesce(
                Subquery(
                    attempts.order_by().values("user").annotate(count=Count("pk")).values("count")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            has_open_attempt=Exists(
                Attempt.objects.filter(cycle=cycle, user=OuterRef("pk"), status=Attempt.Status.IN_PROGRESS)
            ),
        )
        .select_related("department", "line_manager")
        .order_by("department__code", "last_name", "first_name", "pk")
    )
