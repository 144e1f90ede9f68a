import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Bilingual, OwnedQuerySet
from portal.text import normalise_newlines


class Principle(Bilingual, models.Model):
    """One of the six things to remember. Its identity is stable across guidance versions; quiz questions use it."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug_en = models.SlugField(_("web address (English)"), unique=True)
    slug_cy = models.SlugField(_("web address (Welsh)"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_cy = models.CharField(_("name (Welsh)"), max_length=100)
    summary_en = models.TextField(_("summary (English)"))
    summary_cy = models.TextField(_("summary (Welsh)"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return self.localised("name")

    @property
    def summary(self) -> str:
        return self.localised("summary")

    @property
    def slug(self) -> str:
        return self.localised("slug")

    def get_absolute_url(self):
        return reverse("guidance:principle", kwargs={"slug": self.slug})


class GuidanceVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=GuidanceVersion.Status.PUBLISHED)

    def latest_published(self):
        return self.published().order_by("-number").first()


class GuidanceVersion(Bilingual, models.Model):
    """A numbered version of the whole guidance. Once published it never changes, so acknowledgements can point at it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    number = models.PositiveIntegerField(_("version number"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    change_summary_en = models.TextField(_("what changed (English)"), blank=True)
    change_summary_cy = models.TextField(_("what changed (Welsh)"), blank=True)
    requires_reacknowledgement = models.BooleanField(
        _("ask everyone to confirm again"),
        default=False,
        help_text=_("Tick for a significant change. People who confirmed an earlier version will be asked again."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the published text"), max_length=64, blank=True, editable=False)
    history = HistoricalRecords()

    objects = GuidanceVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("guidance version")
        verbose_name_plural = _("guidance versions")

    def __str__(self):
        return _("Version %(number)s (%(status)s)") % {"number": self.number, "status": self.get_status_display()}

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def change_summary(self) -> str:
        return self.localised("change_summary")

    def get_absolute_url(self):
        return reverse("guidance:version-contents", kwargs={"number": self.number})

    def save(self, *args, **kwargs):
        if self.pk and GuidanceVersion.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists():
            raise ValidationError(_("A published version cannot be changed. Start a new draft instead."))
        super().save(*args, **kwargs)


class Section(Bilingual, models.Model):
    """A page of the guidance in one version, in both languages. Bodies are Markdown, rendered sanitised."""

    version = models.ForeignKey(
        GuidanceVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    slug_en = models.SlugField(_("web address (English)"))
    slug_cy = models.SlugField(_("web address (Welsh)"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_cy = models.CharField(_("title (Welsh)"), max_length=200, blank=True)
    body_en = models.TextField(
        _("text (English)"),
        help_text=_("Markdown: blank line between paragraphs, “- ” for bullets, “## ” for a sub-heading."),
    )
    body_cy = models.TextField(_("text (Welsh)"), blank=True)
    principle = models.ForeignKey(
        Principle, verbose_name=_("principle"), on_delete=models.PROTECT, null=True, blank=True, related_name="sections"
    )
    # SHA-256 of the English (title and text) an editor confirmed the Welsh against; see guidance/review.py.
    welsh_reviewed_sha256 = models.CharField(_("Welsh reviewed against"), max_length=64, blank=True, editable=False)
    # The principle's name and summary as they were when the version was published, so a published version shows, and
    # its SHA-256 covers, the words people read then, whatever an editor does to the principle afterwards.
    principle_name_en = models.CharField(_("principle name when published (English)"), max_length=100, blank=True)
    principle_name_cy = models.CharField(_("principle name when published (Welsh)"), max_length=100, blank=True)
    principle_summary_en = models.TextField(_("principle summary when published (English)"), blank=True)
    principle_summary_cy = models.TextField(_("principle summary when published (Welsh)"), blank=True)
    history = HistoricalRecords()
    # Not stored: the page that lists sections sets each one's address (guidance.views.section_url).
    url: str

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="section_order_unique_in_version"),
            models.UniqueConstraint(fields=["version", "slug_en"], name="section_slug_en_unique_in_version"),
            models.UniqueConstraint(fields=["version", "slug_cy"], name="section_slug_cy_unique_in_version"),
            models.UniqueConstraint(fields=["version", "principle"], name="one_section_per_principle_in_version"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.localised("title")

    @property
    def body(self) -> str:
        return self.localised("body")

    @property
    def slug(self) -> str:
        return self.localised("slug")

    @property
    def principle_name(self) -> str:
        """The principle's name as this version shows it: the published copy, or the live one in a draft."""
        return self.localised("principle_name") or (self.principle.name if self.principle else "")

    @property
    def principle_summary(self) -> str:
        return self.localised("principle_summary") or (self.principle.summary if self.principle else "")

    def save(self, *args, **kwargs):
        # Forms and files normalise line endings as text comes in (portal/text.py); this is the last guard, so an
        # untouched text stays identical for the comparison with the published version and the Welsh review.
        for name in ("title_en", "title_cy", "body_en", "body_cy"):
            setattr(self, name, normalise_newlines(getattr(self, name)))
        # Published text is evidence for acknowledgements: it can only change through a new version.
        if self.version_id and GuidanceVersion.objects.filter(pk=self.version_id, status="published").exists():
            raise ValidationError(_("A published version cannot be changed. Start a new draft instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version.is_published:
            raise ValidationError(_("A published version cannot be changed. Start a new draft instead."))
        return super().delete(*args, **kwargs)


def version_text(version: GuidanceVersion) -> str:
    """The exact text of a version, both languages, in order: what an acknowledgement's hash is taken over."""
    parts = [f"version:{version.number}"]
    for section in version.sections.order_by("order"):
        principle = section.principle.number if section.principle else ""
        parts.extend(
            [
                f"section:{section.order}:{section.slug_en}:{section.slug_cy}:{principle}",
                section.title_en,
                section.title_cy,
                section.body_en,
                section.body_cy,
            ]
        )
        if section.principle_id:
            parts.extend(
                [
                    section.principle_name_en,
                    section.principle_name_cy,
                    section.principle_summary_en,
                    section.principle_summary_cy,
                ]
            )
    return "\n\x1e\n".join(parts)


def version_sha256(version: GuidanceVersion) -> str:
    return hashlib.sha256(version_text(version).encode("utf-8")).hexdigest()


class SectionRead(models.Model):
    """The first time a person opened a section in a cycle: what the task list and the declaration count as read (a
    declaration needs the guidance opened in the cycle it is made in), and what "Your data" lists."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sections_read")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="reads")
    # Empty only for pages read before reading was noted per cycle; nothing is noted while no cycle is open.
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.CASCADE, related_name="sections_read", null=True, blank=True
    )
    first_read_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "cycle", "section"], name="section_read_once_a_cycle")]

    def __str__(self):
        return f"{self.user_id} read {self.section_id} in {self.cycle_id}"
