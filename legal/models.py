from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Bilingual

RETENTION_MARKER = "{retention}"


class LegalPage(Bilingual, models.Model):
    """A page the law requires (the accessibility statement, the privacy notice), in Markdown in both languages.

    Content editors change the text in the admin; every change is kept in the history.
    """

    class Kind(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        PRIVACY = "privacy", _("Privacy notice")

    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_cy = models.CharField(_("title (Welsh)"), max_length=200)
    body_en = models.TextField(
        _("text (English)"),
        help_text=_("Markdown. In the privacy notice, a line {retention} shows the retention periods table."),
    )
    body_cy = models.TextField(_("text (Welsh)"))
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")

    def __str__(self):
        return self.get_kind_display()

    @property
    def title(self) -> str:
        return self.localised("title")

    @property
    def body(self) -> str:
        return self.localised("body")

    def get_absolute_url(self):
        return reverse(f"legal:{self.kind}")
