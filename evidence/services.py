"""The one documented way evidence leaves the portal: acknowledgements older than the retention period, and the
published guidance versions nobody's remaining acknowledgement points at, removed and recorded in a RetentionRun.

It runs as the database's owner (`DATABASE_OWNER_URL`, else the default connection's role): on PostgreSQL only the
owner can unlock the evidence triggers. The run is itself a link of the evidence chain and lists the chain positions
it removed, so `verify_evidence` can tell a removal by retention from any other."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import Acknowledgement
from guidance.models import GuidanceVersion, Section, SectionRead

from . import chain
from .models import ChainLink, RetentionRun
from .roles import connected_as_owner
from .unlock import evidence_unlocked


def apply_retention(*, older_than_years: int, ran_by: str, dry_run: bool = False) -> RetentionRun:
    """Remove what is older than ``older_than_years`` (never less than the period the privacy notice states), as the
    owner role, in one transaction; with ``dry_run`` say what would go and remove nothing. Raises ValidationError for a
    period shorter than the stated one."""
    stated = settings.RETENTION_DECLARATION_YEARS
    if older_than_years < stated:
        # The privacy notice promises declarations are kept this long; removing them sooner breaks that promise.
        raise ValidationError(
            f"--older-than-years must be at least {stated}: the privacy notice states declarations are kept "
            f"{stated} years (RETENTION_DECLARATION_YEARS).",
            code="shorter_than_stated",
        )
    cutoff = timezone.now() - timedelta(days=365 * older_than_years)
    with connected_as_owner(), transaction.atomic():
        run = _remove_old_evidence(cutoff=cutoff, ran_by=ran_by, dry_run=dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return run


def _remove_old_evidence(*, cutoff: datetime, ran_by: str, dry_run: bool) -> RetentionRun:
    old_acknowledgements = Acknowledgement._base_manager.filter(created_at__lt=cutoff)
    references = sorted(old_acknowledgements.values_list("reference", flat=True))
    latest = GuidanceVersion.objects.latest_published()
    versions = (
        GuidanceVersion.objects.published()
        .filter(published_at__lt=cutoff)
        .exclude(pk=latest.pk if latest else None)
        .exclude(acknowledgements__created_at__gte=cutoff)
        .distinct()
    )
    removed_versions = [
        {"number": number, "sha256": digest} for number, digest in versions.values_list("number", "content_sha256")
    ]
    version_ids = list(versions.values_list("pk", flat=True))
    links = ChainLink.objects
    positions = sorted(
        [
            *links.filter(kind=ChainLink.Kind.DECLARATION, record_id__in=old_acknowledgements.values("pk")).values_list(
                "position", flat=True
            ),
            *links.filter(kind=ChainLink.Kind.VERSION, record_id__in=version_ids).values_list("position", flat=True),
        ]
    )
    sections = Section.objects.filter(version__in=version_ids)
    run = RetentionRun(
        ran_by=ran_by,
        cutoff=cutoff,
        acknowledgements_removed=len(references),
        versions_removed=len(removed_versions),
        sections_removed=sections.count(),
        removed={"acknowledgements": references, "guidance_versions": removed_versions, "chain_positions": positions},
    )
    if dry_run:
        return run
    with evidence_unlocked():
        old_acknowledgements._raw_delete(old_acknowledgements.db)
        doomed = GuidanceVersion.objects.filter(pk__in=version_ids)
        SectionRead.objects.filter(section__version__in=version_ids).delete()
        Section.objects.filter(version__in=version_ids).delete()
        doomed.delete()
    run.save()
    chain.append(kind=ChainLink.Kind.RETENTION, record=run)
    return run
