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
