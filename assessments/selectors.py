"""Reads for a person's own progress: the task list, the quiz, their record and their team."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import models

from cycles.models import Cycle, Exemption
from cycles.selectors import active_exemption
from guidance.models import GuidanceVersion, Section, SectionRead
from outbox.models import OutgoingEmail
from portal.i18n import active_language
from portal.models import User

from .models import Acknowledgement, Attempt
from .reading import reading_for
from .status import PersonStatus, annotate_status, required_version_number


def current_cycle() -> Cycle | None:
    return Cycle.objects.current()


class ReadingTask(models.TextChoices):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class QuizTask(models.TextChoices):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    NOT_PASSED = "not_passed"
    PASSED = "passed"


class ConfirmationTask(models.TextChoices):
    CANNOT_START = "cannot_start"  # not passed the questions yet
    NOT_STARTED = "not_started"
    COMPLETED = "completed"
    CONFIRM_AGAIN = "confirm_again"  # a version asked everyone to confirm again


@dataclass
class TaskList:
    cycle: Cycle
    version: GuidanceVersion | None
    status: str  # the person's PersonStatus, as HR and their line manager see it
    due_date: date
    reading: ReadingTask
    quiz: QuizTask
    confirmation: ConfirmationTask
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


def _quiz_task(person, *, open_attempt: Attempt | None, last_attempt: Attempt | None) -> QuizTask:
    if person.has_passed:
        return QuizTask.PASSED
    if open_attempt:
        return QuizTask.IN_PROGRESS
    return QuizTask.NOT_PASSED if last_attempt else QuizTask.NOT_STARTED


def _confirmation_task(person) -> ConfirmationTask:
    if person.status == PersonStatus.COMPLETED:
        return ConfirmationTask.COMPLETED
    if person.has_acknowledged:
        return ConfirmationTask.CONFIRM_AGAIN
    return ConfirmationTask.NOT_STARTED if person.has_passed else ConfirmationTask.CANNOT_START


def _reading_task(
    *, user: User, cycle: Cycle, version: GuidanceVersion | None, confirmation: ConfirmationTask, language: str
) -> tuple[ReadingTask, list[Section]]:
    """How far the reading the declaration needs has got, and the pages still to open."""
    if confirmation == ConfirmationTask.COMPLETED:
        # They declared they read the version that counts; a later minor version changes nothing.
        return ReadingTask.COMPLETED, []
    if version is None:
        return ReadingTask.NOT_STARTED, []
    progress = reading_for(user=user, cycle=cycle, version=version, language=language)
    if progress.done:
        return ReadingTask.COMPLETED, progress.unread
    return (ReadingTask.IN_PROGRESS if progress.started else ReadingTask.NOT_STARTED), progress.unread


def task_list(*, user: User, cycle: Cycle, language: str | None = None) -> TaskList:
    """The three tasks on the home page, derived from the same status HR and line managers see; "read" is what the
    declaration needs (``reading_for``), so the home page never says "read" while the declaration says not yet."""
    required = required_version_number()
    person = annotate_status(get_user_model().objects.filter(pk=user.pk), cycle=cycle, required=required).get()
    version = GuidanceVersion.objects.latest_published()
    attempts = list(Attempt.objects.owned_by(user).filter(cycle=cycle).order_by("-started_at")[:20])
    open_attempt = next((attempt for attempt in attempts if not attempt.is_submitted), None)
    last_attempt = next((attempt for attempt in attempts if attempt.is_submitted), None)
    acknowledgements = list(
        Acknowledgement.objects.owned_by(user).filter(cycle=cycle).select_related("guidance_version")
    )
    complete = next((ack for ack in acknowledgements if ack.guidance_version.number >= required), None)
    confirmation = _confirmation_task(person)
    reading, still_to_read = _reading_task(
        user=user, cycle=cycle, version=version, confirmation=confirmation, language=language or active_language()
    )
    newer = None
    if complete and version and version.number > max(ack.guidance_version.number for ack in acknowledgements):
        newer = version
    return TaskList(
        cycle=cycle,
        version=version,
        status=person.status,
        due_date=person.due_date,
        reading=reading,
        quiz=_quiz_task(person, open_attempt=open_attempt, last_attempt=last_attempt),
        confirmation=confirmation,
        open_attempt=open_attempt,
        last_attempt=last_attempt,
        acknowledgement=complete or (acknowledgements[0] if acknowledgements else None),
        newer_version=newer,
        exemption=active_exemption(person=user, cycle=cycle) if person.status == PersonStatus.EXEMPT else None,
        still_to_read=still_to_read,
    )


def own_record(*, user: User):
    acknowledgements = Acknowledgement.objects.owned_by(user).select_related("cycle", "guidance_version")
    attempts = Attempt.objects.owned_by(user).filter(status=Attempt.Status.SUBMITTED).select_related("cycle")
    return list(acknowledgements), list(attempts)


def last_confirmed_version(*, user: User) -> GuidanceVersion | None:
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

    def has_passed_this_cycle(self, *, user: User) -> bool:
        # One query: there is at most one current cycle (a constraint says so).
        return Attempt.objects.filter(user=user, cycle__is_current=True, passed=True).exists()

    def last_confirmed_version(self, *, user: User) -> GuidanceVersion | None:
        return last_confirmed_version(user=user)


def personal_data(*, user: User) -> dict:
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
