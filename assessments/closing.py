"""Closing a cycle: HR say a year has ended, and from then on its figures are fixed.

``close_cycle`` writes where each person stood (``StandingAtClose``) from the open cycle's own definitions, in the
same transaction that sets ``Cycle.closed_at``; every page and download then reads the standings (see
``status.annotate_status``), so later joiners, moves between departments, leavers and exemptions change nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cycles.models import Cycle
from portal.models import User

from .declarations import declaration_of, with_declarations
from .models import StandingAtClose
from .status import PersonStatus, annotate_completed_at, annotate_status, people_in_report, required_version_number

BATCH = 2000


def closing_problem(*, cycle: Cycle) -> str:
    """Why this cycle cannot be closed now, in the page's language, or "" when it can."""
    if cycle.is_closed:
        return _("This cycle is already closed.")
    if cycle.is_current:
        return _("Staff are still completing this cycle. Make the next cycle current first, then close this one.")
    return ""


@transaction.atomic
def close_cycle(*, cycle: Cycle, closed_by: User | None) -> Cycle:
    """Close ``cycle``: record each person's standing as it is now, and mark the cycle closed by ``closed_by`` (None
    when it closed by itself on its closing date). Raises ValidationError when it cannot be closed (already closed,
    or still the current cycle)."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)  # two HR officers closing at once: one wins
    problem = closing_problem(cycle=cycle)
    if problem:
        raise ValidationError(problem, code="cannot_close")
    now = timezone.now()
    today = timezone.localdate(now)
    required = required_version_number()
    people = annotate_status(people_in_report(cycle=cycle), cycle=cycle, today=today, required=required)
    people = annotate_completed_at(
        with_declarations(people, cycle=cycle, required=required), cycle=cycle, required=required
    )
    rows = people.values_list(
        "pk",
        "department_id",
        "line_manager_id",
        "status",
        "progress",
        "due_date",
        "completed_at",
        "acknowledged",
        "best_score",
        "submitted",
    ).order_by("pk")
    standings = []
    for pk, department, manager, status, progress, due, completed_at, acknowledged, best, submitted in rows.iterator(
        chunk_size=BATCH
    ):
        declaration = declaration_of(acknowledged)
        standings.append(
            StandingAtClose(
                cycle=cycle,
                person_id=pk,
                department_id=department,
                line_manager_id=manager,
                status=status,
                progress=progress,
                due_on=due,
                days_overdue=(today - due).days if status == PersonStatus.OVERDUE else None,
                completed_at=completed_at,
                confirmed_at=declaration.get("at"),
                guidance_version_number=declaration.get("number"),
                declaration_language=declaration.get("language", ""),
                reference=declaration.get("reference", ""),
                best_score=best,
                attempts=submitted or 0,
            )
        )
    StandingAtClose.objects.bulk_create(standings, batch_size=BATCH)
    cycle.closed_at = now
    cycle.closed_by = closed_by
    cycle.save(update_fields=["closed_at", "closed_by"])  # its post_save tells the HR figures (reporting's signals)
    return cycle


def close_cycles_due(*, today=None) -> list[Cycle]:
    """Close every cycle whose closing date has come and which is no longer the current one (the worker runs this
    every hour). A cycle still current on its closing date waits until another cycle is made current."""
    today = today or timezone.localdate()
    due = Cycle.objects.filter(closed_at__isnull=True, is_current=False, closes_on__lte=today)
    return [close_cycle(cycle=cycle, closed_by=None) for cycle in due]
