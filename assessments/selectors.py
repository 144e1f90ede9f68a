"""Reads for a person's own progress: the task list, the quiz, their record and their team."""

from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, QuerySet

from guidance.models import GuidanceVersion, Section, SectionRead

from .models import Acknowledgement, Attempt, Cycle


class Status:
    """A person's status in a cycle, as HR and the task list name it."""

    COMPLETED = "completed"
    PASSED = "passed"  # passed the questions but not yet confirmed
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


def current_cycle() -> Cycle | None:
    return Cycle.objects.current()


def required_version_number() -> int:
    """Acknowledgements of this version number or later count as complete.

    That is the latest published version that asked everyone to confirm again (or version 1 when none has).
    """
    number = (
        GuidanceVersion.objects.published()
        .filter(requires_reacknowledgement=True)
        .aggregate(number=Max("number"))["number"]
    )
    return number or 1


def completed_acknowledgements(*, cycle: Cycle) -> QuerySet[Acknowledgement]:
    return Acknowledgement.objects.filter(cycle=cycle, guidance_version__number__gte=required_version_number())


def annotate_status(users: QuerySet, *, cycle: Cycle, required: int | None = None) -> QuerySet:
    """Adds ``has_completed``, ``has_passed`` and ``has_attempt`` for the cycle, in SQL."""
    required = required or required_version_number()
    return users.annotate(
        has_completed=Exists(
            Acknowledgement.objects.filter(cycle=cycle, user=OuterRef("pk"), guidance_version__number__gte=required)
        ),
        has_passed=Exists(Attempt.objects.filter(cycle=cycle, user=OuterRef("pk"), passed=True)),
        has_attempt=Exists(Attempt.objects.filter(cycle=cycle, user=OuterRef("pk"))),
    )


def status_of(person) -> str:
    if person.has_completed:
        return Status.COMPLETED
    if person.has_passed:
        return Status.PASSED
    if person.has_attempt:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


@dataclass
class TaskList:
    cycle: Cycle
    version: GuidanceVersion | None
    reading: str  # not_started / in_progress / completed
    quiz: str  # not_started / in_progress / not_passed / passed
    confirmation: str  # cannot_start / not_started / completed / confirm_again
    open_attempt: Attempt | None
    last_attempt: Attempt | None
    acknowledgement: Acknowledgement | None
    overdue: bool

    @property
    def completed(self) -> bool:
        return self.confirmation == "completed"


def task_list(*, user, cycle: Cycle) -> TaskList:
    version = GuidanceVersion.objects.latest_published()
    reading = "not_started"
    if version:
        total = Section.objects.filter(version=version).count()
        read = SectionRead.objects.filter(user=user, section__version=version).count()
        if total and read >= total:
            reading = "completed"
        elif read or SectionRead.objects.filter(user=user).exists():
            reading = "in_progress"
    attempts = list(Attempt.objects.filter(user=user, cycle=cycle).order_by("-started_at")[:20])
    open_attempt = next((attempt for attempt in attempts if not attempt.is_submitted), None)
    last_attempt = next((attempt for attempt in attempts if attempt.is_submitted), None)
    if any(attempt.passed for attempt in attempts):
        quiz = "passed"
    elif open_attempt:
        quiz = "in_progress"
    elif last_attempt:
        quiz = "not_passed"
    else:
        quiz = "not_started"
    acknowledgements = list(Acknowledgement.objects.filter(user=user, cycle=cycle).select_related("guidance_version"))
    required = required_version_number()
    complete = next((ack for ack in acknowledgements if ack.guidance_version.number >= required), None)
    if complete:
        confirmation = "completed"
    elif acknowledgements:
        confirmation = "confirm_again"
    elif quiz == "passed":
        confirmation = "not_started"
    else:
        confirmation = "cannot_start"
    latest_ack = complete or (acknowledgements[0] if acknowledgements else None)
    return TaskList(
        cycle=cycle,
        version=version,
        reading=reading,
        quiz=quiz,
        confirmation=confirmation,
        open_attempt=open_attempt,
        last_attempt=last_attempt,
        acknowledgement=latest_ack,
        overdue=cycle.is_overdue() and confirmation != "completed",
    )


def own_record(*, user):
    acknowledgements = Acknowledgement.objects.filter(user=user).select_related("cycle", "guidance_version")
    attempts = Attempt.objects.filter(user=user, status=Attempt.Status.SUBMITTED).select_related("cycle")
    return list(acknowledgements), list(attempts)


def team_of(*, manager, cycle: Cycle):
    reports = manager.reports.filter(is_active=True).select_related("department").order_by("last_name", "first_name")
    people = list(annotate_status(reports, cycle=cycle))
    for person in people:
        person.status = status_of(person)
    return people
