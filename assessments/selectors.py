"""Reads for a person's own progress: the task list, the quiz, their record and their team."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model

from cycles.models import Cycle, Exemption
from cycles.selectors import active_exemption
from guidance.models import GuidanceVersion, Section, SectionRead
from outbox.models import OutgoingEmail
from portal.i18n import active_language

from .models import Acknowledgement, Attempt
from .reading import reading_for
from .status import PersonStatus, annotate_status, required_version_number


def current_cycle() -> Cycle | None:
    return Cycle.objects.current()


@dataclass
class TaskList:
    cycle: Cycle
    version: GuidanceVersion | None
    status: str  # the person's PersonStatus, as HR and their line manager see it
    due_date: date
    reading: str  # not_started / in_progress / completed
    quiz: str  # not_started / in_progress / not_passed / passed
    confirmation: str  # cannot_start / not_started / completed / confirm_again
    open_attempt: Attempt | None
    last_attempt: Attempt | None
    acknowledgement: Acknowledgement | None
    newer_version: GuidanceVersion | None  # published after the person confirmed, without asking them to confirm again
    exemption: Exemption | None = None  # HR exempted them from this cycle for now
    still_to_read: list[Section] = field(default_factory=list)  # what the declaration needs opened first

    @property
    def completed(self) -> bool:
        return self.status == PersonStatus.COMPLETED

    @property
    def overdue(self) -> bool:
        return self.status == PersonStatus.OVERDUE


def task_list(*, user, cycle: Cycle, language: str | None = None) -> TaskList:
    """The three tasks on the home page, derived from the same status HR and line managers see; "read" is what the
    declaration needs (``reading_for``), so the home page never says "read" while the declaration says not yet."""
    required = required_version_number()
    person = annotate_status(get_user_model().objects.filter(pk=user.pk), cycle=cycle, required=required).get()
    version = GuidanceVersion.objects.latest_published()
    attempts = list(Attempt.objects.owned_by(user).filter(cycle=cycle).order_by("-started_at")[:20])
    open_attempt = next((attempt for attempt in attempts if not attempt.is_submitted), None)
    last_attempt = next((attempt for attempt in attempts if attempt.is_submitted), None)
    if person.has_passed:
        quiz = "passed"
    elif open_attempt:
        quiz = "in_progress"
    elif last_attempt:
        quiz = "not_passed"
    else:
        quiz = "not_started"
    acknowledgements = list(
        Acknowledgement.objects.owned_by(user).filter(cycle=cycle).select_related("guidance_version")
    )
    complete = next((ack for ack in acknowledgements if ack.guidance_version.number >= required), None)
    if person.status == PersonStatus.COMPLETED:
        confirmation = "completed"
    elif person.has_acknowledged:
        confirmation = "confirm_again"
    elif person.has_passed:
        confirmation = "not_started"
    else:
        confirmation = "cannot_start"
    reading = "not_started"
    still_to_read = []
    if confirmation == "completed":
        reading = "completed"  # they declared they read the version that counts; a later minor version changes nothing
    elif version:
        progress = reading_for(user=user, cycle=cycle, version=version, language=language or active_language())
        still_to_read = progress.unread
        if progress.done:
            reading = "completed"
        elif progress.started:
            reading = "in_progress"
    latest_ack = complete or (acknowledgements[0] if acknowledgements else None)
    newer = None
    if complete and version and version.number > max(ack.guidance_version.number for ack in acknowledgements):
        newer = version
    return TaskList(
        cycle=cycle,
        version=version,
        status=person.status,
        due_date=person.due_date,
        reading=reading,
        quiz=quiz,
        confirmation=confirmation,
        open_attempt=open_attempt,
        last_attempt=last_attempt,
        acknowledgement=latest_ack,
        newer_version=newer,
        exemption=active_exemption(person=user, cycle=cycle) if person.status == PersonStatus.EXEMPT else None,
        still_to_read=still_to_read,
    )


def own_record(*, user):
    acknowledgements = Acknowledgement.objects.owned_by(user).select_related("cycle", "guidance_version")
    attempts = Attempt.objects.owned_by(user).filter(status=Attempt.Status.SUBMITTED).select_related("cycle")
    return list(acknowledgements), list(attempts)


def last_confirmed_version(*, user) -> GuidanceVersion | None:
    """The latest version of the guidance a person has confirmed, in any cycle (None if they never have)."""
    ack = (
        Acknowledgement.objects.owned_by(user)
        .select_related("guidance_version")
        .order_by("-guidance_version__number")
        .first()
    )
    return ack.guidance_version if ack else None


class ReaderProgress:
    """How the guidance pages ask where their reader stands (registered with ``guidance.readers`` at start-up)."""

    def has_passed_this_cycle(self, *, user) -> bool:
        # One query: there is at most one current cycle (a constraint says so).
        return Attempt.objects.filter(user=user, cycle__is_current=True, passed=True).exists()

    def last_confirmed_version(self, *, user) -> GuidanceVersion | None:
        return last_confirmed_version(user=user)


def personal_data(*, user) -> dict:
    """Everything the portal holds about a person, for "Your data"."""
    return {
        "acknowledgements": Acknowledgement.objects.owned_by(user).select_related("cycle", "guidance_version"),
        "attempts": Attempt.objects.owned_by(user)
        .select_related("cycle")
        .prefetch_related("answers__question", "answers__chosen_option"),
        "emails": OutgoingEmail.objects.owned_by(user).order_by("-created_at"),
        "sections_read": SectionRead.objects.owned_by(user)
        .select_related("section__version", "cycle")
        .order_by("first_read_at", "section__order"),
    }
