"""The reminder schedule with a fixed clock: which reminder goes on which day (pure date rules, no database)."""

from datetime import date, timedelta

import pytest

from cycles.models import Cycle
from cycles.schedule import Step, reminder_due, summary_due

OPENS, DUE = date(2026, 4, 1), date(2026, 6, 30)


def a_cycle(**settings):
    return Cycle(name="2026–27", opens_on=OPENS, due_on=DUE, **settings)


def run_days(cycle, *, first, last, due=DUE, start=None, reminded=None):
    """Run the schedule every day from ``first`` to ``last`` as the worker would, recording each reminder sent."""
    sent = {}
    last_on = reminded
    day = first
    while day <= last:
        reminder = reminder_due(cycle=cycle, due_date=due, start_date=start, today=day, last_reminded_on=last_on)
        if reminder:
            sent[day] = reminder.step
            last_on = day
        day += timedelta(days=1)
    return sent


def test_default_schedule_opening_14_and_3_days_before_on_the_due_date_then_weekly():
    sent = run_days(a_cycle(), first=OPENS - timedelta(days=5), last=DUE + timedelta(days=22))
    assert sent == {
        OPENS: Step.OPENING,
        DUE - timedelta(days=14): Step.BEFORE,
        DUE - timedelta(days=3): Step.BEFORE,
        DUE: Step.DUE,
        DUE + timedelta(days=7): Step.OVERDUE,
        DUE + timedelta(days=14): Step.OVERDUE,
        DUE + timedelta(days=21): Step.OVERDUE,
    }


def test_a_joiner_is_first_reminded_on_their_start_date_and_counted_from_their_own_due_date():
    start = date(2026, 6, 20)
    own_due = start + timedelta(days=28)
    sent = run_days(a_cycle(), first=OPENS, last=own_due + timedelta(days=8), due=own_due, start=start)
    assert sent == {
        start: Step.OPENING,
        own_due - timedelta(days=14): Step.BEFORE,
        own_due - timedelta(days=3): Step.BEFORE,
        own_due: Step.DUE,
        own_due + timedelta(days=7): Step.OVERDUE,
    }
    assert DUE not in sent and DUE + timedelta(days=7) not in sent


def test_weekly_overdue_reminders_none_6_days_after_the_last_one_again_at_8():
    last = DUE + timedelta(days=7)
    cycle = a_cycle()
    after = {
        gap: reminder_due(
            cycle=cycle, due_date=DUE, start_date=None, today=last + timedelta(days=gap), last_reminded_on=last
        )
        for gap in (1, 6, 7, 8)
    }
    assert after[1] is None and after[6] is None
    assert after[7].step == Step.OVERDUE and after[8].step == Step.OVERDUE


def test_a_missed_step_is_sent_at_the_next_run_but_only_once():
    cycle = a_cycle()
    # The worker was down on the day 14 days before: the next day's run sends it, the one after does not.
    day = DUE - timedelta(days=13)
    first = reminder_due(cycle=cycle, due_date=DUE, start_date=None, today=day, last_reminded_on=OPENS)
    assert first.step == Step.BEFORE and first.scheduled_on == DUE - timedelta(days=14)
    assert (
        reminder_due(cycle=cycle, due_date=DUE, start_date=None, today=day + timedelta(days=1), last_reminded_on=day)
        is None
    )


def test_a_manual_chase_counts_as_the_last_reminder():
    cycle = a_cycle()
    chased = DUE + timedelta(days=3)
    assert (
        reminder_due(cycle=cycle, due_date=DUE, start_date=None, today=DUE + timedelta(days=7), last_reminded_on=chased)
        is None
    )
    assert reminder_due(
        cycle=cycle, due_date=DUE, start_date=None, today=chased + timedelta(days=7), last_reminded_on=chased
    )


def test_hr_can_change_the_schedule():
    cycle = a_cycle(
        remind_on_opening=False, remind_days_before="7", remind_on_due_date=False, remind_overdue_every_days=0
    )
    sent = run_days(cycle, first=OPENS, last=DUE + timedelta(days=30))
    assert sent == {DUE - timedelta(days=7): Step.BEFORE}


def test_the_first_run_after_the_due_date_tells_someone_not_reminded_since_that_they_are_overdue():
    cycle = a_cycle(remind_on_due_date=False)
    reminder = reminder_due(
        cycle=cycle,
        due_date=DUE,
        start_date=None,
        today=DUE + timedelta(days=1),
        last_reminded_on=DUE - timedelta(days=3),
    )
    assert reminder.step == Step.OVERDUE


@pytest.mark.parametrize(("gap", "due"), [(None, True), (6, False), (7, True), (8, True)])
def test_manager_summary_at_most_weekly(gap, due):
    today = DUE + timedelta(days=20)
    last = today - timedelta(days=gap) if gap else None
    assert summary_due(cycle=a_cycle(), today=today, last_summary_on=last) is due


def test_the_days_before_must_be_whole_days():
    from django.core.exceptions import ValidationError

    cycle = a_cycle(remind_days_before="14, three")
    with pytest.raises(ValidationError) as problem:
        cycle.clean_fields()
    assert "remind_days_before" in problem.value.message_dict
    assert a_cycle(remind_days_before="3; 14,14").reminder_days_before == [14, 3]


def test_no_manager_summaries_when_hr_turn_them_off():
    today = DUE + timedelta(days=20)
    assert not summary_due(cycle=a_cycle(manager_summary_every_days=0), today=today, last_summary_on=None)


@pytest.mark.parametrize(
    ("days_before_start", "first"),
    [
        (10, 3),  # started after the 14-days-before step: that step is not theirs, the first is 3 days before
        (14, 14),  # started on the day of a step: that step is their first reminder
    ],
)
def test_without_an_opening_reminder_a_joiners_first_is_the_next_step_on_or_after_their_start(days_before_start, first):
    own_due = date(2026, 7, 28)
    start = own_due - timedelta(days=days_before_start)
    cycle = a_cycle(remind_on_opening=False)
    sent = run_days(cycle, first=OPENS, last=own_due, due=own_due, start=start)
    assert min(sent) == own_due - timedelta(days=first) and sent[min(sent)] == Step.BEFORE


def test_someone_whose_first_day_is_their_due_date_is_reminded_that_day():
    sent = run_days(a_cycle(remind_on_opening=False), first=DUE - timedelta(days=1), last=DUE, start=DUE)
    assert sent == {DUE: Step.DUE}
