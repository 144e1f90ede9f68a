from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ExemptionQuerySet(models.QuerySet):
    def active_on(self, day: date):
        """Exemptions that cover ``day``: started, not past their end date and not ended early on or before it."""
        return self.filter(starts_on__lte=day, ends_on__gte=day).filter(
            Q(ended_early_on__isnull=True) | Q(ended_early_on__gt=day)
        )


class Exemption(models.Model):
    """HR take a person out of a cycle for a while (long-term leave, secondment out, ...). Never deleted: ending one
    early keeps the record of who exempted them, who ended it and when."""

    class Reason(models.TextChoices):
        LONG_TERM_LEAVE = "long_term_leave", _("Long-term leave")
        SECONDMENT_OUT = "secondment_out", _("Secondment out")
        CAREER_BREAK = "career_break", _("Career break")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="exemptions"
    )
    cycle = models.ForeignKey(
        "assessments.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="exemptions"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True, max_length=500)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    history = HistoricalRecords()  # an ending undone the same day is still on record: who ended it, who put it back

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        indexes = [models.Index(fields=["cycle", "person", "starts_on", "ends_on"], name="exemption_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="exemption_ends_after_start"),
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(note=""), name="exemption_other_needs_a_note"),
        ]

    def __str__(self):
        return f"{self.person} {self.cycle} {self.starts_on}–{self.ends_on}"

    @property
    def last_day(self) -> date:
        """The last day this exemption covers (the day before it was ended early, if it was)."""
        if self.ended_early_on:
            return min(self.ends_on, self.ended_early_on - timedelta(days=1))
        return self.ends_on

    def is_active(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.last_day
