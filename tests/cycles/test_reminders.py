"""The reminder schedule end to end with a fixed clock: which reminder goes on which day, at most one email a day,
none to the exempt or to those done, sent through the outbox in the person's language."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from cycles.services import exempt_person
from outbox.models import OutgoingEmail
from outbox.services import queue_email
from reporting.reminders import may_remind_today, plan_for_day, send_for_day

from ..factories import CycleFactory, UserFactory
from ..reporting.conftest import complete

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
OPENS, DUE = date(2027, 4, 1), date(2027, 6, 30)


def at(day: date, hour: int = 9):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


@pytest.fixture
def cycle(db):
    return CycleFactory(name="2027–28", opens_on=OPENS, due_on=DUE, joiner_days=28, is_current=True)


def days_emailed(person, kind=OutgoingEmail.Kind.REMINDER):
    return [
        email.created_at.astimezone(LONDON).date()
        for email in OutgoingEmail.objects.filter(recipient=person, kind=kind).order_by("created_at")
    ]


def run(cycle, first: date, last: date, *, twice_on=()):
    day = first
    while day <= last:
        with at(day):
            send_for_day(cycle=cycle)
            if day in twice_on:
                with at(day, hour=15):
                    send_for_day(cycle=cycle)
        day += timedelta(days=1)


def test_the_default_schedule_day_by_day(content, cycle):
    boss = UserFactory(username="boss")
    with at(OPENS - timedelta(days=3)):
        complete(boss, cycle, content)  # done early (the cycle is open to them before the date): never reminded
        done = UserFactory()
        complete(done, cycle, content)
    late = UserFactory(line_manager=boss)
    joiner = UserFactory(start_date=date(2027, 6, 20))
    exempt = UserFactory()
    hr = UserFactory(roles=["HR"], staff_number=None)
    exempt_person(
        person=exempt, cycle=cycle, reason="career_break", starts_on=OPENS, ends_on=DUE + timedelta(60), by=hr
    )
    run(cycle, OPENS - timedelta(days=2), DUE + timedelta(days=15), twice_on={OPENS, DUE})
    assert days_emailed(late) == [
        OPENS,
        DUE - timedelta(days=14),
        DUE - timedelta(days=3),
        DUE,
        DUE + timedelta(days=7),
        DUE + timedelta(days=14),
    ]
    own_due = date(2027, 7, 18)
    assert days_emailed(joiner) == [date(2027, 6, 20), own_due - timedelta(days=14), own_due - timedelta(days=3)]
    assert days_emailed(done) == [] and days_emailed(exempt) == [] and days_emailed(boss) == []
    # The line manager's summary: when someone in the team is overdue, at most weekly.
    assert days_emailed(boss, OutgoingEmail.Kind.MANAGER_SUMMARY) == [DUE + timedelta(days=n) for n in (1, 8, 15)]


def test_weekly_overdue_reminders_not_6_days_after_the_last_but_again_at_8(content, cycle):
    person = UserFactory()
    reminded_on = DUE + timedelta(days=7)
    OutgoingEmail.objects.all().delete()
    with at(reminded_on):
        assert len(send_for_day(cycle=cycle).reminders) == 1
    with at(reminded_on + timedelta(days=6)):
        assert plan_for_day(cycle=cycle).reminders == []
        send_for_day(cycle=cycle)
    with at(reminded_on + timedelta(days=8)):
        assert [item.person for item in send_for_day(cycle=cycle).reminders] == [person]
    assert len(days_emailed(person)) == 2


def test_the_manager_summary_twice_a_week_apart_never_twice_in_a_week(content, cycle):
    boss = UserFactory()
    with at(OPENS):
        complete(boss, cycle, content)
    UserFactory(line_manager=boss)
    with at(DUE + timedelta(days=1)):
        send_for_day(cycle=cycle)
        send_for_day(cycle=cycle)
    with at(DUE + timedelta(days=7)):
        send_for_day(cycle=cycle)
    with at(DUE + timedelta(days=8)):
        send_for_day(cycle=cycle)
    assert days_emailed(boss, OutgoingEmail.Kind.MANAGER_SUMMARY) == [DUE + timedelta(days=1), DUE + timedelta(days=8)]


def test_at_most_one_email_a_day_a_manager_who_is_overdue_gets_their_summary_tomorrow(content, cycle):
    boss = UserFactory()
    report = UserFactory(line_manager=boss)
    with at(DUE + timedelta(days=1)):
        plan = send_for_day(cycle=cycle)
        assert {item.person for item in plan.reminders} == {boss, report} and plan.summaries == []
        assert plan_for_day(cycle=cycle).already_emailed == 1  # the summary waits: they have had their email today
    with at(DUE + timedelta(days=2)):
        assert [item.manager for item in send_for_day(cycle=cycle).summaries] == [boss]
    assert OutgoingEmail.objects.filter(recipient=boss).count() == 2


def test_a_chase_by_hand_today_means_no_scheduled_reminder_today_and_restarts_the_week(content, cycle):
    person = UserFactory()
    hr = UserFactory(roles=["HR"])
    with at(DUE + timedelta(days=3)):
        queue_email(
            to=person.email, subject="Chase", body="Please", kind=OutgoingEmail.Kind.CHASE, recipient=person, sent_by=hr
        )
        assert person not in {item.person for item in plan_for_day(cycle=cycle).reminders}
        assert may_remind_today(person=person, cycle=cycle).reason == "They have already been sent an email today."
        assert not may_remind_today(person=person, cycle=cycle)
    with at(DUE + timedelta(days=7)):
        assert person not in {item.person for item in plan_for_day(cycle=cycle).reminders}
    with at(DUE + timedelta(days=10)):
        assert person in {item.person for item in plan_for_day(cycle=cycle).reminders}


def test_may_remind_today_gives_the_reason_in_the_pages_language(content, cycle):
    from django.utils.translation import override

    from reporting.reminders import Verdict

    hr = UserFactory(roles=["HR"])
    with at(DUE + timedelta(days=3)):
        person, done, exempt, gone = UserFactory(), UserFactory(), UserFactory(), UserFactory(is_active=False)
        nobody, away_later, away_sooner = UserFactory(email=""), UserFactory(), UserFactory()
        complete(done, cycle, content)
        exempt_person(person=exempt, cycle=cycle, reason="career_break", ends_on=date(2027, 9, 30), by=hr)
        # Each exempt person is told their own exemption's end, not someone else's or another year's.
        last_year = CycleFactory(name="2026–27", opens_on=date(2026, 4, 1), due_on=date(2026, 6, 30), is_current=False)
        exempt_person(person=exempt, cycle=last_year, reason="career_break", ends_on=date(2027, 12, 31), by=hr)
        future = {"starts_on": DUE + timedelta(days=10), "ends_on": DUE + timedelta(days=20), "by": hr}
        exempt_person(person=away_sooner, cycle=cycle, reason="career_break", **future)
        exempt_person(
            person=away_later, cycle=cycle, reason="career_break", **{**future, "ends_on": DUE + timedelta(days=40)}
        )
        assert may_remind_today(person=person, cycle=cycle) == Verdict(True)
        assert may_remind_today(person=done, cycle=cycle) == Verdict(False, "They have completed.")
        assert may_remind_today(person=exempt, cycle=cycle) == Verdict(
            False, "They are exempt until 30 September 2027."
        )
        assert may_remind_today(person=gone, cycle=cycle) == Verdict(False, "They have left.")
        assert may_remind_today(person=nobody, cycle=cycle) == Verdict(False, "They have no email address.")
        # Asked about a later day (the sender's "today"), the exemptions that cover that day count.
        assert may_remind_today(person=away_sooner, cycle=cycle)
        on_leave = DUE + timedelta(days=15)
        assert may_remind_today(person=away_sooner, cycle=cycle, today=on_leave) == Verdict(
            False, "They are exempt until 20 July 2027."
        )
        assert may_remind_today(person=away_later, cycle=cycle, today=on_leave) == Verdict(
            False, "They are exempt until 9 August 2027."
        )
        with override("cy"):
            assert may_remind_today(person=exempt, cycle=cycle).reason == "Maent wedi'u hesemptio tan 30 Medi 2027."
        assert may_remind_today(person=person, cycle=last_year) == Verdict(
            False, "Staff complete the current cycle, so reminders and chases are only sent for the current cycle."
        )
        cycle.departments.set([UserFactory().department])
        assert may_remind_today(person=person, cycle=cycle) == Verdict(False, "This cycle does not cover them.")


def test_an_exemption_ending_while_the_reminder_is_checked_still_sends_nothing_in_that_request(
    content, cycle, monkeypatch
):
    """HR end an exemption in the instant between reading the person's status (exempt) and reading the exemption
    itself: this request still says no, with a reason, rather than reminding someone it has just counted as exempt."""
    from reporting import reminders

    hr = UserFactory(roles=["HR"])
    with at(DUE + timedelta(days=3)):
        exempt = UserFactory()
        exempt_person(person=exempt, cycle=cycle, reason="career_break", ends_on=date(2027, 9, 30), by=hr)
        monkeypatch.setattr(reminders, "active_exemption", lambda **_kwargs: None)  # ended in between
        verdict = may_remind_today(person=exempt, cycle=cycle)
    assert verdict.allowed is False
    assert verdict.reason == "They are exempt."


def test_reminders_are_sent_in_the_persons_language_first_with_their_own_due_date(content, cycle, deliver_outbox):
    welsh = UserFactory(preferred_language="cy", start_date=date(2027, 6, 20))
    english = UserFactory(preferred_language="en")
    with at(DUE + timedelta(days=7)):
        send_for_day(cycle=cycle)
        deliver_outbox()
    messages = {message.to[0]: message for message in mail.outbox}
    welsh_body = messages[welsh.email].body
    assert welsh_body.index("Annwyl") < welsh_body.index("Dear")
    assert "18 Gorffennaf 2027" in welsh_body  # the joiner's own due date, 28 days after starting
    assert messages[english.email].subject.startswith("Overdue")
    assert "7 days ago" in messages[english.email].body
    assert OutgoingEmail.objects.get(recipient=welsh).status == OutgoingEmail.Status.SENT


def test_dry_run_lists_who_would_get_what_and_sends_nothing(content, cycle, capsys):
    person = UserFactory()
    call_command("send_reminders", "--dry-run", "--date", (DUE - timedelta(days=3)).isoformat())
    out = capsys.readouterr().out
    assert f"Would send before reminder to {person.email} (due 2027-06-30)" in out
    assert OutgoingEmail.objects.count() == 0


def test_the_worker_runs_the_schedule_in_the_working_day(content, cycle):
    from django.utils.module_loading import autodiscover_modules

    from outbox.schedule import REGISTRY

    autodiscover_modules("jobs")
    job = REGISTRY["cycles.send_reminders"]
    UserFactory()
    with at(OPENS, hour=6):
        assert job.function() == 0
    with at(OPENS, hour=9):
        assert job.function() == 1
        assert job.function() == 0


def test_hr_see_who_is_reminded_today_and_each_persons_history(client, content, cycle):
    hr = UserFactory(roles=["HR"])
    person = UserFactory(first_name="Nia", last_name="Rees")
    with at(DUE - timedelta(days=3)):
        client.force_login(hr)
        page = client.get(f"/en/hr/reminders/?cycle={cycle.pk}").content.decode()
        assert "Nia Rees" in page and "Due soon" in page
        assert "Who the reminder schedule emails on 27 June 2027." in page
        send_for_day(cycle=cycle)
        assert "Nia Rees" not in client.get(f"/cy/ad/nodiadau-atgoffa/?cycle={cycle.pk}").content.decode()
        history = client.get(f"/en/hr/staff/{person.pk}/reminders/").content.decode()
        assert "Reminder: complete the social media guidance by 30 June 2027" in history
        assert "The reminder schedule" in history
        client.force_login(person)
        assert client.get(f"/en/hr/staff/{person.pk}/reminders/").status_code == 403
        assert "Reminder: complete the social media guidance" in client.get("/en/your-data/").content.decode()


def test_someone_sent_a_team_summary_today_gets_their_own_reminder_tomorrow(content, cycle):
    boss = UserFactory()
    with at(DUE):
        queue_email(to=boss.email, subject="Team", body="…", kind=OutgoingEmail.Kind.MANAGER_SUMMARY, recipient=boss)
        plan = plan_for_day(cycle=cycle)
        assert boss not in {item.person for item in plan.reminders} and plan.already_emailed == 1
        send_for_day(cycle=cycle)
    assert days_emailed(boss) == []
    with at(DUE + timedelta(days=1)):
        send_for_day(cycle=cycle)
    assert days_emailed(boss) == [DUE + timedelta(days=1)]


def test_the_send_checks_again_so_an_email_queued_meanwhile_is_not_doubled(content, cycle, monkeypatch):
    from reporting import reminders

    person = UserFactory()
    with at(DUE):
        plan = reminders.plan_for_day(cycle=cycle)
        queue_email(to=person.email, subject="Chase", body="…", kind=OutgoingEmail.Kind.CHASE, recipient=person)
        monkeypatch.setattr(reminders, "plan_for_day", lambda **kwargs: plan)  # planned before the chase went
        reminders.send_for_day(cycle=cycle)
    assert OutgoingEmail.objects.filter(recipient=person).count() == 1


def test_someone_told_today_that_the_guidance_changed_gets_the_due_reminder_tomorrow_not_as_well(content, cycle):
    person = UserFactory()
    with at(OPENS):
        queue_email(to=person.email, subject="Changed", body="…", kind=OutgoingEmail.Kind.NEW_VERSION, recipient=person)
        send_for_day(cycle=cycle)
    assert days_emailed(person) == []
    with at(OPENS + timedelta(days=1)):
        send_for_day(cycle=cycle)
    assert days_emailed(person) == [OPENS + timedelta(days=1)]


def test_the_days_emails_say_which_cycle_how_late_and_where_to_go_and_list_a_managers_overdue_people(
    content, cycle, settings
):
    """Sent for a given day (the worker's, or ``send_reminders --date``), whatever the clock says."""
    boss = UserFactory(first_name="Rhian", last_name="Boss", staff_number=None)  # not reminded themselves
    late = UserFactory(first_name="Lowri", last_name="Late", line_manager=boss, staff_number="5001")
    send_for_day(cycle=cycle, today=DUE + timedelta(days=7))
    reminder = OutgoingEmail.objects.get(recipient=late, kind=OutgoingEmail.Kind.REMINDER)
    assert "for 2027–28. It was due by 30 June 2027, 7 days ago." in reminder.body
    assert f"Start here: {settings.PORTAL_BASE_URL}/en/" in reminder.body
    summary = OutgoingEmail.objects.get(recipient=boss, kind=OutgoingEmail.Kind.MANAGER_SUMMARY)
    assert summary.subject == "1 person in your team is overdue with the social media guidance"
    assert "for 2027–28:" in summary.body and "- Lowri Late (5001), due 30 June 2027" in summary.body
    assert f"See your team: {settings.PORTAL_BASE_URL}/en/" in summary.body


def test_a_chase_sent_while_the_days_reminders_are_queued_leaves_only_that_person_out(content, cycle, monkeypatch):
    from reporting import reminders

    people = [UserFactory() for _index in range(3)]
    planned = reminders.plan_for_day

    def chase_meanwhile(**kwargs):
        plan = planned(**kwargs)
        queue_email(
            to=people[0].email, subject="Chase", body="Please", kind=OutgoingEmail.Kind.CHASE, recipient=people[0]
        )
        return plan

    monkeypatch.setattr(reminders, "plan_for_day", chase_meanwhile)
    with at(DUE + timedelta(days=3)):
        send_for_day(cycle=cycle)
    reminded = set(OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.REMINDER).values_list("recipient", flat=True))
    assert reminded == {people[1].pk, people[2].pk}


def test_the_days_plan_lists_people_by_surname_and_one_person_never_stops_the_rest(content, cycle, settings):
    """Someone with no email address, someone not due a reminder today, and a manager whose summary is not due
    are each passed over; everyone after them is still planned, people and managers by surname then first name."""
    jones_b = UserFactory(first_name="Bob", last_name="Jones")
    aaronson = UserFactory(first_name="Aaron", last_name="Aaronson", email="")  # first by surname, and no address
    UserFactory(first_name="Abi", last_name="Abbott", start_date=DUE + timedelta(days=10))  # not started yet
    adams = UserFactory(first_name="Cai", last_name="Adams")
    jones_a = UserFactory(first_name="Ann", last_name="Jones")
    aled, bethan, ann, zoe = (
        UserFactory(first_name=first, last_name=last, staff_number=None)
        for first, last in (("Aled", "Aaron"), ("Bethan", "Bowen"), ("Ann", "Bowen"), ("Zoe", "Adams"))
    )
    for person, boss in ((aaronson, aled), (jones_b, bethan), (jones_a, ann), (adams, zoe)):
        person.line_manager = boss
        person.save()
    with at(DUE + timedelta(days=1)):
        queue_email(to=aled.email, subject="Team", body="x", kind=OutgoingEmail.Kind.MANAGER_SUMMARY,
                    recipient=aled, about=f"cycle:{cycle.pk}")  # fmt: skip
    with at(DUE + timedelta(days=3)):
        plan = plan_for_day(cycle=cycle)
    assert [item.person for item in plan.reminders] == [adams, jones_a, jones_b]
    assert [item.manager for item in plan.summaries] == [zoe, ann, bethan]  # Aled had his summary two days ago


def test_the_days_plan_counts_everyone_already_emailed_that_day(content, cycle):
    """Emailed about something else today (a new version): their reminder waits until tomorrow."""
    people = [UserFactory() for _index in range(3)]
    with at(DUE + timedelta(days=3)):
        for person in people[:2]:
            queue_email(to=person.email, subject="New", body="x", kind=OutgoingEmail.Kind.NEW_VERSION, recipient=person)
        plan = plan_for_day(cycle=cycle)
    assert plan.already_emailed == 2 and [item.person for item in plan.reminders] == [people[2]]


def test_the_plan_for_a_day_is_that_days_and_last_years_emails_do_not_count_in_this_year(content, cycle):
    hr = UserFactory(roles=["HR"], staff_number=None)
    away, late = UserFactory(), UserFactory()
    boss = UserFactory(staff_number=None)
    late.line_manager = boss
    late.save()
    exempt_person(
        person=away, cycle=cycle, reason="career_break", starts_on=DUE - timedelta(days=5), ends_on=DUE, by=hr
    )
    planned = plan_for_day(cycle=cycle, today=DUE - timedelta(days=3))  # asked ahead, on another day
    assert away not in {item.person for item in planned.reminders} and late in {
        item.person for item in planned.reminders
    }
    last_year = CycleFactory(name="2026–27", opens_on=date(2026, 4, 1), due_on=date(2026, 6, 30), is_current=False)
    with at(DUE):  # last year's emails, sent after this year's cycle opened
        for person, kind in ((late, OutgoingEmail.Kind.REMINDER), (boss, OutgoingEmail.Kind.MANAGER_SUMMARY)):
            queue_email(to=person.email, subject="Last year", body="x", kind=kind, recipient=person,
                        about=f"cycle:{last_year.pk}")  # fmt: skip
    with at(DUE + timedelta(days=1)):
        plan = plan_for_day(cycle=cycle)
    assert late in {item.person for item in plan.reminders}  # this year's first overdue reminder
    assert boss in {item.manager for item in plan.summaries}


def test_emails_from_before_they_were_marked_with_a_cycle_count_in_the_cycle_newest_open_when_they_were_sent(cycle):
    from reporting.reminders import history_of

    person = UserFactory()
    next_year = CycleFactory(name="2028–29", opens_on=date(2028, 4, 1), due_on=date(2028, 6, 30), is_current=False)

    def sent(day, about=""):
        with at(day):
            return queue_email(to=person.email, subject=str(day), body="x", kind=OutgoingEmail.Kind.REMINDER,
                               recipient=person, about=about)  # fmt: skip

    before = sent(OPENS - timedelta(days=1))  # noqa: F841 - before either cycle: neither's
    this_year = sent(OPENS + timedelta(days=1))
    marked_next_year = sent(OPENS + timedelta(days=2), about=f"cycle:{next_year.pk}")
    next_years = sent(next_year.opens_on + timedelta(days=1))
    assert list(history_of(person=person, cycle=cycle)) == [this_year]
    assert list(history_of(person=person, cycle=next_year)) == [next_years, marked_next_year]


def test_someone_who_starts_on_the_opening_day_is_not_a_late_joiner():
    from cycles.models import Cycle
    from cycles.selectors import own_due_date
    from portal.models import User

    short = Cycle(name="Short", opens_on=OPENS, due_on=OPENS + timedelta(days=10), joiner_days=28)
    assert own_due_date(person=User(start_date=OPENS), cycle=short) == short.due_on
    assert own_due_date(person=User(start_date=OPENS + timedelta(days=1)), cycle=short) == OPENS + timedelta(days=29)


def test_managers_reminded_themselves_today_have_their_summaries_tomorrow_and_the_others_today(content, cycle):
    busy = [UserFactory(last_name=name) for name in ("Ashe", "Bevan")]  # overdue themselves: reminded today
    free = UserFactory(last_name="Cole", staff_number=None)
    for boss in (*busy, free):
        UserFactory(line_manager=boss)
    with at(DUE + timedelta(days=1)):
        plan = plan_for_day(cycle=cycle)
    assert [item.manager for item in plan.summaries] == [free]
    assert plan.already_emailed == 2
