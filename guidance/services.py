"""Writes to the guidance: start a draft from the current version, publish it. Each runs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User

from . import signals
from .models import GuidanceVersion, Section, SectionRead, version_sha256
from .review import review_stamp, welsh_reviews_due

WELSH_FIELDS = ("title", "body")


def missing_welsh(version: GuidanceVersion) -> list[str]:
    """Every Welsh field of a version that is empty or still the same as the English, named for the editor."""
    problems = []
    for section in version.sections.order_by("order"):
        for field in WELSH_FIELDS:
            english = getattr(section, f"{field}_en").strip()
            welsh = getattr(section, f"{field}_cy").strip()
            label = Section._meta.get_field(f"{field}_cy").verbose_name  # type: ignore[union-attr]
            if not welsh:
                problems.append(
                    _("Section %(order)s “%(title)s”: %(field)s is empty")
                    % {"order": section.order, "title": section.title, "field": label}
                )
            elif welsh == english:
                problems.append(
                    _("Section %(order)s “%(title)s”: %(field)s is the same as the English")
                    % {"order": section.order, "title": section.title, "field": label}
                )
    return problems


def publish_problems(version: GuidanceVersion) -> list[str]:
    """Everything that stops a draft being published, each named for the editor, in the order to fix them."""
    problems = missing_welsh(version)
    if not version.change_summary_en.strip():
        problems.append(_("What changed (English) is empty: say what changed, for staff to read"))
    if not version.change_summary_cy.strip():
        problems.append(_("What changed (Welsh) is empty"))
    elif version.change_summary_cy.strip() == version.change_summary_en.strip():
        problems.append(_("What changed (Welsh) is the same as the English: write it in Welsh"))
    for review in welsh_reviews_due(version):
        problems.append(
            _(
                "Section %(order)s “%(title)s”: the English changed since version %(number)s but the Welsh did not. "
                "Check the Welsh, then tick “Welsh reviewed”"
            )
            % {"order": review.section.order, "title": review.section.title, "number": review.published.version.number}
        )
    return problems


@transaction.atomic
def mark_welsh_reviewed(*, section: Section) -> Section:
    """Record that the Welsh of a draft section was checked against its English as it is now."""
    section.welsh_reviewed_sha256 = review_stamp(section, reviewed_now=True)
    section.save(update_fields=["welsh_reviewed_sha256"])
    return section


@transaction.atomic
def start_draft(*, based_on: GuidanceVersion | None = None) -> GuidanceVersion:
    """A new draft that copies the latest published version (or returns the draft already in progress)."""
    existing = GuidanceVersion.objects.select_for_update().filter(status=GuidanceVersion.Status.DRAFT).first()
    if existing:
        return existing
    source = based_on or GuidanceVersion.objects.latest_published()
    number = (GuidanceVersion.objects.aggregate(highest=Max("number"))["highest"] or 0) + 1
    draft = GuidanceVersion.objects.create(number=number)
    if source:
        Section.objects.bulk_create(
            Section(
                version=draft,
                order=section.order,
                slug_en=section.slug_en,
                slug_cy=section.slug_cy,
                title_en=section.title_en,
                title_cy=section.title_cy,
                body_en=section.body_en,
                body_cy=section.body_cy,
                principle_id=section.principle_id,
            )
            for section in source.sections.all()
        )
    return draft


def copy_principle_text(*, version: GuidanceVersion) -> None:
    """Copy each principle's name and summary into the version's sections: from now on they belong to the version."""
    for section in version.sections.select_related("principle").filter(principle__isnull=False):
        principle = section.principle
        assert principle is not None  # filtered above
        Section.objects.filter(pk=section.pk).update(
            principle_name_en=principle.name_en,
            principle_name_cy=principle.name_cy,
            principle_summary_en=principle.summary_en,
            principle_summary_cy=principle.summary_cy,
        )


@transaction.atomic
def publish_version(*, version: GuidanceVersion) -> GuidanceVersion:
    """Publish a draft once every Welsh field is filled, "What changed" is written in both languages and every section
    whose English changed has had its Welsh reviewed. Earlier versions stay as they were."""
    version = GuidanceVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(
            _("Version %(number)s is already published.") % {"number": version.number}, code="published"
        )
    if not version.sections.exists():
        raise ValidationError(_("Add at least one section before you publish."), code="empty")
    problems = publish_problems(version)
    if problems:
        raise ValidationError([ValidationError(problem, code="not_ready") for problem in problems])
    copy_principle_text(version=version)
    version.status = GuidanceVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.content_sha256 = version_sha256(version)
    version.save()  # caches are keyed by the published version, so nothing cached needs forgetting
    signals.version_published.send(sender=GuidanceVersion, version=version)
    return version


def record_reading(
    *, user: User, sections, cycle_id: int | None, already_read: frozenset[int] = frozenset()
) -> set[int]:
    """Note the sections a person has opened in a cycle (the first time only) and return the ids of every section
    now known to be read in it. Sections in ``already_read`` (what the caller remembers) are skipped, so a page seen
    before costs no query and opens no transaction (on SQLite every transaction takes the database's one write lock,
    so an empty one on each guidance page made readers queue behind each other and behind people answering
    questions). With no cycle open nothing is noted: there is nothing to confirm."""
    if cycle_id is None:
        return set(already_read)
    new = [section for section in sections if section.pk not in already_read]
    if new:
        with transaction.atomic():
            SectionRead.objects.bulk_create(
                [SectionRead(user=user, section=section, cycle_id=cycle_id) for section in new], ignore_conflicts=True
            )
    return set(already_read) | {section.pk for section in new}
