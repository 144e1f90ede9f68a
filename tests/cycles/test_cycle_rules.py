"""The cycle's rules at their edges: own due dates, who counts as a leaver, exemptions that never overlap or outlive
their cycle, the day someone left, and who is emailed (or may be chased) when."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessments.status import PersonStatus, people_in_report, people_who_left, people_with_status
from cycles.models import Exemption
from cycles.schedule import reminder_due
from cycles.selectors import own_due_date
from cycles.services import end_exemption, exempt_person
from outbox.models import OutgoingEmail
from reporting import selectors
from reporting.chasing import overdue_team
from reporting.reminders import may_remind_today, plan_for_day, send_for_day

from ..factories import CycleFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
OPENS, DUE = date(2027, 4, 1), date(2027, 6, 30)
# Hypothesis runs many examples inside one test's database transaction; each example sets what it needs itself.
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def at(day: date, hour: int = 9):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


@pytest.fixture
def cycle(db):
    return CycleFactory(name="2027–28", opens_on=OPENS, due_on=DUE, joiner_days=28, is_current=True)


def status_of(person, cycle, today):
    return {p.pk: p.status for p in people_with_status(cycle=cycle, today=today)}.get(person.pk)


def totals(cycle, today):
    return selectors.totals_of(selectors.completion_by_department(cycle=cycle, today=today))


# A joiner's own due date ---------------------------------------------------------------------------------------------


@EXAMPLES
@given(
    start_offset=st.one_of(st.none(), st.integers(min_value=-800, max_value=400)),
    joiner_days=st.integers(min_value=0, max_value=120),
    length=st.integers(min_value=0, max_value=365),
)
# Started five days before a two-week cycle opened: not a joiner, so due with everyone, not 28 days after starting.
@example(start_offset=-5, joiner_days=28, length=14)
def test_a_persons_due_date_is_never_before_the_cycles_and_is_the_same_in_sql_and_on_their_page(
    cycle, start_offset, joiner_days, length
):
    cycle.due_on = OPENS + timedelta(days=length)
    cycle.joiner_days = joiner_days
    cycle.save()
    start = None if start_offset is None else OPENS + timedelta(days=start_offset)
    person = UserFactory(start_date=start)
    expected = cycle.due_on
    if start is not None and start > OPENS:
        expected = max(cycle.due_on, start + timedelta(days=joiner_days))
    in_sql = people_with_status(cycle=cycle, today=OPENS).get(pk=person.pk).due_date
    assert in_sql == own_due_date(person=person, cycle=cycle) == expected
    assert expected >= cycle.due_on
    person.delete()


# Who counts as a leaver ----------------------------------------------------------------------------------------------


def test_a_cycle_for_chosen_departments_counts_only_its_own_departments_leavers(cycle):
    education, health = DepartmentFactory(code="EDU"), DepartmentFactory(code="HSS")
    cycle.departments.set([education])
    stays = UserFactory(department=education)
    left_education = UserFactory(department=education)
    left_health = UserFactory(department=health)
    with at(OPENS + timedelta(days=10)):
        for person in (left_education, left_health):
            person.is_active = False
            person.save()
        figures = totals(cycle, OPENS + timedelta(days=10))
    assert set(people_who_left(cycle=cycle)) == {left_education}
    assert figures["left"] == 1 and figures["in_scope"] == 1
    assert set(people_in_report(cycle=cycle)) == {stays, left_education}


def test_someone_who_left_before_the_day_was_recorded_is_this_cycles_leaver_only_if_they_took_part_in_it(
    cycle, content
):
    from assessments.models import Attempt

    from ..reporting.conftest import declare

    last_year = CycleFactory(name="2026–27", opens_on=date(2026, 4, 1), due_on=date(2026, 6, 30), is_current=False)
    answered, answered_last_year, declared_last_year, never = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    still_here, declared = UserFactory(), UserFactory()
    for person, year in ((answered, cycle), (answered_last_year, last_year), (still_here, cycle)):
        Attempt.objects.create(user=person, cycle=year, language="en", is_first=True)  # answering, not declared
    declare(declared_last_year, last_year, content, on=date(2026, 5, 1))
    declare(declared, cycle, content, on=OPENS)
    for person in (answered, answered_last_year, declared_last_year, never, declared):
        type(person).objects.filter(pk=person.pk).update(is_active=False, left_on=None)  # from before left_on
    assert set(people_who_left(cycle=cycle)) == {answered, declared}
    assert set(people_who_left(cycle=last_year)) == {answered_last_year, declared_last_year}


def test_an_administrator_account_closed_during_a_cycle_is_nobodys_leaver(cycle):
    administrator = UserFactory(staff_number=None)
    with at(OPENS + timedelta(days=10)):
        administrator.is_active = False
        administrator.save()
    assert administrator not in people_in_report(cycle=cycle)


def test_someone_who_leaves_on_the_opening_day_is_a_leaver_and_out_of_every_figure(cycle):
    stays, leaves = UserFactory(), UserFactory()
    with at(OPENS):
        leaves.is_active = False
        leaves.save()
    leaves.refresh_from_db()
    assert leaves.left_on == OPENS
    for today in (OPENS, DUE + timedelta(days=1)):
        figures = totals(cycle, today)
        assert figures["left"] == 1 and figures["in_scope"] == 1, today
        assert status_of(leaves, cycle, today) is None  # not among the people the cycle covers
    assert list(people_who_left(cycle=cycle)) == [leaves]
    report = {p.pk: p.status for p in selectors.annotate_status(people_in_report(cycle=cycle), cycle=cycle)}
    assert report == {stays.pk: PersonStatus.NOT_STARTED, leaves.pk: PersonStatus.LEFT}
    # The day before the cycle opened is before it: not its leaver.
    type(leaves).objects.filter(pk=leaves.pk).update(left_on=OPENS - timedelta(days=1))
    assert totals(cycle, OPENS)["left"] == 0


def test_making_someone_inactive_again_keeps_the_day_they_first_left(cycle):
    person = UserFactory()
    first_day = OPENS + timedelta(days=3)
    with at(first_day):
        person.is_active = False
        person.save()
    with at(first_day + timedelta(days=20)):
        person.refresh_from_db()
        person.first_name = "Changed"  # edited in the admin while inactive
        person.save()
        person.save(update_fields=["is_active"])
        type(person).objects.filter(pk=person.pk).update(is_active=False)  # the import marking them inactive again
    person.refresh_from_db()
    assert person.left_on == first_day
    # Active again, then inactive: a new leaving day.
    later = first_day + timedelta(days=30)
    type(person).objects.filter(pk=person.pk).update(is_active=True)
    person.refresh_from_db()
    assert person.left_on is None
    with at(later):
        type(person).objects.filter(pk=person.pk).update(is_active=False)
    person.refresh_from_db()
    assert person.left_on == later


# Exemptions ----------------------------------------------------------------------------------------------------------

day_in_cycle = st.integers(min_value=0, max_value=40)


@EXAMPLES
@given(
    first=st.tuples(day_in_cycle, day_in_cycle).map(sorted),
    second=st.tuples(day_in_cycle, day_in_cycle).map(sorted),
    ended_after=st.one_of(st.none(), st.integers(min_value=0, max_value=45)),
)
def test_two_exemptions_never_cover_the_same_day(cycle, first, second, ended_after):
    """Whatever the dates (and however early the first was ended), the second is refused exactly when it would share
    a day with the first, and no day is ever covered twice in the database."""
    hr, person = UserFactory(), UserFactory()
    days = [OPENS + timedelta(days=offset) for offset in range(0, 47)]
    existing = exempt_person(
        person=person, cycle=cycle, reason="long_term_leave", starts_on=days[first[0]], ends_on=days[first[1]], by=hr
    )
    covered = set(range(first[0], first[1] + 1))
    if ended_after is not None and days[ended_after] <= existing.ends_on:
        end_exemption(exemption_id=existing.pk, by=hr, today=days[ended_after])
        covered = {day for day in covered if day < max(ended_after, first[0])}
    wanted = set(range(second[0], second[1] + 1))
    try:
        exempt_person(
            person=person,
            cycle=cycle,
            reason="secondment_out",
            starts_on=days[second[0]],
            ends_on=days[second[1]],
            by=hr,
        )
        allowed = True
    except ValidationError as error:
        assert error.message_dict == {"person": ["This person already has an exemption for these dates: end it first"]}
        allowed = False
    assert allowed == (not covered & wanted), (covered, wanted)
    for day in days:
        assert Exemption.objects.filter(person=person, cycle=cycle).active_on(day).count() <= 1


def test_the_service_itself_refuses_to_exempt_someone_who_has_left(cycle):
    hr, person = UserFactory(), UserFactory()
    person.is_active = False
    person.save()
    with pytest.raises(ValidationError) as refused:
        exempt_person(person=person, cycle=cycle, reason="long_term_leave", ends_on=DUE, starts_on=OPENS, by=hr)
    assert "person" in refused.value.message_dict
    assert not Exemption.objects.exists()


def test_last_years_exemption_does_not_exempt_anyone_this_year(cycle):
    hr, person = UserFactory(), UserFactory()
    last_year = CycleFactory(name="2026–27", opens_on=date(2026, 4, 1), due_on=date(2026, 6, 30), is_current=False)
    # Long-term leave recorded last year that runs on into this cycle.
    exempt_person(person=person, cycle=last_year, reason="long_term_leave", starts_on=date(2026, 5, 1),
                  ends_on=date(2027, 12, 31), by=hr)  # fmt: skip
    today = OPENS + timedelta(days=10)
    assert status_of(person, cycle, today) == PersonStatus.NOT_STARTED
    assert status_of(person, last_year, today) == PersonStatus.EXEMPT
    assert totals(cycle, today)["exempt"] == 0
    with at(today):
        assert may_remind_today(person=person, cycle=cycle)
        assert person in [item.person for item in plan_for_day(cycle=cycle).reminders]
        # And it does not stop HR exempting them in this cycle.
        exempt_person(person=person, cycle=cycle, reason="long_term_leave", ends_on=DUE, by=hr)
    assert status_of(person, cycle, today) == PersonStatus.EXEMPT


# Who is emailed ------------------------------------------------------------------------------------------------------


@EXAMPLES
@given(start_offset=st.integers(min_value=-3000, max_value=-1), today_offset=st.integers(min_value=-60, max_value=-1))
def test_nobody_is_told_a_cycle_is_open_before_it_opens_whatever_their_start_date(cycle, start_offset, today_offset):
    start = OPENS + timedelta(days=start_offset)
    today = OPENS + timedelta(days=today_offset)
    assert reminder_due(cycle=cycle, due_date=DUE, start_date=start, today=today, last_reminded_on=None) is None


def test_staff_with_an_old_start_date_get_the_cycle_open_email_on_the_opening_day_not_before(cycle):
    person = UserFactory(start_date=date(2015, 9, 1))
    with at(OPENS - timedelta(days=1)):
        assert send_for_day(cycle=cycle).total == 0
    with at(OPENS):
        plan = send_for_day(cycle=cycle)
    assert [(item.person, item.reminder.step) for item in plan.reminders] == [(person, "opening")]
    assert OutgoingEmail.objects.filter(recipient=person).count() == 1


def test_team_summaries_never_go_to_a_manager_who_has_left(cycle):
    boss = UserFactory(staff_number=None)  # not in the cycle themselves, so their summary waits for nothing
    late = UserFactory(line_manager=boss)
    overdue_day = DUE + timedelta(days=1)
    with at(overdue_day):
        assert [item.manager for item in plan_for_day(cycle=cycle).summaries] == [boss]
        boss.is_active = False
        boss.save()
        plan = send_for_day(cycle=cycle)
    assert plan.summaries == []
    assert [item.person for item in plan.reminders] == [late]
    assert not OutgoingEmail.objects.filter(recipient=boss).exists()


def test_a_manager_may_chase_only_reports_already_overdue(cycle):
    boss = UserFactory()
    overdue = UserFactory(line_manager=boss)
    joiner = UserFactory(line_manager=boss, start_date=DUE - timedelta(days=5))  # due 23 days after the cycle
    today = DUE + timedelta(days=2)
    assert status_of(joiner, cycle, today) == PersonStatus.NOT_STARTED
    assert list(overdue_team(manager=boss, cycle=cycle, today=today)) == [overdue]
    assert list(overdue_team(manager=boss, cycle=cycle, today=DUE)) == []  # the due date itself is not yet overdue
