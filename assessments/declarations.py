"""The declaration that counts for each person in a cycle, read alongside the status: for HR's downloads and for
the standings written when a cycle closes."""

import json
from datetime import UTC, datetime

from django.db import models
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject

from cycles.models import Cycle

from .models import Acknowledgement, Attempt


def with_declarations(people: QuerySet, *, cycle: Cycle, required: int) -> QuerySet:
    """Adds, on an open cycle's people: ``acknowledged`` (the declaration that counts, the latest of the required
    version or later: its time, version number, language and reference, in one subquery rather than four),
    ``best_score`` and ``submitted`` (how many attempts they submitted)."""
    counting = Acknowledgement.objects.filter(
        cycle=cycle, user=OuterRef("pk"), guidance_version__number__gte=required
    ).order_by("-created_at")
    attempts = Attempt.objects.filter(cycle=cycle, user=OuterRef("pk")).order_by().values("user")
    return people.annotate(
        acknowledged=Subquery(
            counting.values(
                json=JSONObject(
                    at="created_at", number="guidance_version__number", language="language", reference="reference"
                )
            )[:1]
        ),
        best_score=Subquery(attempts.annotate(best=Max("score")).values("best")),
        submitted=Subquery(
            attempts.filter(status=Attempt.Status.SUBMITTED).annotate(n=Count("pk")).values("n"),
            output_field=models.IntegerField(),
        ),
    )


def declaration_of(acknowledged) -> dict:
    """The ``acknowledged`` JSON as a dict: its time as an aware datetime, or {} when there is none."""
    acknowledged = json.loads(acknowledged) if isinstance(acknowledged, str) else acknowledged or {}
    if acknowledged:
        acknowledged["at"] = stored_datetime(acknowledged["at"])
    return acknowledged


def stored_datetime(value: str) -> datetime:
    """A date and time as the database writes it inside JSON (ISO 8601; SQLite's carry no offset and are UTC)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
