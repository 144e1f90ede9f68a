import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cycles.models import Cycle, questions_to_pass
from portal.models import Bilingual, Language, OwnedQuerySet

from .prompts import first_sentence, split_prompt


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
