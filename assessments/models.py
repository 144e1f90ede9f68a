import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Bilingual, Language, OwnedQuerySet

from .prompts import first_sentence, split_prompt


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

    def save(self, *args, **kwargs):
        self._refuse_declared_rename()
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def is_overdue(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.due_on

    @property
    def reminder_days_before(self) -> list[int]:
        return parse_day_list(self.remind_days_before)

    @property
    def question_count(self) -> int:
        return self.questions_per_principle * 6

    @property
    def questions_to_pass(self) -> int:
        return questions_to_pass(self.pass_mark_percent, self.question_count)


class Question(Bilingual, models.Model):
    """A scenario, tied to one of the six principles."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    principle = models.ForeignKey(
        "guidance.Principle", verbose_name=_("principle"), on_delete=models.PROTECT, related_name="questions"
    )
    prompt_en = models.TextField(_("scenario (English)"))
    prompt_cy = models.TextField(_("scenario (Welsh)"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("Only active questions are drawn. Every Welsh field must be filled first."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["principle__number", "key"]
        verbose_name = _("scenario question")
        verbose_name_plural = _("scenario questions")
        indexes = [models.Index(fields=["principle", "is_active"], name="question_principle_active")]

    def __str__(self):
        return self.key

    @property
    def prompt(self) -> str:
        return self.localised("prompt")

    @property
    def title(self) -> str:
        """The scenario's name where scenarios are listed, in the page's language: its first sentence."""
        return first_sentence(self.prompt)

    @property
    def scenario_and_question(self) -> tuple[str, str]:
        """The prompt split into the situation and the question asked about it (its last sentence, when that
        asks something), so pages can show the situation as text and only the question as a heading."""
        return split_prompt(self.prompt)


class Option(Bilingual, models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_en = models.TextField(_("answer (English)"))
    text_cy = models.TextField(_("answer (Welsh)"), blank=True)
    is_correct = models.BooleanField(_("correct answer"), default=False)
    feedback_en = models.TextField(_("feedback (English)"))
    feedback_cy = models.TextField(_("feedback (Welsh)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")

    def __str__(self):
        return Truncator(self.text).words(12)  # the page's language, never cut mid-word

    @property
    def text(self) -> str:
        return self.localised("text")

    @property
    def feedback(self) -> str:
        return self.localised("feedback")


# What a submitted attempt shows on the declaration's record; the database's triggers protect the same columns.
ATTEMPT_RESULT = ["status", "score", "total", "passed", "pass_mark_percent", "user_id", "cycle_id", "submitted_at"]


class Attempt(models.Model):
    """One go at the scenario questions. The draw is fixed when it starts; the score is worked out on the server."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="attempts")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(default=0)
    pass_mark_percent = models.PositiveSmallIntegerField(default=80)
    passed = models.BooleanField(null=True, blank=True)
    # The first submitted attempt in a cycle shows what people understood before feedback; HR reports use it.
    is_first = models.BooleanField(default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [
            models.Index(fields=["cycle", "user", "status"], name="attempt_cycle_user_status"),
        ]
        constraints = [
            # A second tab or a double click on "Start" cannot leave two attempts open at once.
            models.UniqueConstraint(
                fields=["user", "cycle"], condition=Q(status="in_progress"), name="one_open_attempt_per_cycle"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.cycle} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def _submitted_result(self) -> dict | None:
        if self.pk is None or self._state.adding:
            return None
        return Attempt._base_manager.filter(pk=self.pk, status=self.Status.SUBMITTED).values(*ATTEMPT_RESULT).first()

    def save(self, *args, **kwargs):
        stored = self._submitted_result()
        if stored and any(stored[field] != getattr(self, field) for field in ATTEMPT_RESULT):
            raise ValidationError(_("A submitted attempt's result cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._submitted_result():
            raise ValidationError(_("A submitted attempt cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def questions_to_pass(self) -> int:
        return questions_to_pass(self.pass_mark_percent, self.total)


class AttemptQuestionQuerySet(OwnedQuerySet):
    owner_field = "attempt__user"


class AttemptQuestion(models.Model):
    """A question drawn for an attempt, with the option order shown and the answer chosen."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    option_order = models.JSONField(default=list)
    chosen_option = models.ForeignKey(Option, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_correct = models.BooleanField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="one_question_per_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="question_drawn_once_per_attempt"),
        ]

    def __str__(self):
        return f"{self.attempt_id} #{self.position}"


def new_reference() -> str:
    """A short reference that can be read aloud: no 0/O, 1/I/L, 5/S or 2/Z to confuse."""
    alphabet = "34679ABCDEFGHJKMNPQRTUVWXY"
    body = "".join(secrets.choice(alphabet) for _position in range(8))
    return f"SMG-{body[:4]}-{body[4:]}"


class AcknowledgementQuerySet(OwnedQuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Acknowledgements cannot be changed."))

    def delete(self):
        raise ValidationError(_("Acknowledgements cannot be deleted."))


class Acknowledgement(models.Model):
    """A person's declaration that they read, understood and will follow one exact version of the guidance.

    Written once; never updated or deleted by the app.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acknowledgements")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="acknowledgements")
    guidance_version = models.ForeignKey(
        "guidance.GuidanceVersion", on_delete=models.PROTECT, related_name="acknowledgements"
    )
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="acknowledgements")
    reference = models.CharField(max_length=13, unique=True, default=new_reference, editable=False)
    language = models.CharField(max_length=2, choices=Language.choices)
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["user", "cycle", "guidance_version"], name="one_ack_per_version"),
        ]
        indexes = [models.Index(fields=["cycle", "user"], name="ack_cycle_user")]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Acknowledgements cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Acknowledgements cannot be deleted."))

    def get_absolute_url(self):
        return reverse("assessments:confirmation", kwargs={"reference": self.reference})


class StandingAtClose(models.Model):
    """Where one person stood in a cycle when HR closed it: everything the figures, the staff list and the downloads
    read for a closed cycle. Written once by ``close_cycle``; never changed."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="standings_at_close")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="standings_at_close")
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20)  # a PersonStatus value
    progress = models.CharField(max_length=20)  # the status without "overdue": how far they got
    due_on = models.DateField()
    days_overdue = models.PositiveIntegerField(null=True, blank=True)  # on the day the cycle closed
    completed_at = models.DateTimeField(null=True, blank=True)  # the first declaration that counted
    confirmed_at = models.DateTimeField(null=True, blank=True)  # the declaration the reports show (the latest)
    guidance_version_number = models.PositiveIntegerField(null=True, blank=True)
    declaration_language = models.CharField(max_length=2, blank=True)
    reference = models.CharField(max_length=13, blank=True)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("standing at close")
        verbose_name_plural = _("standings at close")
        constraints = [models.UniqueConstraint(fields=["cycle", "person"], name="one_standing_per_cycle")]

    def __str__(self):
        return f"{self.person_id} {self.cycle_id} {self.status}"
