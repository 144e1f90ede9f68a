"""Who a cycle covers and by when: the audience, each person's own due date and who is exempt on a given day.

``assessments.status`` builds every status from these, so the home page, My team, the HR pages, the downloads and
the reminders agree on them.
"""

from datetime import date, timedelta

from django.db import models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from portal.models import User

from .models import Cycle, Exemption


class AddDays(Func):
    """``date + n days`` as a date on both databases (Django's own date + duration gives SQLite a datetime string)."""

    output_field = models.DateField()

    def __init__(self, expression, days: int):
        super().__init__(expression, Value(int(days)))

    def as_sqlite(self, compiler, connection, **extra_context):
        (date_sql, date_params), (_days_sql, days_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"date({date_sql}, '+' || %s || ' days')", [*date_params, *days_params]

    def as_postgresql(self, compiler, connection, **extra_context):
        (date_sql, date_params), (_days_sql, days_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"({date_sql} + %s::integer)", [*date_params, *days_params]


def audience_filter(*, cycle: Cycle) -> Q:
    """The cycle's departments, or everyone when HR chose none; a subquery, so it costs no query of its own."""
    if not cycle.pk:
        return Q()
    chosen = cycle.departments.through.objects.filter(cycle_id=cycle.pk)
    return Q(~Exists(chosen)) | Q(department_id__in=chosen.values("department_id"))


def joins_late(*, cycle: Cycle) -> Q:
    """People who started after the cycle opened."""
    return Q(start_date__isnull=False, start_date__gt=cycle.opens_on)


def due_date_expression(*, cycle: Cycle):
    """Each person's own due date: the later of the cycle's due date and a late joiner's start date plus the cycle's
    days for new joiners."""
    due = Value(cycle.due_on, output_field=models.DateField())
    return Case(
        When(joins_late(cycle=cycle), then=Greatest(AddDays(F("start_date"), cycle.joiner_days), due)),
        default=due,
        output_field=models.DateField(),
    )


def own_due_date(*, person: User, cycle: Cycle) -> date:
    """The same rule in Python, for one person already in memory (a receipt, the home page)."""
    start = getattr(person, "start_date", None)
    if start and start > cycle.opens_on:
        return max(cycle.due_on, start + timedelta(days=cycle.joiner_days))
    return cycle.due_on


def is_exempt_expression(*, cycle: Cycle, today: date | None = None):
    today = today or timezone.localdate()
    return Exists(Exemption.objects.filter(cycle=cycle, person=OuterRef("pk")).active_on(today))


def active_exemption(*, person: User, cycle: Cycle, today: date | None = None) -> Exemption | None:
    today = today or timezone.localdate()
    return Exemption.objects.filter(cycle=cycle, person=person).active_on(today).order_by("-ends_on").first()


def exemptions_for(*, cycle: Cycle) -> QuerySet[Exemption]:
    return Exemption.objects.filter(cycle=cycle).select_related("person__department", "created_by", "ended_by")
