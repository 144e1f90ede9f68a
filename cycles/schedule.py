"""The reminder schedule as pure functions of dates, so every rule can be tested with a fixed clock.

A person's steps are: their opening day (the cycle's opening, or a new joiner's start date), each "days before" their
own due date, and the due date itself; then, while overdue, one reminder every ``remind_overdue_every_days``. A step
that was missed (the worker was down that day) is sent at the next run, until a later step replaces it. Nobody gets
more than one email a day: that rule, and "none to the exempt or to those done", are applied by the caller, which
knows who they are.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from .models import Cycle


class Step:
    OPENING = "opening"
    BEFORE = "before"
    DUE = "due"
    OVERDUE = "overdue"

    LABELS = {
        OPENING: _("Cycle open"),
        BEFORE: _("Due soon"),
        DUE: _("Due today"),
        OVERDUE: _("Overdue"),
    }


@dataclass(frozen=True)
class Reminder:
    step: str
    scheduled_on: date
    due_date: date

    @property
    def label(self) -> str:
        return str(Step.LABELS[self.step])

    def days_left(self, today: date) -> int:
        return (self.due_date - today).days


def personal_opening(*, cycle: Cycle, start_date: date | None) -> date:
    """The day the cycle opens for this person: a joiner's first reminder comes on the day they start."""
    return max(cycle.opens_on, start_date) if start_date else cycle.opens_on


def steps_before_due(*, cycle: Cycle, due_date: date, opening: date) -> list[tuple[date, str]]:
    """The dated steps up to the due date, earliest first (steps before the person's opening day are dropped)."""
    steps = []
    if cycle.remind_on_opening:
        steps.append((opening, Step.OPENING))
    for days in cycle.reminder_days_before:
        day = due_date - timedelta(days=days)
        if day > opening or (day == opening and not cycle.remind_on_opening):
            steps.append((day, Step.BEFORE))
    if cycle.remind_on_due_date and due_date >= opening:
        steps.append((due_date, Step.DUE))
    return sorted(set(steps))


def reminder_due(
    *, cycle: Cycle, due_date: date, start_date: date | None, today: date, last_reminded_on: date | None
) -> Reminder | None:
    """The reminder this person should get today, or None. ``last_reminded_on`` is the day of their last reminder
    (or chase) in this cycle."""
    opening = personal_opening(cycle=cycle, start_date=start_date)
    if today < opening:
        return None
    if today > due_date:
        every = cycle.remind_overdue_every_days
        if not every:
            return None
        # The first run after the due date tells someone not reminded since that they are overdue; then one every
        # ``every`` days from the last reminder (or chase).
        if last_reminded_on is None or last_reminded_on < due_date or (today - last_reminded_on).days >= every:
            return Reminder(Step.OVERDUE, today, due_date)
        return None
    passed = [
        (day, step) for day, step in steps_before_due(cycle=cycle, due_date=due_date, opening=opening) if day <= today
    ]
    if not passed:
        return None
    day, step = passed[-1]
    if last_reminded_on is not None and last_reminded_on >= day:
        return None
    return Reminder(step, day, due_date)


def summary_due(*, cycle: Cycle, today: date, last_summary_on: date | None) -> bool:
    """A line manager's summary goes at most every ``manager_summary_every_days`` (the caller checks that someone in
    their team is overdue)."""
    every = cycle.manager_summary_every_days
    if not every:
        return False
    return last_summary_on is None or (today - last_summary_on).days >= every
