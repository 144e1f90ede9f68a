"""Chasing by hand: HR (from the staff list) and line managers (from My team) send people who have not finished a
reminder through the outbox, under the scheduled reminders' rules: never to someone done or exempt, at most one
email a day each, recorded with who sent it.

Reads first (who may be chased, the preview, "last reminded"): the preview checks the rules for a whole selection in
a few queries; ``send_chases`` then asks the cycle app's ``may_remind_today`` for each person as it queues.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.receipts import render_bilingual
from assessments.status import PersonStatus, annotate_status, people_with_status
from cycles.models import Cycle
from cycles.selectors import is_exempt_expression
from outbox.models import OutgoingEmail
from outbox.services import queue_email

# The schedule's rule for "at most one email a day" is the chase's rule too.
from portal.models import User

from .reminders import DAILY_KINDS, REMINDER_KINDS, about_cycle, in_cycle, may_remind_today, reminding_problem

TEMPLATE = "reporting/email/chase.txt"


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def with_last_reminded(people: QuerySet, *, cycle: Cycle) -> QuerySet:
    """Adds ``last_reminded``: the latest reminder or chase queued for the person in this cycle (from the outbox)."""
    latest = (
        OutgoingEmail.objects.filter(in_cycle(cycle), recipient=OuterRef("pk"), kind__in=REMINDER_KINDS)
        .order_by()
        .values("recipient")
        .annotate(last=Max("created_at"))
        .values("last")[:1]
    )
    return people.annotate(last_reminded=Subquery(latest, output_field=DateTimeField()))


def emailed_today(person_ids, *, today: date) -> set[int]:
    """The people among these who have had a reminder, chase or team summary today (queued, sent or failed)."""
    return set(
        OutgoingEmail.objects.filter(
            recipient_id__in=list(person_ids), kind__in=DAILY_KINDS, created_at__gte=start_of(today)
        ).values_list("recipient_id", flat=True)
    )


def refusal(person, *, today: date, emailed: set[int]) -> str:
    """Why this person (annotated with status and is_exempt) gets no reminder today, or "" when they may."""
    if not person.is_active:
        return _("They have left.")
    if person.is_exempt or person.status == PersonStatus.EXEMPT:
        return _("They are exempt this cycle.")
    if person.status == PersonStatus.COMPLETED:
        return _("They have completed.")
    if not person.email:
        return _("They have no email address.")
    if person.pk in emailed:
        return _("They have already had a reminder today.")
    return ""


@dataclass
class ChasePlan:
    """Who a chase would reach, and who it would not and why."""

    to_send: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (person, reason)

    @property
    def languages(self) -> list[str]:
        return sorted({person.preferred_language for person in self.to_send})


def candidates(*, cycle: Cycle, people: QuerySet, today: date | None = None) -> QuerySet:
    """The chosen people, those the cycle covers only, annotated with what the rules need."""
    today = today or timezone.localdate()
    covered = people_with_status(cycle=cycle, today=today).filter(pk__in=people.values("pk"))
    return covered.annotate(is_exempt=is_exempt_expression(cycle=cycle, today=today)).order_by(
        "last_name", "first_name", "pk"
    )


def chasing_problem(*, cycle: Cycle) -> str:
    """Why nobody can be chased for this cycle (it is closed, or not the current one), or "" when they can."""
    return reminding_problem(cycle=cycle)


def remindable(*, cycle: Cycle, people: QuerySet, today: date | None = None) -> QuerySet:
    """The people among these whom a chase would reach today: the same rules as ``refusal``, in SQL, so the staff
    list's "remind everyone" button names the number its preview shows."""
    today = today or timezone.localdate()
    if chasing_problem(cycle=cycle):
        return people.none()
    emailed = OutgoingEmail.objects.filter(kind__in=DAILY_KINDS, created_at__gte=start_of(today))
    return (
        people_with_status(cycle=cycle, today=today)
        .filter(pk__in=people.values("pk"), status__in=PersonStatus.outstanding())
        .exclude(email="")
        .exclude(pk__in=emailed.filter(recipient__isnull=False).values("recipient_id"))
    )


def plan_chase(*, cycle: Cycle, people: QuerySet, today: date | None = None) -> ChasePlan:
    """Who a chase would reach and who it would not, and why. Nobody, for a cycle that cannot be chased."""
    today = today or timezone.localdate()
    if chasing_problem(cycle=cycle):
        return ChasePlan()
    chosen = list(candidates(cycle=cycle, people=people, today=today))
    emailed = emailed_today([person.pk for person in chosen], today=today)
    plan = ChasePlan()
    for person in chosen:
        reason = refusal(person, today=today, emailed=emailed)
        if reason:
            plan.skipped.append((person, reason))
        else:
            plan.to_send.append(person)
    return plan


def render_chase(*, person: User, cycle: Cycle, sent_by: User, today: date | None = None) -> tuple[str, str]:
    """The email one person gets: subject and body in their language first, the other language below."""
    today = today or timezone.localdate()
    due = getattr(person, "due_date", None) or cycle.due_on
    context = {
        "person": person,
        "cycle": cycle,
        "due_date": due,
        "days_overdue": max(0, (today - due).days),
        "sender": sent_by,
        "sender_is_manager": person.line_manager_id == sent_by.pk,
        "base_url": settings.PORTAL_BASE_URL,
    }
    return render_bilingual(TEMPLATE, context, language=person.preferred_language)


@dataclass
class ChaseResult:
    sent: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (person, reason)


def send_chases(*, cycle: Cycle, people: QuerySet, sent_by: User, today: date | None = None) -> ChaseResult:
    """Queue a reminder for each of these people whom the schedule's rules allow, one transaction each.

    The final word is the cycle app's ``may_remind_today`` (the rule the scheduled reminders use): it locks the
    person's row inside the transaction, so the scheduled run or another sender at the same moment cannot make it two
    emails in a day. The worker delivers each email after its commit.
    """
    today = today or timezone.localdate()
    result = ChaseResult()
    plan = plan_chase(cycle=cycle, people=people, today=today)
    result.skipped = list(plan.skipped)
    for person in plan.to_send:
        with transaction.atomic():
            verdict = may_remind_today(person=person, cycle=cycle, today=today)
            if not verdict:
                result.skipped.append((person, verdict.reason))
                continue
            subject, body = render_chase(person=person, cycle=cycle, sent_by=sent_by, today=today)
            queue_email(
                to=person.email,
                subject=subject,
                body=body,
                kind=OutgoingEmail.Kind.CHASE,
                recipient=person,
                language=person.preferred_language,
                sent_by=sent_by,
                reply_to=sent_by.email or None,
                about=about_cycle(cycle),
            )
            result.sent.append(person)
    return result


def overdue_team(*, manager: User, cycle: Cycle, today: date | None = None) -> QuerySet:
    """A line manager's active reports who are overdue: the people they may chase."""
    today = today or timezone.localdate()
    team = manager.reports.filter(is_active=True)
    return annotate_status(team, cycle=cycle, today=today).filter(status=PersonStatus.OVERDUE)
