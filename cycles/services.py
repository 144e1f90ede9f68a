"""Writes for exemptions: each one keyword-only function in one transaction; bad input raises ValidationError."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.models import User

from .models import Cycle, Exemption


@transaction.atomic
def save_cycle(*, cycle: Cycle) -> Cycle:
    """Save a cycle as an editor changed it. A cycle made current takes over from the one that was, in the same
    transaction, so there is always exactly one current cycle (the database refuses two)."""
    if cycle.is_current:
        for previous in Cycle.objects.select_for_update().filter(is_current=True).exclude(pk=cycle.pk):
            previous.is_current = False
            previous.save(update_fields=["is_current"])  # a save, so the HR figures hear of it
    cycle.save()
    return cycle


@transaction.atomic
def exempt_person(
    *, person: User, cycle, reason: str, ends_on: date, note: str = "", starts_on: date | None = None, by: User
) -> Exemption:
    """Take ``person`` out of ``cycle`` from ``starts_on`` (today) to ``ends_on``, recording who did it."""
    starts_on = starts_on or timezone.localdate()
    note = note.strip()
    if type(cycle).objects.filter(pk=cycle.pk, closed_at__isnull=False).exists():  # the database's word, not a copy's
        raise ValidationError({"person": _("This cycle is closed: its figures stay as they were when it closed")})
    errors = {}
    if reason not in Exemption.Reason.values:
        errors["reason"] = _("Select a reason from the list")
    elif reason == Exemption.Reason.OTHER and not note:
        errors["note"] = _("Say why this person is exempt")
    if ends_on < starts_on:
        # The form has no start date (an exemption starts today): say what the date is measured against.
        if starts_on == timezone.localdate():
            errors["ends_on"] = _("The date the exemption ends must be today or in the future")
        else:
            errors["ends_on"] = _("The date the exemption ends must be on or after the day it starts, %(date)s") % {
                "date": date_format(starts_on, "DATE_FORMAT")
            }
    if not person.is_active:
        errors["person"] = _("This person has left: they are already out of the cycle's figures")
    # Locking the person's row makes two HR officers exempting the same person at once queue up here.
    type(person).objects.select_for_update().filter(pk=person.pk).first()
    overlapping = (
        Exemption.objects.filter(person=person, cycle=cycle, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .exclude(ended_early_on__isnull=False, ended_early_on__lte=starts_on)
        .exclude(ended_early_on__isnull=False, ended_early_on__lte=F("starts_on"))  # ended before it began: no days
        .exists()
    )
    if overlapping:
        errors["person"] = _("This person already has an exemption for these dates: end it first")
    if errors:
        raise ValidationError(errors)
    return Exemption.objects.create(
        person=person, cycle=cycle, reason=reason, note=note, starts_on=starts_on, ends_on=ends_on, created_by=by
    )


def ending_date(*, exemption: Exemption, today: date | None = None) -> date:
    """The day an exemption ended now stops covering: today, or its first day if it has not started yet."""
    return max(today or timezone.localdate(), exemption.starts_on)


@transaction.atomic
def end_exemption(*, exemption_id: int, by: User, today: date | None = None) -> Exemption:
    """End an exemption early: from ``today`` the person counts in the cycle's figures again.

    Saved with ``save()`` (not ``update()``) so the change is in the exemption's history and the dashboard's figures
    are forgotten once it is committed (``assessments.reports.signals``), in every process."""
    today = today or timezone.localdate()
    exemption = Exemption.objects.select_for_update().select_related("cycle").get(pk=exemption_id)
    if exemption.cycle.closed_at is not None:
        raise ValidationError(_("This cycle is closed: its figures stay as they were when it closed"))
    if not exemption.is_active(today) and exemption.starts_on <= today:
        raise ValidationError(_("This exemption has already ended"), code="ended")
    exemption.ended_early_on = ending_date(exemption=exemption, today=today)
    exemption.ended_by = by
    exemption.ended_at = timezone.now()
    exemption.save(update_fields=["ended_early_on", "ended_by", "ended_at"])
    return exemption


def can_undo_ending(*, exemption: Exemption, today: date) -> bool:
    """An exemption ended early can be put back on the day it was ended (a slip of the finger), not later."""
    return bool(exemption.ended_at) and timezone.localdate(exemption.ended_at) == today


@transaction.atomic
def undo_end_exemption(*, exemption_id: int, by: User, today: date | None = None) -> Exemption:
    """Put back an exemption ended early today: it covers its dates again. Its history keeps the ending and who
    undid it."""
    today = today or timezone.localdate()
    exemption = Exemption.objects.select_for_update().select_related("person").get(pk=exemption_id)
    if not exemption.ended_early_on:
        raise ValidationError(_("This exemption was not ended early"), code="not_ended")
    if not can_undo_ending(exemption=exemption, today=today):
        raise ValidationError(_("An exemption can only be put back on the day it was ended"), code="too_late")
    if exemption.ends_on < today:
        raise ValidationError(_("This exemption’s dates have passed"), code="past")
    overlapping = (
        Exemption.objects.filter(person=exemption.person, cycle=exemption.cycle_id)
        .exclude(pk=exemption.pk)
        .filter(starts_on__lte=exemption.ends_on, ends_on__gte=today)
        .exclude(ended_early_on__isnull=False, ended_early_on__lte=today)
        .exists()
    )
    if overlapping:
        raise ValidationError(
            _("This person has another exemption for these dates: end that one first"), code="overlapping"
        )
    exemption.ended_early_on = None
    exemption.ended_by = None
    exemption.ended_at = None
    exemption._change_reason = f"ending undone by {by}"  # type: ignore[attr-defined]  # django-simple-history's
    exemption.save(update_fields=["ended_early_on", "ended_by", "ended_at"])
    return exemption
