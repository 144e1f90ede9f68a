from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class TranslationImport(models.Model):
    """A translated XLIFF file brought back: checked, previewed, then applied in one go (or not at all)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting to be applied")
        REFUSED = "refused", _("Refused")
        APPLIED = "applied", _("Applied")

    export = models.ForeignKey(
        TranslationExport, verbose_name=_("export"), on_delete=models.PROTECT, null=True, blank=True, related_name="imports"
    )
    filename = models.CharField(_("file"), max_length=255)
    content = models.TextField(_("file content"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    problems = models.JSONField(_("problems"), default=list)
    changed_units = models.JSONField(_("units changed"), default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("translation import")
        verbose_name_plural = _("translation imports")

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"
