"""My team: each person's due date, status and what is left for them, last activity and days overdue."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import DateTimeField, Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Acknowledgement, Attempt
from assessments.status import PersonStatus, annotate_status, required_version_number
from cycles.models import Cycle
from guidance.models import SectionRead
from portal.models import User

from .selectors import figures_of

# Most to do first, as a manager reads the list.
STATUS_ORDER = [
    PersonStatus.OVERDUE,
    PersonStatus.NOT_STARTED,
    PersonStatus.IN_PROGRESS,
    PersonStatus.PASSED,
    PersonStatus.COMPLETED,
    PersonStatus.EXEMPT,
]

SORTS = {
    # key: (what it sorts on, a readable default order)
    "name": lambda person: (person.last_name.lower(), person.first_name.lower()),
    "due": lambda person: (person.due_date, person.last_name.lower()),
    "status": lambda person: (STATUS_ORDER.index(person.status) if person.status in STATUS_ORDER else 99,),
    "activity": lambda person: (person.last_activity is not None, person.last_activity or timezone.now()),
    "overdue": lambda person: (person.days_overdue, person.last_name.lower()),
}


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


def team_day(*, cycle: Cycle, today: date | None = None) -> date:
    """The day a team's figures are for: today, or the day a closed cycle closed (it stays as it ended)."""
    today = today or timezone.localdate()
    return min(today, timezone.localdate(cycle.closed_at)) if cycle.is_closed else today


def team_in_cycle(*, manager: User, cycle: Cycle, today: date | None = None, required: int | None = None):
    """The manager's reports in this cycle, from ``annotate_status``: their active reports, or for a closed cycle
    those who reported to them when it closed (and had not left)."""
    if cycle.is_closed:
        people = annotate_status(get_user_model().objects.all(), cycle=cycle)
        return people.filter(cycle_manager_id=manager.pk).exclude(status=PersonStatus.LEFT)
    reports = manager.reports.filter(is_active=True)
    return annotate_status(reports, cycle=cycle, today=today, required=required)


def team_of(*, manager: User, cycle: Cycle, sort: str = "status", descending: bool = False, today: date | None = None):
    """The manager's reports with their status, reason, due date, last activity and days overdue, sorted, and the
    team's figures (the dashboard's definitions: the exempt are listed but not counted)."""
    today = team_day(cycle=cycle, today=today)
    required = required_version_number()
    team = team_in_cycle(manager=manager, cycle=cycle, today=today, required=required)
    in_cycle = {"cycle": cycle, "user": OuterRef("pk")}
    people = list(
        team.select_related("department").annotate(
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
    return people, figures_of(team)
