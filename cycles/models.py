from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def parse_day_list(value: str) -> list[int]:
    """ "14, 3" -> [14, 3]; raises ValueError on anything that is not a list of whole days."""
    days = [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    if any(day < 1 or day > 365 for day in days):
        raise ValueError(value)
    return sorted(set(days), reverse=True)


def validate_day_list(value: str) -> None:
    try:
        parse_day_list(value)
    except ValueError:
        raise ValidationError(
            _("Enter whole numbers of days from 1 to 365, separated by commas, for example 14, 3.")
        ) from None


class CycleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first()


def questions_to_pass(percent: int, total: int) -> int:
    """The fewest right answers that pass: the same rule as scoring (score × 100 ≥ percent × total)."""
    return -(-percent * total // 100)


class Cycle(models.Model):
    """One year's round of reading, answering and confirming, e.g. "2026–27"."""

    name = models.CharField(_("name"), max_length=20, unique=True, help_text=_("For example 2026–27"))
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    is_current = models.BooleanField(_("current cycle"), default=False)
    questions_per_principle = models.PositiveSmallIntegerField(
        _("questions per principle"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    departments = models.ManyToManyField(
        "directory.Department",
        verbose_name=_("departments"),
        blank=True,
        related_name="cycles",
        help_text=_("Leave empty to cover all active staff, or choose the departments this cycle covers."),
    )
    joiner_days = models.PositiveSmallIntegerField(
        _("days for new joiners"),
        default=28,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "Someone who starts after the cycle opens is due on the later of the due date and their start date plus "
            "this many days."
        ),
    )
    # The reminder schedule (cycles/schedule.py reads it). Each person gets at most one email a day.
    remind_on_opening = models.BooleanField(
        _("remind when the cycle opens"),
        default=True,
        help_text=_("On the opening date, or on a new joiner's start date."),
    )
    remind_days_before = models.CharField(
        _("days before the due date"),
        max_length=50,
        default="14, 3",
        blank=True,
        validators=[validate_day_list],
        help_text=_("Days before each person's own due date, separated by commas, for example 14, 3."),
    )
    remind_on_due_date = models.BooleanField(_("remind on the due date"), default=True)
    remind_overdue_every_days = models.PositiveSmallIntegerField(
        _("while overdue, remind every (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("0 sends no reminders after the due date."),
    )
    manager_summary_every_days = models.PositiveSmallIntegerField(
        _("line manager summary at most every (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("Sent when someone in their team is overdue. 0 sends no summaries."),
    )
    # A cycle is open until HR close it; from then on its figures are read from ``StandingAtClose``, written at that
    # moment, so later joiners, moves, leavers and exemptions do not change a year that has ended.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closes_on = models.DateField(
        _("close automatically on"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. On this day the cycle closes by itself, if it is no longer the current cycle: its figures are "
            "then fixed as they are that day. HR can also close it from the dashboard."
        ),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[departments])  # who changed the audience, and when

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        permissions = [("view_hr_reports", _("Can see completion figures and download the reports"))]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_cycle"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("opens_on")), name="cycle_due_after_opening"),
            # Staff complete the current cycle, so a closed one (whose figures are fixed) can never be current.
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(is_current=False), name="closed_cycle_not_current"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            raise ValidationError({"due_on": _("The due date must be on or after the opening date.")})
        if self.closes_on and self.due_on and self.closes_on < self.due_on:
            raise ValidationError({"closes_on": _("The closing date must be on or after the due date.")})
        if self.closed_at and self.is_current:
            raise ValidationError({"is_current": _("A closed cycle cannot be the current cycle.")})
        self._refuse_declared_rename()

    def _refuse_declared_rename(self):
        """The name is printed on every declaration made in the cycle, so once there is one it stays."""
        if self.pk is None or self._state.adding:
            return
        stored = Cycle._base_manager.filter(pk=self.pk).values_list("name", flat=True).first()
        if stored is not None and stored != self.name and self.acknowledgements.exists():
            raise ValidationError(
                {"name": _("People have declared in this cycle, so its name cannot be changed.")}, code="declared"
            )

    def validate_constraints(self, exclude=None):
        # Making a cycle current takes over from the current one (cycles.services.save_cycle), so "one current
        # cycle" is the service's to keep, not a form error; a closed cycle made current is refused by clean().
        super().validate_constraints(exclude={*(exclude or ()), "is_current"})

    def save(self, *args, **kwargs):
        self._refuse_declared_rename()
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def reminder_days_before(self) -> list[int]:
        return parse_day_list(self.remind_days_before)

    @property
    def question_count(self) -> int:
        return self.questions_per_principle * 6

    @property
    def questions_to_pass(self) -> int:
        return questions_to_pass(self.pass_mark_percent, self.question_count)


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
    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="exemptions")
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
