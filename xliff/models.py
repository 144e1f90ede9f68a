import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def validate_link_address(value: str) -> None:
    """An address as a Markdown link carries it: [text](address) ends at a space or a closing bracket."""
    if not value or any(character.isspace() or character in "()" for character in value):
        raise ValidationError(_("Write the address as the link has it, with no spaces or brackets."), code="address")


class TranslationExport(models.Model):
    """An XLIFF file handed to the translation service: which units it carried and the English each had, so the file
    that comes back can be checked against exactly what went out."""

    version = models.ForeignKey(
        "guidance.GuidanceVersion", verbose_name=_("guidance version"), on_delete=models.PROTECT, related_name="+"
    )
    everything = models.BooleanField(_("every unit"), default=False)
    units = models.JSONField(_("units"), default=dict)  # unit id -> the English exported
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("exported"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("translation export")
        verbose_name_plural = _("translation exports")

    def __str__(self):
        return f"{self.file_id} ({len(self.units)})"

    @property
    def file_id(self) -> str:
        return f"portal-translation-export-{self.pk}"

    # The file id above, read back from a returned file: ASCII digits only, and few enough for a database key
    # (`isdigit` would pass "²", which int() refuses).
    FILE_ID = re.compile(r"portal-translation-export-([0-9]{1,18})")


class TranslationImport(models.Model):
    """A translated XLIFF file brought back: checked, previewed, then applied in one go (or not at all)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting to be applied")
        REFUSED = "refused", _("Refused")
        APPLIED = "applied", _("Applied")

    export = models.ForeignKey(
        TranslationExport,
        verbose_name=_("export"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
    )
    filename = models.CharField(_("file"), max_length=255)
    content = models.TextField(_("file content"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    problems = models.JSONField(_("problems"), default=list)
    changed_units = models.JSONField(_("units changed"), default=list)
    # unit id -> the English its Welsh was written or confirmed against (not the units sent back still for review)
    confirmed_units = models.JSONField(_("units confirmed"), default=dict, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("translation import")
        verbose_name_plural = _("translation imports")

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"


class LinkPair(models.Model):
    """An English web address and the Welsh page that stands for it (gov.uk ↔ llyw.cymru): a translated unit may link
    to either where the English links to the first. Editors add pairs in the admin as translators find them, without
    waiting for a release; the shipped guidance's pairs come with its content (guidance/content/guidance_v1.json)."""

    english_address = models.CharField(
        _("English address"), max_length=500, unique=True, validators=[validate_link_address]
    )
    welsh_address = models.CharField(
        _("Welsh address"), max_length=500, unique=True, validators=[validate_link_address]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["english_address"]
        verbose_name = _("link pair")
        verbose_name_plural = _("link pairs")

    def __str__(self):
        return f"{self.english_address} ↔ {self.welsh_address}"


def welsh_counterparts() -> dict[str, str]:
    """Each listed Welsh address -> the English address it stands for."""
    return dict(LinkPair.objects.values_list("welsh_address", "english_address"))
