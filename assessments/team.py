"""My team: each person's due date, status and what is left for them, last activity and days overdue."""

from dataclasses import dataclass
from datetime import date

from django.db.models import DateTimeField, Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from guidance.models import SectionRead

from .models import Acknowledgement, Attempt, Cycle
from .status import PersonStatus, annotate_status, required_version_number

SORTS = {
    # key: (what it sorts on, a readable default order)
    "name": lambda person: (person.last_name.lower(), person.first_name.lower()),
    "due": lambda person: (person.due_date, person.last_name.lower()),
    "status": lambda person: (STATUS_ORDER.index(person.status) if person.status in STATUS_ORDER else 99,),
    "activity": lambda person: (person.last_activity is not None, person.last_activity or timezone.now()),
    "overdue": lambda person: (person.days_overdue, person.last_name.lower()),
}
# Most to do first, as a manager reads the list.
STATUS_ORDER = [
    PersonStatus.OVERDUE,
    PersonStatus.NOT_STARTED,
    PersonStatus.IN_PROGRESS,
    PersonStatus.PASSED,
    PersonStatus.COMPLETED,
]


def _latest(queryset, field: str):
    return Subquery(
        queryset.filter(user=OuterRef("pk")).order_by().values("user").annotate(last=Max(field)).values("last")[:1],
        output_field=DateTimeField(),
    )


def _reason(person, *, required: int) -> str:
    """What is left for this person, in a few words."""
    progress = getattr(person, "progress", person.status)
    if person.status == PersonStatus.COMPLETED:
        return _("Confirmed")
    if getattr(person, "status", "") == "exempt":
        return _("Exempt this cycle")
    if progress == PersonStatus.PASSED and person.has_acknowledged:
        return _("Needs to confirm version %(number)s") % {"number": required}
    if progress == PersonStatus.PASSED:
        return _("Passed the questions, needs to confirm")
    if progress == PersonStatus.IN_PROGRESS and person.has_open_attempt:
        return _("Answering the questions")
    if progress == PersonStatus.IN_PROGRESS:
        return _("Did not pass, needs to try again")
    if person.has_read:
        return _("Reading the guidance")
    return _("Has not started")


@dataclass
class TeamFigures:
    total: int
    completed: int
    overdue: int

    @property
    def percent_complete(self) -> int:
        return round(self.completed * 100 / self.total) if self.total else 0


def team_of(*, manager, cycle: Cycle, sort: str = "status", descending: bool = False, today: date | None = None):
    """The manager's active reports with their status, reason, due date, last activity and days overdue, sorted."""
    today = today or timezone.localdate()
    required = required_version_number()
    reports = manager.reports.filter(is_active=True).select_related("department")
    in_cycle = {"cycle": cycle, "user": OuterRef("pk")}
    people = list(
        annotate_status(reports, cycle=cycle, today=today, required=required).annotate(
            has_open_attempt=Exists(Attempt.objects.filter(**in_cycle, status=Attempt.Status.IN_PROGRESS)),
            has_read=Exists(SectionRead.objects.filter(user=OuterRef("pk"))),
            last_attempt_at=_latest(Attempt.objects.filter(cycle=cycle), "started_at"),
            last_submitted_at=_latest(Attempt.objects.filter(cycle=cycle), "submitted_at"),
            last_confirmed_at=_latest(Acknowledgement.objects.filter(cycle=cycle), "created_at"),
            last_read_at=_latest(SectionRead.objects.all(), "first_read_at"),
        )
    )
    for person in people:
        moments = [
            moment
            for moment in (
                person.last_attempt_at,
                person.last_submitted_at,
                person.last_confirmed_at,
                person.last_read_at,
            )
            if moment is not None
        ]
        person.last_activity = max(moments) if moments else None
        person.reason = _reason(person, required=required)
        late = (today - person.due_date).days if person.due_date else 0
        person.days_overdue = late if person.status == PersonStatus.OVERDUE and late > 0 else 0
    key = SORTS.get(sort, SORTS["status"])
    people.sort(key=lambda person: (*key(person), person.last_name.lower(), person.pk), reverse=descending)
    figures = TeamFigures(
        total=len(people),
        completed=sum(person.status == PersonStatus.COMPLETED for person in people),
        overdue=sum(person.status == PersonStatus.OVERDUE for person in people),
    )
    return people, figures
