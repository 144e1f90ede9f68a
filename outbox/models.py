"""The durable outbox: every email the portal sends is first a row here, written in the sender's transaction."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import OwnedQuerySet


class OutgoingEmailQuerySet(OwnedQuerySet):
    owner_field = "recipient"  # "Your data" lists the emails sent to the person


class OutgoingEmail(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        REMINDER = "reminder", _("Reminder")
        MANAGER_SUMMARY = "manager_summary", _("Line manager summary")
        CHASE = "chase", _("Chase")
        NEW_VERSION = "new_version", _("New version of the guidance")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails_received",
        verbose_name=_("recipient"),
    )
    to_address = models.EmailField(_("to"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="en")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # What the message is about, when that is a record with a reference (a receipt names the declaration's).
    about = models.CharField(_("about"), max_length=40, blank=True, db_index=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # While a worker is talking to the mail server the row is leased to it; a worker that died mid-send lets go
    # when the lease runs out and the sweep hands the message to another.
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails_sent",
        verbose_name=_("sent by"),
        help_text=_("The person who sent it by hand, if anyone."),
    )

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        permissions = [("retry_outgoingemail", _("Can send a failed email again"))]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["recipient", "kind", "created_at"], name="outbox_person_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to_address} ({self.get_status_display()})"


class PeriodicJob(models.Model):
    """When each registered periodic job next falls due; claimed by one worker at a time with a conditional update."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self):
        return self.name


class BackgroundJob(models.Model):
    """Long work for one person (a large staff import, HR's download of a large organisation), done by the worker.

    The row is what the progress page reads: its status, how far it has got, and then its outcome or its file. The
    file lives under PORTAL_FILES_DIR (never under static), is served only to the person who asked, and is deleted at
    ``expires_at`` by a periodic job.
    """

    class Kind(models.TextChoices):
        STAFF_CSV = "staff_csv", _("Staff list (CSV)")
        STAFF_XLSX = "staff_xlsx", _("Staff list (XLSX)")
        STAFF_IMPORT = "staff_import", _("Staff import")
        STAFF_IMPORT_PLAN = "staff_import_plan", _("Staff import check")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)  # the page's language when asked: the file's headings use it
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done_count = models.PositiveIntegerField(default=0)
    total_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)  # the lease: a running job past it has lost its worker
    stored_name = models.CharField(max_length=100, blank=True)  # the file's random name under PORTAL_FILES_DIR
    filename = models.CharField(max_length=255, blank=True)  # the name the person's browser saves it under
    expires_at = models.DateTimeField(null=True, blank=True)
    outcome = models.JSONField(default=dict)  # an import's summary, or a failure's messages

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["status", "locked_until"], name="outbox_job_status")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    @property
    def percent(self) -> int | None:
        return min(100, self.done_count * 100 // self.total_count) if self.total_count else None
