"""Who is reminded today, and sending it through the outbox.

``plan_for_day`` is a read (the HR page and ``send_reminders --dry-run`` show it); ``send_for_day`` queues exactly
that plan, a hundred people per transaction, their rows locked while their emails are queued so that a manual chase
at the same moment cannot make it two. ``may_remind_today`` is the same rule for sending by hand.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.receipts import render_bilingual
from assessments.status import PersonStatus, people_with_status
from cycles.models import Cycle
from cycles.schedule import Reminder, reminder_due, summary_due
from cycles.selectors import active_exemption, audience_filter
from outbox.models import OutgoingEmail
from outbox.services import queue_emails
from portal.models import User

# A reminder or a chase restarts the schedule's clock; any of these counts towards "one email a day".
REMINDER_KINDS = (OutgoingEmail.Kind.REMINDER, OutgoingEmail.Kind.CHASE)
# A new version asks people to act today: a scheduled reminder the same day would be a second email about it.
DAILY_KINDS = (*REMINDER_KINDS, OutgoingEmail.Kind.MANAGER_SUMMARY, OutgoingEmail.Kind.NEW_VERSION)


@dataclass
class PlannedReminder:
    person: User
    reminder: Reminder


@dataclass
class PlannedSummary:
    manager: User
    overdue: list[User]


@dataclass
class DayPlan:
    cycle: Cycle
    today: date
    reminders: list[PlannedReminder] = field(default_factory=list)
    summaries: list[PlannedSummary] = field(default_factory=list)
    already_emailed: int = 0  # people the schedule would remind, but who have had an email today

    @property
    def total(self) -> int:
        return len(self.reminders) + len(self.summaries)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def about_cycle(cycle: Cycle) -> str:
    """What a reminder or chase is about, stored on the email, so "last reminded" and the history are per cycle."""
    return f"cycle:{cycle.pk}"


def in_cycle(cycle: Cycle) -> Q:
    """The emails sent for ``cycle``: those marked with it, and (from before emails were marked) those sent while it
    was the newest cycle to have opened."""
    from cycles.models import Cycle

    later = Cycle.objects.filter(opens_on__gt=cycle.opens_on).order_by("opens_on").values_list("opens_on", flat=True)
    window = Q(about="", created_at__gte=start_of(cycle.opens_on))
    next_opening = later.first()
    if next_opening:
        window &= Q(created_at__lt=start_of(next_opening))
    return Q(about=about_cycle(cycle)) | window


def reminding_problem(*, cycle: Cycle) -> str:
    """Why nobody can be reminded or chased for ``cycle``, in the page's language, or "" when they can. Staff only
    ever complete the current cycle, so reminders and chases are only ever for it, and never once it is closed."""
    if cycle.closed_at is not None:
        return _("This cycle is closed, so nobody is reminded or chased for it, and nobody can be exempted from it.")
    if not cycle.is_current:
        return _("Staff complete the current cycle, so reminders and chases are only sent for the current cycle.")
    return ""


def _last_sent_on(*, kinds, since: date, recipients=None, cycle=None) -> dict[int, date]:
    """The local date of each person's latest email of these kinds since ``since`` (queued, sent or failed: a failed
    reminder was still meant, and sending it again is the outbox's job, not the schedule's), for ``cycle`` if given."""
    emails = OutgoingEmail.objects.filter(kind__in=kinds, created_at__gte=start_of(since), recipient__isnull=False)
    if cycle is not None:
        emails = emails.filter(in_cycle(cycle))
    if recipients is not None:
        emails = emails.filter(recipient__in=recipients)
    rows = emails.values("recipient_id").annotate(last=Max("created_at"))
    return {row["recipient_id"]: timezone.localdate(row["last"]) for row in rows}


def _emailed_on(day: date, *, recipients=None) -> set[int]:
    return set(_last_sent_on(kinds=DAILY_KINDS, since=day, recipients=recipients))


def plan_for_day(*, cycle: Cycle, today: date | None = None) -> DayPlan:
    """Everyone the schedule reminds today, and the line managers whose summary is due. Only people the cycle covers
    who have not completed and are not exempt (or gone) are reminded; nobody is planned two emails."""
    today = today or timezone.localdate()
    plan = DayPlan(cycle=cycle, today=today)
    if reminding_problem(cycle=cycle):  # the worker sends for the current cycle only: nothing else is planned
        return plan
    outstanding = list(
        people_with_status(cycle=cycle, today=today)
        .filter(status__in=PersonStatus.outstanding())
        .select_related("line_manager")
        .order_by("last_name", "first_name", "pk")
    )
    last_reminded = _last_sent_on(kinds=REMINDER_KINDS, since=cycle.opens_on, cycle=cycle)
    busy = _emailed_on(today)
    for person in outstanding:
        if not person.email:
            continue
        reminder = reminder_due(
            cycle=cycle,
            due_date=person.due_date,
            start_date=person.start_date,
            today=today,
            last_reminded_on=last_reminded.get(person.pk),
        )
        if reminder is None:
            continue
        if person.pk in busy:
            plan.already_emailed += 1
            continue
        plan.reminders.append(PlannedReminder(person, reminder))
        busy.add(person.pk)
    teams = defaultdict(list)
    for person in outstanding:
        manager = person.line_manager
        if person.status == PersonStatus.OVERDUE and manager and manager.is_active and manager.email:
            teams[manager.pk].append(person)
    last_summary = _last_sent_on(kinds=[OutgoingEmail.Kind.MANAGER_SUMMARY], since=cycle.opens_on, cycle=cycle)
    managers = get_user_model().objects.filter(pk__in=teams).order_by("last_name", "first_name", "pk")
    for manager in managers:
        if not summary_due(cycle=cycle, today=today, last_summary_on=last_summary.get(manager.pk)):
            continue
        if manager.pk in busy:  # their own reminder went today; the summary waits for tomorrow
            plan.already_emailed += 1
            continue
        plan.summaries.append(PlannedSummary(manager, teams[manager.pk]))
        busy.add(manager.pk)
    return plan


def _lock(person) -> None:
    get_user_model().objects.select_for_update().filter(pk=person.pk).first()


# People whose emails are queued together: one transaction, one lock statement and one insert for each batch.
QUEUE_BATCH = 100


def _queue_batch(items: list[tuple], *, today: date, about: str = "") -> list[OutgoingEmail]:
    """Queue ``(person, template, context, kind)`` emails in one transaction, with every person's row locked and
    anyone emailed today (by a chase sent meanwhile) left out, so nobody gets two."""
    with transaction.atomic():
        people = [person.pk for person, *_rest in items]
        # Locked in id order, as every other writer locks one row: two batches never wait on each other in a circle.
        list(get_user_model().objects.select_for_update().filter(pk__in=people).order_by("pk").values_list("pk"))
        emailed = _emailed_on(today, recipients=people)
        messages = []
        for person, template, context, kind in items:
            if person.pk in emailed:
                continue
            subject, body = render_bilingual(template, context, language=person.preferred_language)
            messages.append(
                {
                    "to": person.email,
                    "subject": subject,
                    "body": body,
                    "kind": kind,
                    "recipient": person,
                    "language": person.preferred_language,
                    "about": about,
                }
            )
        return queue_emails(messages=messages)


def send_for_day(*, cycle: Cycle, today: date | None = None) -> DayPlan:
    """Queue today's plan in the outbox. Safe to run again the same day: nobody gets a second email."""
    today = today or timezone.localdate()
    plan = plan_for_day(cycle=cycle, today=today)
    base = {"cycle": cycle, "base_url": settings.PORTAL_BASE_URL, "today": today}
    items = [
        (
            item.person,
            "reporting/email/reminder.txt",
            {
                **base,
                "person": item.person,
                "step": item.reminder.step,
                "due_date": item.reminder.due_date,
                "days_left": item.reminder.days_left(today),
                "days_overdue": -item.reminder.days_left(today),
            },
            OutgoingEmail.Kind.REMINDER,
        )
        for item in plan.reminders
    ]
    items += [
        (
            item.manager,
            "reporting/email/manager_summary.txt",
            {**base, "person": item.manager, "overdue": item.overdue},
            OutgoingEmail.Kind.MANAGER_SUMMARY,
        )
        for item in plan.summaries
    ]
    for start in range(0, len(items), QUEUE_BATCH):
        _queue_batch(items[start : start + QUEUE_BATCH], today=today, about=about_cycle(cycle))
    return plan


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def may_remind_today(*, person, cycle: Cycle, today: date | None = None) -> Verdict:
    """Whether ``person`` may be sent a reminder (or a chase by hand) today, and if not, why, in the page's language.

    The rules are the schedule's: only someone the cycle covers, still active, not exempt, not complete, with an
    email address, and not emailed today. Call it inside the transaction that queues the email: it locks the
    person's row there, so two senders at once cannot both be told yes.
    """
    today = today or timezone.localdate()
    if transaction.get_connection().in_atomic_block:
        _lock(person)
    problem = reminding_problem(cycle=cycle)
    if problem:
        return Verdict(False, problem)
    if not person.is_active:
        return Verdict(False, _("They have left."))
    scoped = people_with_status(cycle=cycle, today=today).filter(audience_filter(cycle=cycle), pk=person.pk)
    row = scoped.values("status").first()
    if row is None:
        return Verdict(False, _("This cycle does not cover them."))
    if row["status"] == PersonStatus.EXEMPT:
        exemption = active_exemption(person=person, cycle=cycle, today=today)
        if exemption is None:  # ended between the two reads: not exempt now, but not to be reminded in this request
            return Verdict(False, _("They are exempt."))
        return Verdict(
            False, _("They are exempt until %(date)s.") % {"date": date_format(exemption.ends_on, "DATE_FORMAT")}
        )
    if row["status"] == PersonStatus.COMPLETED:
        return Verdict(False, _("They have completed."))
    if not person.email:
        return Verdict(False, _("They have no email address."))
    if _emailed_on(today, recipients=[person.pk]):
        return Verdict(False, _("They have already been sent an email today."))
    return Verdict(True)


def history_of(*, person, cycle: Cycle):
    """Every reminder, chase and team summary the portal has sent (or tried to send) to this person for ``cycle``,
    newest first."""
    return (
        OutgoingEmail.objects.filter(in_cycle(cycle), recipient=person, kind__in=DAILY_KINDS)
        .select_related("sent_by")
        .order_by("-created_at")
    )
