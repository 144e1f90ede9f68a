"""The one definition of where a person stands in a cycle.

The home page, My team, the HR dashboard, the staff list, the downloads and the reminders all read a person's status
from ``annotate_status``, so they cannot disagree. The status is worked out in SQL, so a page of 50 people or a report
of 100,000 costs the same few queries.

While a cycle is open the status is worked out from today's directory, declarations and exemptions. Once HR close
it, it is read from ``StandingAtClose`` (written at that moment), with the department and line manager people had
then: the same annotations, so no page needs to know which.

The words, defined once (the README's annual cycle section repeats them):
- in scope: covered by the cycle and counted in its figures: neither exempt nor left;
- exempt: HR took them out of the cycle for a while; not in any percentage's denominator;
- left: made inactive since the cycle opened; out of the figures from that day, their evidence kept;
- overdue: in scope, not completed, and past their own due date (a late joiner's is later than the cycle's).
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycles import selectors as cycle_selectors
from cycles.models import Cycle
from guidance.models import GuidanceVersion

from .models import Acknowledgement, Attempt, StandingAtClose


class PersonStatus(models.TextChoices):
    """Exactly one of these for each person in a cycle (which one wins is decided in ``annotate_status``)."""

    COMPLETED = "completed", _("Completed")
    PASSED = "passed", _("Passed, not confirmed")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_STARTED = "not_started", _("Not started")
    OVERDUE = "overdue", _("Overdue")  # not completed, and past the person's due date
    EXEMPT = "exempt", _("Exempt")  # HR exempted them for now: neither complete nor overdue, and not counted
    LEFT = "left", _("Left")  # made inactive: out of the figures from that day, their evidence kept

    @classmethod
    def outstanding(cls) -> list[str]:
        """The statuses of people who still have something to do (those reminders and "outstanding" cover)."""
        return [cls.OVERDUE, cls.PASSED, cls.IN_PROGRESS, cls.NOT_STARTED]


# GOV.UK tag colour for each status, so every page shows a status the same way.
TAG_CLASSES = {
    PersonStatus.COMPLETED: "govuk-tag--green",
    PersonStatus.OVERDUE: "govuk-tag--red",
    PersonStatus.PASSED: "govuk-tag--turquoise",
    PersonStatus.IN_PROGRESS: "",
    PersonStatus.NOT_STARTED: "govuk-tag--grey",
    PersonStatus.EXEMPT: "govuk-tag--purple",
    PersonStatus.LEFT: "govuk-tag--light-blue",
}

# Not counted in a cycle's figures (shown beside them instead).
NOT_COUNTED = (PersonStatus.EXEMPT, PersonStatus.LEFT)


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


def people_in_cycle(*, cycle: Cycle) -> QuerySet:
    """Who a cycle covers: active people from the staff directory (administrators without a staff number are not), in
    the departments HR chose for it, or everyone when they chose none. People made inactive leave it that day.
    A closed cycle covers whom it covered when it closed."""
    if cycle.is_closed:
        stayed = StandingAtClose.objects.filter(cycle=cycle).exclude(status=PersonStatus.LEFT)
        return get_user_model().objects.filter(pk__in=stayed.values("person_id"))
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_number__isnull=False)
        .filter(cycle_selectors.audience_filter(cycle=cycle))
    )


def people_in_report(*, cycle: Cycle) -> QuerySet:
    """The cycle's people as the per-person reports list them: everyone it covers, and those who have left since it
    opened (with the status "left")."""
    if cycle.is_closed:
        return get_user_model().objects.filter(pk__in=StandingAtClose.objects.filter(cycle=cycle).values("person_id"))
    return people_in_cycle(cycle=cycle) | people_who_left(cycle=cycle)


def people_who_left(*, cycle: Cycle) -> QuerySet:
    """People from the staff directory the cycle covered who have been made inactive since it opened (or, from before
    the day was recorded, who took part in it). They are out of its figures; their evidence stays."""
    took_part = Exists(Attempt.objects.filter(cycle=cycle, user=OuterRef("pk"))) | Exists(
        Acknowledgement.objects.filter(cycle=cycle, user=OuterRef("pk"))
    )
    return (
        get_user_model()
        .objects.filter(is_active=False, staff_number__isnull=False)
        .filter(cycle_selectors.audience_filter(cycle=cycle))
        .filter(Q(left_on__gte=cycle.opens_on) | Q(left_on__isnull=True) & took_part)
    )


def annotate_status(
    people: QuerySet, *, cycle: Cycle, today: date | None = None, required: int | None = None
) -> QuerySet:
    """Adds, in SQL: ``status`` (a ``PersonStatus`` value: left once inactive; else exempt while HR exempt them;
    else completed; else overdue once past their own due date; else passed, in progress or not started), ``progress`` (the same without "overdue": how far an
    overdue person got), ``due_date``, and the flags they are built from (``has_completed``: acknowledged the version
    people must confirm, or a later one; ``has_passed``; ``has_attempt``; ``has_acknowledged``: any acknowledgement in
    the cycle, even of an earlier version; ``is_exempt``: an exemption covers ``today``), and ``cycle_department_id``
    and ``cycle_manager_id``: where the person sits for this cycle's figures.

    For a closed cycle all of these are as they were when it closed (and only its people are kept)."""
    if cycle.is_closed:
        return _annotate_closed(people, cycle=cycle)
    today = today or timezone.localdate()
    required = required if required is not None else required_version_number()
    in_cycle = {"cycle": cycle, "user": OuterRef("pk")}
    flagged = people.annotate(
        has_completed=Exists(Acknowledgement.objects.filter(**in_cycle, guidance_version__number__gte=required)),
        has_acknowledged=Exists(Acknowledgement.objects.filter(**in_cycle)),
        has_passed=Exists(Attempt.objects.filter(**in_cycle, passed=True)),
        has_attempt=Exists(Attempt.objects.filter(**in_cycle)),
        is_exempt=cycle_selectors.is_exempt_expression(cycle=cycle, today=today),
        due_date=cycle_selectors.due_date_expression(cycle=cycle),
        cycle_department_id=F("department_id"),
        cycle_manager_id=F("line_manager_id"),
    ).annotate(
        progress=Case(
            When(has_completed=True, then=Value(PersonStatus.COMPLETED.value)),
            When(has_passed=True, then=Value(PersonStatus.PASSED.value)),
            When(has_attempt=True, then=Value(PersonStatus.IN_PROGRESS.value)),
            default=Value(PersonStatus.NOT_STARTED.value),
            output_field=models.CharField(),
        )
    )
    return flagged.annotate(
        status=Case(
            When(is_active=False, then=Value(PersonStatus.LEFT.value)),
            When(is_exempt=True, then=Value(PersonStatus.EXEMPT.value)),
            When(Q(has_completed=False) & Q(due_date__lt=today), then=Value(PersonStatus.OVERDUE.value)),
            default=F("progress"),
            output_field=models.CharField(),
        )
    )


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _annotate_closed(people: QuerySet, *, cycle: Cycle) -> QuerySet:
    """The same annotations as an open cycle's, read from the standings written when it closed."""
    reached = [PersonStatus.COMPLETED.value, PersonStatus.PASSED.value]
    return (
        people.annotate(standing=FilteredRelation("standings_at_close", condition=Q(standings_at_close__cycle=cycle)))
        .filter(standing__isnull=False)
        .annotate(
            status=F("standing__status"),
            progress=F("standing__progress"),
            due_date=F("standing__due_on"),
            has_completed=_flag(Q(standing__progress=PersonStatus.COMPLETED)),
            has_acknowledged=_flag(Q(standing__guidance_version_number__isnull=False)),
            has_passed=_flag(Q(standing__progress__in=reached)),
            has_attempt=_flag(~Q(standing__progress=PersonStatus.NOT_STARTED)),
            is_exempt=_flag(Q(standing__status=PersonStatus.EXEMPT)),
            cycle_department_id=F("standing__department_id"),
            cycle_manager_id=F("standing__line_manager_id"),
        )
    )


def placement(*, cycle: Cycle) -> str:
    """The path to a person's department and line manager for this cycle's reports, on a queryset from
    ``annotate_status``: today's for an open cycle, those at closing for a closed one (``department__code`` is
    ``placement + "department__code"``)."""
    return "standing__" if cycle.is_closed else ""


def annotate_completed_at(people: QuerySet, *, cycle: Cycle, required: int | None = None) -> QuerySet:
    """Adds ``completed_at``: when the person first made a declaration that counts in this cycle (for the chart of
    completion over time). On a queryset from ``annotate_status``."""
    if cycle.is_closed:
        return people.annotate(completed_at=F("standing__completed_at"))
    required = required if required is not None else required_version_number()
    first = (
        Acknowledgement.objects.filter(cycle=cycle, user=OuterRef("pk"), guidance_version__number__gte=required)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return people.annotate(completed_at=Subquery(first))


def people_with_status(*, cycle: Cycle, today: date | None = None, required: int | None = None) -> QuerySet:
    """Everyone the cycle covers, each with their status."""
    return annotate_status(people_in_cycle(cycle=cycle), cycle=cycle, today=today, required=required)


def counted_people(*, cycle: Cycle, today: date | None = None, required: int | None = None) -> QuerySet:
    """The people in scope: those a percentage is taken of (never the exempt or those who left)."""
    return people_with_status(cycle=cycle, today=today, required=required).exclude(status__in=NOT_COUNTED)
