"""Writes for exemptions: each one keyword-only function in one transaction; bad input raises ValidationError."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Exemption


@transaction.atomic
def exempt_person(
    *, person, cycle, reason: str, ends_on: date, note: str = "", starts_on: date | None = None, by
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
        errors["ends_on"] = _("The end date must be on or after the start date")
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


@transaction.atomic
def end_exemption(*, exemption_id: int, by, today: date | None = None) -> Exemption:
    """End an exemption early: from ``today`` the person counts in the cycle's figures again."""
    today = today or timezone.localdate()
    exemption = Exemption.objects.select_for_update().select_related("cycle").get(pk=exemption_id)
    if exemption.cycle.closed_at is not None:
        raise ValidationError(_("This cycle is closed: its figures stay as they were when it closed"))
    if not exemption.is_active(today) and exemption.starts_on <= today:
        raise ValidationError(_("This exemption has already ended"))
    Exemption.objects.filter(pk=exemption.pk).update(
        ended_early_on=max(today, exemption.starts_on), ended_by=by, ended_at=timezone.now()
    )
    exemption.refresh_from_db()
    return exemption
