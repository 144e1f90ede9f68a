"""What publishing a version of the guidance does to this year's cycle, shown to the editor before they publish, and
the email that tells the people who must confirm again."""

from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q

from cycles.models import Cycle
from guidance.models import GuidanceVersion
from outbox.models import OutgoingEmail
from outbox.services import queue_emails

from .models import Acknowledgement
from .receipts import render_bilingual
from .status import NOT_COUNTED, PersonStatus, people_with_status

# People whose emails are queued together, as the reminders do: one transaction and one insert for each batch.
TELL_BATCH = 100


@dataclass(frozen=True)
class Consequence:
    cycle: Cycle | None
    asks_again: bool
    in_scope: int  # counted in the figures (exempt people and leavers are not)
    completed: int  # completed the cycle now
    affected: int  # of those, must confirm again once the version is published (and are emailed)
    template_name: ClassVar[str] = "assessments/admin/publish_consequence.html"

    @property
    def completed_after(self) -> int:
        return self.completed - self.affected

    @property
    def percent_now(self) -> int:
        return round(100 * self.completed / self.in_scope) if self.in_scope else 0

    @property
    def percent_after(self) -> int:
        return round(100 * self.completed_after / self.in_scope) if self.in_scope else 0


def consequence_of_publishing(*, version: GuidanceVersion) -> Consequence:
    """How many people in the open cycle have completed it, and how many of them publishing ``version`` asks to confirm
    again (all of them when it asks everyone to confirm again, none for a minor change), in one query."""
    cycle = Cycle.objects.current()
    asks_again = version.requires_reacknowledgement
    if cycle is None:
        return Consequence(cycle=None, asks_again=asks_again, in_scope=0, completed=0, affected=0)
    counts = (
        people_with_status(cycle=cycle)
        .exclude(status__in=NOT_COUNTED)
        .aggregate(in_scope=Count("pk"), completed=Count("pk", filter=Q(status=PersonStatus.COMPLETED)))
    )
    affected = counts["completed"] if asks_again else 0
    return Consequence(cycle=cycle, asks_again=asks_again, affected=affected, **counts)


def _required_before(version: GuidanceVersion) -> int:
    number = (
        GuidanceVersion.objects.published()
        .filter(requires_reacknowledgement=True, number__lt=version.number)
        .aggregate(number=Max("number"))["number"]
    )
    return number or 1


def people_asked_again(*, version: GuidanceVersion, cycle: Cycle):
    """After ``version`` was published: the people in ``cycle`` who had completed it before and must confirm again
    (counted, so neither exempt nor gone; with an address)."""
    completed_before = Acknowledgement.objects.filter(
        cycle=cycle,
        guidance_version__number__gte=_required_before(version),
        guidance_version__number__lt=version.number,
    ).values("user")
    return (
        people_with_status(cycle=cycle)
        .exclude(status__in=NOT_COUNTED)
        .filter(pk__in=completed_before)
        .exclude(pk__in=Acknowledgement.objects.filter(cycle=cycle, guidance_version=version).values("user"))
        .exclude(email="")
        .order_by("pk")
    )


def tell_when_published(*, version: GuidanceVersion) -> None:
    """Inside the publishing transaction (the guidance's ``version_published``): when the version asks everyone to
    confirm again, hand the worker the job of emailing the people it affects, so the job exists exactly when the
    version is published."""
    cycle = Cycle.objects.current()
    if version.requires_reacknowledgement and cycle is not None:
        from .tasks import tell_people_to_confirm_again

        tell_people_to_confirm_again.enqueue(version_id=version.pk, cycle_id=cycle.pk)


def email_people_asked_again(*, version: GuidanceVersion, cycle: Cycle) -> int:
    """Queue the email, in each person's language first, a hundred people per transaction. Safe to run again: anyone
    already emailed about this version is left out. Returns how many were queued."""
    about = f"guidance-version-{version.number}"
    told = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.NEW_VERSION, about=about).values("recipient")
    people = list(people_asked_again(version=version, cycle=cycle).exclude(pk__in=told))
    context = {"version": version, "cycle": cycle, "base_url": settings.PORTAL_BASE_URL}
    for start in range(0, len(people), TELL_BATCH):
        with transaction.atomic():
            messages = []
            for person in people[start : start + TELL_BATCH]:
                subject, body = render_bilingual(
                    "assessments/email/new_version.txt",
                    {**context, "person": person},
                    language=person.preferred_language,
                )
                messages.append(
                    {
                        "to": person.email,
                        "subject": subject,
                        "body": body,
                        "kind": OutgoingEmail.Kind.NEW_VERSION,
                        "recipient": person,
                        "language": person.preferred_language,
                        "about": about,
                    }
                )
            queue_emails(messages=messages)
    return len(people)
