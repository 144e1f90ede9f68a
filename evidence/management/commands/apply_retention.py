"""The one documented way evidence leaves the portal: acknowledgements older than the retention period, and the
published guidance versions nobody's remaining acknowledgement points at, removed and recorded in a RetentionRun.

It runs as the database's owner (`DATABASE_OWNER_URL`, else the default connection's role): on
PostgreSQL only the owner can unlock the evidence triggers. The run is itself a link of the evidence chain and lists
the chain positions it removed, so `verify_evidence` can tell a removal by retention from any other."""

import getpass
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.models import Acknowledgement
from evidence import chain
from evidence.models import ChainLink, RetentionRun
from evidence.roles import connected_as_owner
from evidence.unlock import evidence_unlocked
from guidance.models import GuidanceVersion, Section, SectionRead


class Command(BaseCommand):
    help = (
        "Remove acknowledgements made more than N years ago and the old published guidance versions no remaining "
        "acknowledgement refers to (never the latest), recording what was removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-years",
            type=int,
            default=settings.RETENTION_DECLARATION_YEARS,
            help="Default: RETENTION_DECLARATION_YEARS, the period the privacy notice states.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed; remove nothing.")
        parser.add_argument("--by", default="", help="Who is running this (default: the operating-system user).")

    def handle(self, *args, older_than_years: int, dry_run=False, by="", **options):
        if older_than_years < 1:
            raise CommandError("--older-than-years must be at least 1.")
        cutoff = timezone.now() - timedelta(days=365 * older_than_years)
        with connected_as_owner(), transaction.atomic():
            run = remove_old_evidence(cutoff=cutoff, ran_by=by or getpass.getuser(), dry_run=dry_run)
            if dry_run:
                transaction.set_rollback(True)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {run.acknowledgements_removed} acknowledgements, {run.versions_removed} guidance versions and "
            f"{run.sections_removed} sections from before {cutoff:%Y-%m-%d}."
        )


def remove_old_evidence(*, cutoff, ran_by: str, dry_run: bool = False) -> RetentionRun:
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
