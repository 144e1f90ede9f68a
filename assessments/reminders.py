"""Reminder emails for people who have not completed, and one summary per line manager. At most one a week each."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from outbox.models import OutgoingEmail
from outbox.services import queue_email

from .models import Cycle, Reminder
from .receipts import render_bilingual
from .status import PersonStatus, people_with_status

THROTTLE = timedelta(days=7)


@dataclass
class ReminderRun:
    staff: list = field(default_factory=list)
    managers: list = field(default_factory=list)


def _recently_reminded(*, cycle: Cycle, kind: str):
    return Exists(
        Reminder.objects.filter(user=OuterRef("pk"), cycle=cycle, kind=kind, sent_at__gte=timezone.now() - THROTTLE)
    )


def plan_reminders(*, cycle: Cycle) -> ReminderRun:
    outstanding = (
        people_with_status(cycle=cycle)
        .filter(status__in=PersonStatus.outstanding())
        .exclude(email="")
        .select_related("line_manager")
        .order_by("last_name", "first_name")
    )
    run = ReminderRun()
    run.staff = list(
        outstanding.annotate(reminded=_recently_reminded(cycle=cycle, kind=Reminder.Kind.STAFF)).filter(reminded=False)
    )
    by_manager: dict = {}
    for person in outstanding.filter(line_manager__isnull=False, line_manager__is_active=True):
        by_manager.setdefault(person.line_manager_id, []).append(person)
    if by_manager:
        managers = (
            get_user_model()
            .objects.filter(pk__in=by_manager)
            .exclude(email="")
            .annotate(reminded=_recently_reminded(cycle=cycle, kind=Reminder.Kind.MANAGER))
            .filter(reminded=False)
        )
        run.managers = [(manager, by_manager[manager.pk]) for manager in managers]
    return run


def send_reminders(*, cycle: Cycle, dry_run: bool = False) -> ReminderRun:
    run = plan_reminders(cycle=cycle)
    if dry_run:
        return run
    context = {"cycle": cycle, "base_url": settings.PORTAL_BASE_URL}
    for person in run.staff:
        subject, body = render_bilingual(
            "assessments/email/reminder.txt", {**context, "person": person}, language=person.preferred_language
        )
        with transaction.atomic():
            Reminder.objects.create(user=person, cycle=cycle, kind=Reminder.Kind.STAFF)
            queue_email(
                to=person.email,
                subject=subject,
                body=body,
                kind=OutgoingEmail.Kind.REMINDER,
                recipient=person,
                language=person.preferred_language,
            )
    for manager, reports in run.managers:
        subject, body = render_bilingual(
            "assessments/email/manager_summary.txt",
            {**context, "person": manager, "reports": reports},
            language=manager.preferred_language,
        )
        with transaction.atomic():
            Reminder.objects.create(user=manager, cycle=cycle, kind=Reminder.Kind.MANAGER)
            queue_email(
                to=manager.email,
                subject=subject,
                body=body,
                kind=OutgoingEmail.Kind.MANAGER_SUMMARY,
                recipient=manager,
                language=manager.preferred_language,
            )
    return run
