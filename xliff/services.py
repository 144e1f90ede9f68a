"""Exporting a draft's text for translation and bringing the Welsh back. Each write is one transaction."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guidance.comparison import mark_up
from guidance.content import read_content
from guidance.models import GuidanceVersion, Section
from guidance.review import english_fingerprint

from . import files
from .models import LinkPair, TranslationExport, TranslationImport, welsh_counterparts
from .units import Unit, units_for

MAX_BYTES = 5 * 1024 * 1024


@transaction.atomic
def load_shipped_link_pairs() -> int:
    """The English and Welsh addresses the shipped guidance links to, so its translation file comes back accepted;
    editors add more in the admin ("Link pairs"). One already there is left as an editor may have changed it. Returns
    how many were added."""
    added = 0
    for pair in read_content().get("link_pairs", []):
        if not LinkPair.objects.filter(english_address=pair["english_address"]).exists():
            added += LinkPair.objects.get_or_create(welsh_address=pair["welsh_address"], defaults=pair)[1]
    return added


@transaction.atomic
def export_for_translation(*, version: GuidanceVersion, everything: bool, by) -> tuple[TranslationExport, bytes]:
    """An XLIFF file of a draft's new and changed text (or all of it), recorded so the returned file can be checked."""
    if version.is_published:
        raise ValidationError(_("Only a draft can be sent for translation. Start a new draft first."), code="published")
    units = [unit for unit in units_for(version) if everything or unit.changed]
    export = TranslationExport.objects.create(
        version=version, everything=everything, units={unit.id: unit.english for unit in units}, created_by=by
    )
    return export, files.build(file_id=export.file_id, units=units)


@dataclass
class Change:
    unit: Unit
    new_welsh: str
    # The translator wrote or confirmed this Welsh against this English; False for a unit sent back as it went out,
    # still marked as needing review: it changes nothing, and the Welsh stays to be reviewed.
    reviewed: bool = True

    @property
    def is_change(self) -> bool:
        return self.new_welsh != self.unit.welsh

    @property
    def marked_up(self) -> SafeString:
        return mark_up(self.unit.welsh, self.new_welsh)


def check_import(*, content: bytes) -> tuple[TranslationExport | None, list[Change], list[str]]:
    """Read a returned file against its export and the text as it is now: the changes it would make, or why not."""
    try:
        file_id, returned = files.read(content)
    except files.UnreadableFile as error:
        return None, [], [str(error)]
    export = _export_named(file_id)
    if export is None:
        return None, [], [_("This file was not exported from the portal (its file id is “%(id)s”).") % {"id": file_id}]
    if export.version.is_published:
        return (
            export,
            [],
            [
                _("Version %(number)s has been published since this file was exported. Export from the new draft.")
                % {"number": export.version.number}
            ],
        )
    current = {unit.id: unit for unit in units_for(export.version)}
    counterparts = welsh_counterparts()
    problems: list[str] = []
    changes: list[Change] = []
    seen: set[str] = set()
    for item in returned:
        problem = _unit_problem(item, export=export, current=current, seen=seen)
        seen.add(item.id)
        if problem:
            problems.append(problem)
            continue
        unit = current[item.id]
        if item.unreviewed and item.target == unit.welsh:
            changes.append(Change(unit, item.target, reviewed=False))  # untouched: the file may come back as it went
            continue
        if item.target == unit.welsh and not (unit.changed and not unit.confirmed):
            # The Welsh the portal holds and already counts as reviewed (it went out "translated"), sent back as it
            # is: nothing to check, or a file the portal made could be refused over text nobody touched.
            changes.append(Change(unit, item.target))
            continue
        unit_problems = files.problems_with(unit, item, counterparts=counterparts)
        problems += unit_problems
        if not unit_problems:
            changes.append(Change(unit, item.target))
    for missing in [unit_id for unit_id in export.units if unit_id not in seen]:
        where = current[missing].where if missing in current else missing
        problems.append(
            _("%(where)s: the unit is missing from the file (id “%(id)s”)") % {"where": where, "id": missing}
        )
    return export, changes, problems


def _export_named(file_id: str) -> TranslationExport | None:
    """The export a returned file says it came from, or None when the portal did not write that id."""
    named = TranslationExport.FILE_ID.fullmatch(file_id)
    return TranslationExport.objects.select_related("version").filter(pk=int(named[1])).first() if named else None


def _unit_problem(item, *, export: TranslationExport, current: dict[str, Unit], seen: set[str]) -> str:
    """Why a returned unit cannot be used at all ("" when it can be checked): repeated, never sent, gone from the
    draft, or its English changed in the file or in the portal."""
    if item.id in seen:
        return _("Unit “%(id)s” is in the file twice") % {"id": item.id}
    if item.id not in export.units:
        return _("Unit “%(id)s” was not in the file the portal exported") % {"id": item.id}
    unit = current.get(item.id)
    if unit is None:
        return _("Unit “%(id)s” is no longer in draft version %(number)s") % {
            "id": item.id,
            "number": export.version.number,
        }
    if item.source != export.units[item.id]:
        return _("%(where)s: the English in the file was changed; only the Welsh may be") % {"where": unit.where}
    if unit.english != export.units[item.id]:
        return _("%(where)s: the English has changed in the portal since this file was exported; export it again") % {
            "where": unit.where
        }
    return ""


@transaction.atomic
def stage_import(*, filename: str, content: bytes, by) -> TranslationImport:
    """Record an uploaded file with what it would change or why it cannot be used; nothing else changes yet."""
    content = files.as_utf8(content)
    export, changes, problems = check_import(content=content)
    return TranslationImport.objects.create(
        export=export,
        filename=filename[:255],
        content=content.decode("utf-8", errors="replace").replace("\x00", "\ufffd"),  # no database stores NUL
        status=TranslationImport.Status.REFUSED if problems else TranslationImport.Status.PREVIEW,
        problems=problems,
        changed_units=[change.unit.id for change in changes if change.is_change],
        uploaded_by=by,
    )


@transaction.atomic
def apply_import(*, staged: TranslationImport, by) -> list[Change]:
    """Write the file's Welsh, all of it or none: the file is checked again against the text as it is now."""
    staged = TranslationImport.objects.select_for_update().get(pk=staged.pk)
    if staged.status != TranslationImport.Status.PREVIEW:
        raise ValidationError(_("This file has already been applied or was refused."), code="not_pending")
    export, changes, problems = check_import(content=staged.content.encode("utf-8"))
    if problems:
        raise ValidationError(problems, code="invalid")
    reason = _("Welsh from the translation file %(file)s") % {"file": staged.filename}
    # One review covers a section's title and text: a part sent back still for review leaves it unreviewed.
    unreviewed_sections = {change.unit.obj.pk for change in changes if isinstance(change.unit.obj, Section)
                           and not change.reviewed}  # fmt: skip
    for change in changes:
        obj = change.unit.obj
        if change.is_change:
            setattr(obj, f"{change.unit.field}_cy", change.new_welsh)
        stamp = False
        if isinstance(obj, Section) and obj.pk not in unreviewed_sections:
            # The translator wrote (or confirmed) this Welsh against this English: it counts as reviewed.
            obj.welsh_reviewed_sha256 = english_fingerprint(obj)
            stamp = True
        if change.is_change or stamp:
            obj._history_user = by  # type: ignore[attr-defined]  # django-simple-history's, for the history entry
            obj._change_reason = reason  # type: ignore[attr-defined]
            obj.save()
    staged.status = TranslationImport.Status.APPLIED
    staged.applied_at = timezone.now()
    staged.changed_units = [change.unit.id for change in changes if change.is_change]
    staged.confirmed_units = {change.unit.id: change.unit.english for change in changes if change.reviewed}
    staged.save(update_fields=["status", "applied_at", "changed_units", "confirmed_units"])
    return changes
