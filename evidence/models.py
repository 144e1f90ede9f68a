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


class ChainLink(models.Model):
    """One link of the evidence chain: a declaration, a published guidance version or a retention run, in the order
    they were written. `digest` is the SHA-256 of the previous link's digest and the record's content, so changing,
    removing or inserting any record breaks every later link (see `evidence/chain.py`)."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", _("declaration")
        VERSION = "version", _("published guidance version")
        RETENTION = "retention", _("retention run")

    position = models.PositiveBigIntegerField(_("position"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    record_id = models.PositiveBigIntegerField(_("record"))
    previous = models.CharField(_("previous link's SHA-256"), max_length=64)
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True)
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("evidence chain link")
        verbose_name_plural = _("evidence chain links")
        constraints = [models.UniqueConstraint(fields=["kind", "record_id"], name="one_link_per_record")]

    def __str__(self):
        return f"{self.position} {self.kind} {self.record_id}"
