"""How a cycle is going over time: cumulative completion and overdue, day by day, beside last year's cycle."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import DateField, OuterRef, QuerySet, Subquery, Value
from django.utils import timezone

from assessments.models import Acknowledgement
from assessments.status import annotate_completed_at
from cycles.models import Cycle

LONGEST_AFTER_DUE = 120  # days shown after the due date, so a cycle looked at years later stays readable


@dataclass
class DayFigures:
    day: date
    completed: int
    overdue: int
    last_year_completed: int | None


@dataclass
class Progress:
    cycle: Cycle
    previous: Cycle | None
    start: date
    days: int  # days on the axis, from the opening date
    shown: int  # days with figures so far (up to today)
    people: int
    completed: list[int]  # people completed by the end of each day shown
    overdue: list[int]  # people overdue at the end of each day shown
    last_year: list[int] | None  # the same people completed by the same day of last year's cycle, every axis day

    def percent(self, count: int | None) -> float | None:
        """None for a day with no figure (one still to come), for the charts' gaps."""
        return None if count is None else self.percent_of(count)

    def percent_of(self, count: int) -> float:
        return count * 100 / self.people if self.people else 0

    @property
    def today(self) -> DayFigures | None:
        return self.figures_on(self.shown - 1) if self.shown else None

    def figures_on(self, index: int) -> DayFigures:
        return DayFigures(
            day=self.start + timedelta(days=index),
            completed=self.completed[index],
            overdue=self.overdue[index],
            last_year_completed=self.last_year[index] if self.last_year is not None else None,
        )

    def weekly(self) -> list[DayFigures]:
        """The table under the chart: every seventh day since the cycle opened, and today."""
        indexes = list(range(0, self.shown, 7))
        if self.shown and indexes[-1] != self.shown - 1:
            indexes.append(self.shown - 1)
        return [self.figures_on(index) for index in indexes]


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return Cycle.objects.filter(opens_on__lt=cycle.opens_on).order_by("-opens_on").first()


def completion_over_time(
    *,
    cycle: Cycle,
    people: QuerySet,
    previous: Cycle | None,
    today: date | None = None,
    required: int | None = None,
) -> Progress:
    """One query: for each person, their due date, when they completed this cycle and when they completed last
    year's. ``people`` are the people in scope, from ``annotate_status`` (so ``due_date`` is on them): the same
    people as the dashboard's headline, never the exempt or those who left. Last year's line is for the same people,
    so the two years compare like for like. A closed cycle is drawn up to the day it closed, as it ended."""
    today = today or timezone.localdate()
    if cycle.is_closed:
        today = min(today, timezone.localdate(cycle.closed_at))
    rows = _completion_rows(people, cycle=cycle, previous=previous, required=required)
    start = cycle.opens_on
    end = max(cycle.due_on, min(today, cycle.due_on + timedelta(days=LONGEST_AFTER_DUE)))
    days = (end - start).days + 1
    shown = max(0, min((today - start).days + 1, days))
    completions = [0] * (days + 1)
    overdue_changes = [0] * (days + 1)
    last_year_completions = [0] * (days + 1)

    def index_of(moment) -> int:
        day = timezone.localtime(moment).date() if hasattr(moment, "tzinfo") else moment
        return min(max((day - start).days, 0), days)

    for due, completed_at, previous_at in rows:
        done = index_of(completed_at) if completed_at else days
        completions[done] += 1
        first_overdue = index_of(due) + 1  # overdue from the day after the due date until the day they complete
        if first_overdue < done:
            overdue_changes[first_overdue] += 1
            overdue_changes[done] -= 1
        if previous and previous_at:
            offset = (timezone.localtime(previous_at).date() - previous.opens_on).days
            last_year_completions[min(max(offset, 0), days)] += 1
    return Progress(
        cycle=cycle,
        previous=previous,
        start=start,
        days=days,
        shown=shown,
        people=len(rows),
        completed=_running_total(completions)[:shown],
        overdue=_running_total(overdue_changes)[:shown],
        last_year=_running_total(last_year_completions)[:days] if previous else None,
    )


def _completion_rows(people: QuerySet, *, cycle: Cycle, previous: Cycle | None, required: int | None) -> list[tuple]:
    """(due date, completed this cycle at, first declaration in last year's cycle at) for each person, in one query."""
    last_year = (
        Subquery(
            Acknowledgement.objects.filter(cycle=previous, user=OuterRef("pk"))
            .order_by("created_at")
            .values("created_at")[:1]
        )
        if previous
        else Value(None, output_field=DateField())
    )
    return list(
        annotate_completed_at(people, cycle=cycle, required=required)
        .annotate(previous_at=last_year)
        .values_list("due_date", "completed_at", "previous_at")
    )


def _running_total(changes: list[int]) -> list[int]:
    total, totals = 0, []
    for change in changes:
        total += change
        totals.append(total)
    return totals
