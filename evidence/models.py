from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """What one run of `apply_retention` removed, kept for good: the record that evidence left by the documented path."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    ran_by = models.CharField(_("ran by"), max_length=150)
    cutoff = models.DateTimeField(_("removed evidence from before"))
    acknowledgements_removed = models.PositiveIntegerField(_("acknowledgements removed"), default=0)
    versions_removed = models.PositiveIntegerField(_("guidance versions removed"), default=0)
    sections_removed = models.PositiveIntegerField(_("sections removed"), default=0)
    # The references of the acknowledgements and the numbers and SHA-256 of the versions, so anyone asking later
    # about a reference can be told when and why it went.
    removed = models.JSONField(_("what was removed"), default=dict)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M} ({self.ran_by})"
