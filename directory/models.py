import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Bilingual


class Department(Bilingual, models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_cy = models.CharField(_("name (Welsh)"), max_length=200)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.localised("name")


class StaffImport(models.Model):
    """An uploaded staff list, kept between the preview and the confirmation, and afterwards as an audit trail."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    table = models.JSONField(default=dict)  # the file's headings and rows as text, read once at upload
    # A large file waits here, unread, for the worker; it reads it into ``table`` and empties this.
    upload = models.BinaryField(default=b"", editable=False)
    row_count = models.PositiveIntegerField(default=0)  # len(table["rows"]), without loading the table to know it
    preset = models.CharField(max_length=20, blank=True)
    mapping = models.JSONField(default=dict)  # {field: [column index, ...]}, chosen on the column-matching page
    full = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict)
    # What the preview shows of a large file, planned once by the worker (importing/preview.py). The confirmation
    # plans again against the directory as it is then: this is for showing, never for deciding.
    preview = models.JSONField(default=dict)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("staff import")
        verbose_name_plural = _("staff imports")
        permissions = [("import_staff", _("Can import the staff list"))]

    def __str__(self):
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class ScimToken(models.Model):
    """A bearer token for the provisioning service (Microsoft Entra ID). Only its SHA-256 is kept; it is shown once."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )  # fmt: skip
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("provisioning token")
        verbose_name_plural = _("provisioning tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class ScimIdentity(models.Model):
    """How the provisioning service knows a person: the SCIM id it was given and what it last sent.

    ``document`` keeps the SCIM attributes as sent, limited to the published schema; what the portal holds on the
    person (name, email, department, manager, start date, active) is read from the user, so a file import or the
    admin and provisioning never disagree. A deleted identity keeps the person, made inactive, with every record.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scim_identity")
    resource_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    document = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)
    modified_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("provisioned identity")
        verbose_name_plural = _("provisioned identities")

    def __str__(self):
        return str(self.resource_id)
