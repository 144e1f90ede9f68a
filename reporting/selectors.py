"""Reads for HR: every figure is aggregated in the database, so the number of queries does not grow with staff."""

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.utils import timezone

from assessments.models import AttemptQuestion
from assessments.status import (
    NOT_COUNTED,
    PersonStatus,
    annotate_status,
    counted_people,
    people_in_report,
    placement,
    required_version_number,
)
from cycles.models import Cycle
from directory.models import Department
from guidance.models import Principle
from portal import generations

from .progress import completion_over_time

SMALL_GROUP = 5  # groups with fewer people than this are not shown, so nobody can be singled out

OUTSTANDING = "outstanding"  # the staff list's filter for everyone not completed, whatever else their status

STATUS_FILTERS = {
    **{status.value: Q(status=status) for status in PersonStatus},
    OUTSTANDING: Q(status__in=PersonStatus.outstanding()),
}

COUNTED = [status.value for status in PersonStatus if status not in NOT_COUNTED]
SET_ASIDE = [status.value for status in NOT_COUNTED]  # exempt and left: shown beside the figures, not in them


def _status_counts():
    return {
        "in_scope": Count("pk", filter=Q(status__in=COUNTED)),
        **{status: Count("pk", filter=STATUS_FILTERS[status]) for status in (*COUNTED, *SET_ASIDE)},
    }


def _percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


def completion_by_department(
    *, cycle: Cycle, departments: dict | None = None, required: int | None = None, today: date | None = None
) -> list[dict]:
    # Everyone the cycle covers and everyone who left it, so the leavers are counted beside the figures in the same query.
    rows = list(
        annotate_status(people_in_report(cycle=cycle), cycle=cycle, required=required, today=today)
        .values("cycle_department_id")
        .annotate(**_status_counts())
        .order_by("cycle_department_id")
    )
    names = (
        departments
        if departments is not None
        else {department.pk: department for department in Department.objects.all()}
    )
    for row in rows:
        row["department_id"] = row.pop("cycle_department_id")
        row["department"] = names.get(row["department_id"])
        row[OUTSTANDING] = row["in_scope"] - row[PersonStatus.COMPLETED]
        row["percent_complete"] = _percent(row["completed"], row["in_scope"])
    rows.sort(key=lambda row: (row["percent_complete"], str(row["department"] or "")))
    return rows


def figures_of(people: QuerySet) -> dict:
    """The same figures as a department row, for any group of people from ``annotate_status`` (a line manager's
    team, a filtered staff list): one aggregate query, the same definitions."""
    figures = people.aggregate(**_status_counts())
    figures[OUTSTANDING] = figures["in_scope"] - figures[PersonStatus.COMPLETED]
    figures["percent_complete"] = _percent(figures["completed"], figures["in_scope"])
    return figures


def totals_of(rows: list[dict]) -> dict:
    """The whole portal's figures, added up from the department rows (so the people are counted once)."""
    figures = {key: sum(row[key] for row in rows) for key in ("in_scope", *COUNTED, *SET_ASIDE)}
    figures[OUTSTANDING] = figures["in_scope"] - figures[PersonStatus.COMPLETED]
    figures["percent_complete"] = _percent(figures["completed"], figures["in_scope"])
    figures["by_status"] = [(status, figures[status]) for status in COUNTED]
    return figures


@dataclass(frozen=True)
class PrincipleRate:
    """A principle's first-attempt figures for one group of people. A group of fewer than ``SMALL_GROUP`` people
    carries no counts and no percentages at all (only its size), so no page, chart or download can show them."""

    principle: Principle
    people: int
    correct: int | None = None
    answered: int | None = None
    missed: int | None = None  # people who got at least one question on the principle wrong

    @property
    def suppressed(self) -> bool:
        return self.correct is None

    @property
    def percent_correct(self) -> int | None:
        if self.correct is None or self.answered is None:  # suppressed: a group too small to show
            return None
        return _percent(self.correct, self.answered)

    @property
    def percent_missed(self) -> int | None:
        return None if self.missed is None else _percent(self.missed, self.people)


def _rate_counts():
    return {
        "answered": Count("pk"),
        "correct": Count("pk", filter=Q(is_correct=True)),
        "people": Count("attempt__user_id", distinct=True),
        "missed": Count("attempt__user_id", distinct=True, filter=Q(is_correct=False)),
    }


def _rate(principle, row: dict) -> PrincipleRate:
    """The figures of one group, suppressed here (never later, in a template) when the group is small."""
    people = row.get("people", 0)
    if people < SMALL_GROUP:
        return PrincipleRate(principle, people)
    return PrincipleRate(principle, people, row.get("correct", 0), row.get("answered", 0), row.get("missed", 0))


def first_answers(*, cycle: Cycle) -> QuerySet:
    """The answers on first attempts of the people in the cycle's figures, each with ``answer_department_id``: for a
    closed cycle, those of the people it had when it closed, in the departments they were in then."""
    answers = AttemptQuestion.objects.filter(attempt__cycle=cycle, attempt__is_first=True)
    if not cycle.is_closed:
        return answers.filter(attempt__user__is_active=True).annotate(
            answer_department_id=F("attempt__user__department_id")
        )
    standing = FilteredRelation(
        "attempt__user__standings_at_close", condition=Q(attempt__user__standings_at_close__cycle=cycle)
    )
    return (
        answers.annotate(standing=standing)
        .filter(standing__isnull=False)
        .exclude(standing__status=PersonStatus.LEFT)
        .annotate(answer_department_id=F("standing__department_id"))
    )


def first_attempt_rates(
    *, cycle: Cycle, department_id: int | None = None, principles: list | None = None
) -> list[PrincipleRate]:
    """How often people got each principle right on their first attempt: the principles missed most come first."""
    answers = first_answers(cycle=cycle)
    if department_id is not None:
        answers = answers.filter(answer_department_id=department_id)
    rows = {
        row["question__principle_id"]: row
        for row in answers.values("question__principle_id").annotate(**_rate_counts())
    }
    in_order = principles if principles is not None else list(Principle.objects.order_by("number"))
    return [_rate(principle, rows.get(principle.pk, {})) for principle in in_order]


def overall_rates(department_counts: dict, *, principles: list) -> list[PrincipleRate]:
    """The whole portal's first-attempt rates, added up from the departments' counts (everyone is in one
    department), so the dashboard needs no second pass over the answers. In principle order, like
    ``first_attempt_rates``."""
    totals = {principle.pk: {"people": 0, "correct": 0, "answered": 0, "missed": 0} for principle in principles}
    for cells in department_counts.values():
        for principle_id, row in cells.items():
            if principle_id in totals:
                for key, total in totals[principle_id].items():
                    totals[principle_id][key] = total + row[key]
    return [_rate(principle, totals[principle.pk]) for principle in principles]


def rate_counts_by_department(*, cycle: Cycle) -> dict:
    """The raw first-attempt counts per department and principle, in one query: {department id: {principle id:
    counts}}. Only for adding up: what is shown goes through ``_rate``."""
    rows = (
        first_answers(cycle=cycle).values("answer_department_id", "question__principle_id").annotate(**_rate_counts())
    )
    table: dict = {}
    for row in rows:
        table.setdefault(row["answer_department_id"], {})[row["question__principle_id"]] = row
    return table


def rates_by_department(
    *, cycle: Cycle, principles: list | None = None, departments: dict | None = None, counts: dict | None = None
) -> list[dict]:
    """First-attempt rate per principle for every department; small groups suppressed."""
    counts = counts if counts is not None else rate_counts_by_department(cycle=cycle)
    principles = principles if principles is not None else list(Principle.objects.order_by("number"))
    if departments is None:
        departments = {department.pk: department for department in Department.objects.all()}
    result = []
    for department_id, cells in counts.items():
        rates = [_rate(principle, cells.get(principle.pk, {})) for principle in principles]
        result.append({"department": departments.get(department_id), "rates": rates})
    result.sort(key=lambda item: str(item["department"] or ""))
    return result


def shown_rates(department_rates: list[dict]) -> tuple[list[dict], int]:
    """The departments with enough people to show, and how many are held back (each attempt covers every principle,
    so a department is either shown or held back as a whole)."""
    shown = [row for row in department_rates if not all(rate.suppressed for rate in row["rates"])]
    return shown, len(department_rates) - len(shown)


def staff_list(*, cycle: Cycle, department: str = "", status: str = "", query: str = "") -> QuerySet:
    # Everyone the downloads list: the cycle's people and those who have left it (the "Left" filter finds them).
    people = annotate_status(people_in_report(cycle=cycle), cycle=cycle)
    if department:
        people = people.filter(**{f"{placement(cycle=cycle)}department__code": department})
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


def place_people(people: Iterable) -> Iterable:
    """Adds ``cycle_department`` and ``cycle_manager`` to each person of a page of the staff list (where they sat for
    the cycle: today, or when it closed), in two queries whatever the page's size."""
    departments = Department.objects.in_bulk({person.cycle_department_id for person in people} - {None})
    managers = get_user_model().objects.in_bulk({person.cycle_manager_id for person in people} - {None})
    for person in people:
        person.cycle_department = departments.get(person.cycle_department_id)
        person.cycle_manager = managers.get(person.cycle_manager_id)
    return people


DASHBOARD_TTL = 60  # seconds: a backstop; anything that changes the figures forgets them at once (forget_dashboard)
GENERATION = "reporting:dashboard"  # the shared generation (portal.generations) that retires cached figures


def dashboard_cache_key(*, cycle: Cycle, required: int, today) -> str:
    generation = generations.current(GENERATION)
    return f"reports:dashboard:{generation}:{cycle.pk}:{required}:{today.isoformat()}"


# The figures as this process last read them, by key, so a page view does not unpickle them from the cache (or fetch
# them from Redis) every time; the key carries the shared generation, so a change anywhere retires them here too.
_FIGURES_HERE: dict[str, tuple[float, dict]] = {}
_FIGURES_HERE_KEPT = 32


def _figures_here(key: str) -> dict | None:
    entry = _FIGURES_HERE.get(key)
    return entry[1] if entry and entry[0] > time.monotonic() else None


def _keep_here(key: str, figures: dict) -> None:
    if len(_FIGURES_HERE) >= _FIGURES_HERE_KEPT:
        _FIGURES_HERE.clear()
    age = (timezone.now() - figures["as_of"]).total_seconds()
    _FIGURES_HERE[key] = (time.monotonic() + max(0.0, DASHBOARD_TTL - age), figures)


def forget_dashboard() -> None:
    """Every cached dashboard is stale: an import, a declaration, an attempt or an exemption changed the figures.
    Advancing the generation (one row in the database every process reads) retires all cycles' figures at once, in
    every process, with or without Redis. Call it once the change is committed (``transaction.on_commit``)."""
    generations.advance(GENERATION)


def dashboard(*, cycle: Cycle, previous: Cycle | None = None) -> dict:
    """Every figure on the HR dashboard, in a handful of queries, cached per cycle until something changes them.
    ``previous`` is last year's cycle, for the comparison in the chart of completion over time.

    The page drawn from them is cached as well, keyed by their ``as_of``, so new figures give a new page."""
    required = required_version_number()
    today = timezone.localdate()
    key = dashboard_cache_key(cycle=cycle, required=required, today=today) + f":{previous.pk if previous else 0}"
    figures = _figures_here(key)
    if figures is not None:
        return figures  # read-only: the page and its charts only read them
    figures = cache.get(key)
    if figures is None:
        departments = {department.pk: department for department in Department.objects.all()}
        principles = list(Principle.objects.order_by("number"))
        rows = completion_by_department(cycle=cycle, departments=departments, required=required, today=today)
        counts = rate_counts_by_department(cycle=cycle)
        department_rates = rates_by_department(
            cycle=cycle, principles=principles, departments=departments, counts=counts
        )
        figures = {
            "departments": rows,
            "totals": totals_of(rows),
            "rates": overall_rates(counts, principles=principles),
            "department_rates": department_rates,
            "progress": completion_over_time(
                cycle=cycle,
                people=counted_people(cycle=cycle, required=required, today=today),
                previous=previous,
                required=required,
                today=today,
            ),
            "as_of": timezone.now(),
            "missing_welsh": sorted((d for d in departments.values() if not d.name_cy), key=lambda d: d.name_en),
        }
        cache.set(key, figures, DASHBOARD_TTL)
    _keep_here(key, figures)
    return figures
