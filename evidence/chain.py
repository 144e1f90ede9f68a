"""The evidence chain: every declaration, published guidance version and retention run, hashed in the order written.

Each `ChainLink` holds the SHA-256 of the previous link and of its record's content, so a record changed, removed or
slipped in breaks the chain from there on, even when done by a database superuser with the triggers off: to hide it
they would have to rewrite every later link, which changes the head. The head (position and SHA-256) is written where
an auditor can keep it (the worker's daily log line, HR's XLSX summary); `manage.py verify_evidence` re-hashes
everything, reports the first break and can check that a head noted earlier is still part of the chain.

Links are appended by the write services under a lock (a transaction-scoped advisory lock on PostgreSQL; SQLite's
transactions already take the one write lock at BEGIN), so concurrent declarations still form one chain.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from .models import ChainLink, RetentionRun

GENESIS = "0" * 64
LOCK_KEY = 2_027_000_001  # any constant shared by every process appending to the chain
BATCH = 2000


def _time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else None


def declaration_content(record) -> dict:
    """What a declaration's link vouches for: what its record and the printed PDF show."""
    attempt, cycle = record.attempt, record.cycle
    return {
        "reference": record.reference,
        "user": record.user_id,
        "cycle": cycle.name,
        "guidance_version": record.guidance_version.number,
        "content_sha256": record.content_sha256,
        "language": record.language,
        "created_at": _time(record.created_at),
        "attempt": {"id": attempt.pk, "score": attempt.score, "total": attempt.total, "passed": attempt.passed},
    }


def version_content(version) -> dict:
    return {
        "number": version.number,
        "content_sha256": version.content_sha256,
        "published_at": _time(version.published_at),
        "change_summary_en": version.change_summary_en,
        "change_summary_cy": version.change_summary_cy,
        "requires_reacknowledgement": version.requires_reacknowledgement,
    }


def retention_content(run: RetentionRun) -> dict:
    return {
        "ran_at": _time(run.ran_at),
        "ran_by": run.ran_by,
        "cutoff": _time(run.cutoff),
        "removed": run.removed,
    }


CONTENT: dict[str, Callable[[Any], dict]] = {
    ChainLink.Kind.DECLARATION: declaration_content,
    ChainLink.Kind.VERSION: version_content,
    ChainLink.Kind.RETENTION: retention_content,
}


def link_digest(previous: str, kind: str, content: dict) -> str:
    canonical = json.dumps({"kind": kind, **content}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


def _lock(using: str) -> None:
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("Evidence chain links are appended inside the transaction that writes the record.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def append(*, kind: str, record, using: str = DEFAULT_DB_ALIAS) -> ChainLink:
    """Link `record` to the end of the chain; call inside the transaction that writes it."""
    return append_all(kind=kind, records=[record], using=using)[-1]


def append_all(*, kind: str, records, using: str = DEFAULT_DB_ALIAS) -> list[ChainLink]:
    """Link several records, in the order given, to the end of the chain (one lock, one insert)."""
    _lock(using)
    last = ChainLink.objects.using(using).order_by("-position").only("position", "digest").first()
    previous, position = (last.digest, last.position) if last else (GENESIS, 0)
    links = []
    for record in records:
        position += 1
        digest = link_digest(previous, kind, CONTENT[kind](record))
        links.append(ChainLink(position=position, kind=kind, record_id=record.pk, previous=previous, digest=digest))
        previous = digest
    return ChainLink.objects.using(using).bulk_create(links, batch_size=1000)


def head() -> ChainLink | None:
    return ChainLink.objects.order_by("-position").first()


def describe_head() -> str:
    """The chain's head as one line an auditor can copy and check later with `verify_evidence --head`."""
    last = head()
    return f"{last.position}:{last.digest}" if last else f"0:{GENESIS}"


@dataclass
class Verification:
    links: int = 0
    head: str = f"0:{GENESIS}"
    breaks: list[str] = field(default_factory=list)
    retained_away: int = 0

    @property
    def intact(self) -> bool:
        return not self.breaks


def _records(kind: str, ids: list[int]) -> dict[int, Any]:
    from assessments.models import Acknowledgement
    from guidance.models import GuidanceVersion

    queryset: QuerySet[Any]
    if kind == ChainLink.Kind.DECLARATION:
        queryset = Acknowledgement._base_manager.select_related("attempt", "cycle", "guidance_version")
    elif kind == ChainLink.Kind.VERSION:
        queryset = GuidanceVersion._base_manager.all()
    else:
        queryset = RetentionRun._base_manager.all()
    return queryset.in_bulk(ids)


def _links() -> Iterator[list[ChainLink]]:
    after = 0
    while True:
        batch = list(ChainLink.objects.filter(position__gt=after).order_by("position")[:BATCH])
        if not batch:
            return
        yield batch
        after = batch[-1].position


def _removed_by_retention() -> set[int]:
    positions = set()
    for removed in RetentionRun._base_manager.values_list("removed", flat=True):
        positions.update(removed.get("chain_positions", []))
    return positions


def verify(*, expected_head: str = "") -> Verification:
    """Re-hash every link from the first; note each break (the first is the one that matters)."""
    result = Verification()
    removed = _removed_by_retention()
    previous, position = GENESIS, 0
    digests = {}
    for batch in _links():
        records = {kind: _records(kind, [link.record_id for link in batch if link.kind == kind]) for kind in CONTENT}
        for link in batch:
            if link.position != position + 1:
                result.breaks.append(f"position {position + 1}: the link is missing")
            elif link.previous != previous:
                result.breaks.append(f"{_where(link)}: does not follow the link before it")
            _check_record(link, records[link.kind].get(link.record_id), removed=removed, result=result)
            previous, position = link.digest, link.position
            digests[link.position] = link.digest
            result.links += 1
    result.head = f"{position}:{previous}"
    if expected_head:
        kept_position, _colon, kept_digest = expected_head.partition(":")
        if not kept_position.isdigit() or digests.get(int(kept_position)) != kept_digest.strip().lower():
            result.breaks.append(f"the head {expected_head} noted earlier is no longer part of the chain")
    result.breaks += _unlinked_records()
    return result


def _where(link: ChainLink) -> str:
    return f"position {link.position} ({link.get_kind_display()} {link.record_id})"


def _check_record(link: ChainLink, record, *, removed: set[int], result: Verification) -> None:
    """The record a link names is there (or was removed by retention) and hashes to the link's digest."""
    from guidance.models import version_sha256

    if record is None:
        if link.position in removed:
            result.retained_away += 1
        else:
            result.breaks.append(f"{_where(link)}: the record is missing")
    elif link_digest(link.previous, link.kind, CONTENT[link.kind](record)) != link.digest:
        result.breaks.append(f"{_where(link)}: the record has changed")
    elif link.kind == ChainLink.Kind.VERSION and version_sha256(record) != record.content_sha256:
        result.breaks.append(f"{_where(link)}: the text of the version has changed")


def _unlinked_records() -> list[str]:
    """Declarations and published versions the chain does not hold (the first ten of each)."""
    from assessments.models import Acknowledgement
    from guidance.models import GuidanceVersion

    breaks = []
    for kind, model in ((ChainLink.Kind.DECLARATION, Acknowledgement), (ChainLink.Kind.VERSION, GuidanceVersion)):
        linked = ChainLink.objects.filter(kind=kind).values("record_id")
        unlinked: QuerySet[Any] = model._base_manager.exclude(pk__in=linked)
        if kind == ChainLink.Kind.VERSION:
            unlinked = unlinked.filter(status=GuidanceVersion.Status.PUBLISHED)
        for pk in unlinked.order_by("pk").values_list("pk", flat=True)[:10]:
            breaks.append(f"{ChainLink.Kind(kind).label} {pk} is not in the chain")
    return breaks
