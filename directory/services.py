"""The staff import's writes: upload, choose the columns, confirm. Each is one function in one transaction."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outbox.background import start_job
from outbox.models import BackgroundJob
from portal.models import User

from .importing import columns, preview
from .importing.applying import apply_plan
from .importing.planning import ImportPlan, build_plan, mapping_errors
from .importing.reading import Table, read_table
from .models import StaffImport
from .signals import announce_staff_changed


@transaction.atomic
def upload_staff_list(*, by: User, data: bytes, filename: str, full: bool = False) -> StaffImport:
    """Read the file and keep it for the column-matching step. Raises ValidationError when it cannot be read."""
    table = read_table(data, filename)
    preset = columns.detect_preset(table.headings)
    return StaffImport.objects.create(
        uploaded_by=by,
        filename=filename[:255],
        table=table.as_json(),
        row_count=len(table.rows),
        preset=preset,
        mapping=columns.recognise(table.headings, preset),
        full=full,
    )


def is_large(record: StaffImport) -> bool:
    """Past BACKGROUND_IMPORT_ROWS rows, checking and writing take seconds: the worker does them, not the request."""
    return record.row_count > settings.BACKGROUND_IMPORT_ROWS


@transaction.atomic
def upload_staff_list_for_worker(
    *, by: User, data: bytes, filename: str, full: bool = False, language: str
) -> BackgroundJob:
    """Keep a large file unread and hand it to the worker, which reads it, matches its columns and checks it
    (check_staff_list). The upload and its job are saved together, or neither."""
    record = StaffImport.objects.create(uploaded_by=by, filename=filename[:255], upload=data, full=full)
    return start_job(
        kind=BackgroundJob.Kind.STAFF_IMPORT_PLAN, by=by, params={"staff_import": record.pk}, language=language
    )


@transaction.atomic
def choose_columns(
    *, staff_import_id: int, by: User, mapping: dict[str, list[int]], preset: str, language: str = "en"
) -> BackgroundJob | None:
    """Keep the columns HR chose. For a large file whose kept preview was made from other columns, start checking
    it again in the worker, and return that job."""
    record = StaffImport.objects.defer("table", "upload").select_for_update().get(pk=staff_import_id, uploaded_by=by)
    if record.status == StaffImport.Status.APPLIED:
        raise ValidationError(_("This staff list has already been imported."), code="applied")
    record.mapping, record.preset = mapping, preset
    if not preview.is_current(record.preview, mapping=mapping, full=record.full):
        record.preview = {}
    record.save(update_fields=["mapping", "preset", "preview"])
    if is_large(record) and not record.preview:
        # A check still waiting to start reads these columns when it starts; one already running read others.
        waiting = checking_jobs(record).filter(status=BackgroundJob.Status.QUEUED).first()
        return waiting or start_job(
            kind=BackgroundJob.Kind.STAFF_IMPORT_PLAN, by=by, params={"staff_import": record.pk}, language=language
        )
    return None


def checking_jobs(record: StaffImport):
    """The worker's checks of this upload not yet finished, the latest first."""
    return BackgroundJob.objects.filter(
        kind=BackgroundJob.Kind.STAFF_IMPORT_PLAN,
        requested_by_id=record.uploaded_by_id,
        params__staff_import=record.pk,
        status__in=[BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING],
    ).order_by("-created_at", "-pk")


def check_staff_list(*, staff_import_id: int, by) -> str:
    """The worker's part of a large import before anyone confirms it: read the file if it waits unread (and match
    its columns), then check every row against the directory once, and keep what the preview shows.

    Returns the page to go on to: the columns after reading, else the preview. Everything is worked out first and
    saved in one short transaction at the end, so a failure saves nothing and HR's pages never wait on a lock.
    Raises ValidationError (with HR's message) when the file cannot be read.
    """
    record = StaffImport.objects.get(pk=staff_import_id, uploaded_by=by, status=StaffImport.Status.PREVIEWED)
    changes = {}
    if record.table:
        table = Table.from_json(record.table)
    else:
        table = read_table(bytes(record.upload), record.filename)
        record.preset = columns.detect_preset(table.headings)
        record.mapping = columns.recognise(table.headings, record.preset)
        changes = {
            "table": table.as_json(), "row_count": len(table.rows), "upload": b"",
            "preset": record.preset, "mapping": record.mapping,
        }  # fmt: skip
        record.row_count = len(table.rows)
    mapping, full = record.mapping, record.full
    if is_large(record) and not mapping_errors(mapping, table.headings):
        plan = build_plan(table, mapping, full=full)
        errors = preview.in_every_language(plan, lambda: build_plan(table, mapping, full=full))
        changes["preview"] = preview.describe(plan, mapping=mapping, full=full, errors=errors)
    with transaction.atomic():
        current = StaffImport.objects.defer("table", "upload").select_for_update().filter(pk=record.pk).first()
        # Cancelled while this ran, or columns chosen again (the job started then checks those): nothing to keep.
        just_read = "table" in changes
        if current and current.status == StaffImport.Status.PREVIEWED and (just_read or current.mapping == mapping):
            StaffImport.objects.filter(pk=record.pk).update(**changes)
    return "directory:import-columns" if "table" in changes else "directory:import-preview"


@transaction.atomic
def forget_unread_upload(*, staff_import_id: int) -> None:
    """A large file the worker could not read: nothing of it is kept; HR upload a corrected file."""
    StaffImport.objects.filter(pk=staff_import_id, table={}, status=StaffImport.Status.PREVIEWED).delete()


@transaction.atomic
def cancel_staff_import(*, staff_import_id: int, by: User) -> None:
    """Throw away an upload that was previewed and not confirmed (nothing in the directory changes)."""
    record = StaffImport.objects.defer("table", "upload").select_for_update().get(pk=staff_import_id, uploaded_by=by)
    if record.status == StaffImport.Status.APPLIED:
        raise ValidationError(_("This staff list has already been imported."), code="applied")
    record.delete()


def plan_for(record: StaffImport, *, keep_duplicates=(), rename_departments=()) -> ImportPlan:
    return build_plan(
        Table.from_json(record.table),
        record.mapping,
        full=record.full,
        keep_duplicates=keep_duplicates,
        rename_departments=rename_departments,
    )


def _refuse_unless_valid(plan: ImportPlan) -> None:
    if not plan.is_valid:
        raise ValidationError([str(error) for error in plan.errors], code="invalid_rows")


@transaction.atomic
def apply_staff_import(
    *, staff_import_id: int, by: User, keep_duplicates=(), rename_departments=(), deactivation_confirmed: bool = False
) -> tuple[StaffImport, ImportPlan]:
    """Confirm a previewed upload: all rows or none. A second confirmation (double click) changes nothing."""
    record = StaffImport.objects.select_for_update().get(pk=staff_import_id, uploaded_by=by)
    if record.status == StaffImport.Status.APPLIED:
        raise ValidationError(_("This staff list has already been imported."), code="applied")
    plan = plan_for(record, keep_duplicates=keep_duplicates, rename_departments=rename_departments)
    _refuse_unless_valid(plan)
    if plan.deactivated and not deactivation_confirmed:
        raise ValidationError(
            ngettext(
                "Confirm that %(count)s person not in the list will be made inactive.",
                "Confirm that %(count)s people not in the list will be made inactive.",
                len(plan.deactivated),
            )
            % {"count": len(plan.deactivated)},
            code="confirm_deactivation",
        )
    apply_plan(plan, by=by)
    transaction.on_commit(announce_staff_changed)  # bulk writes send no model signals
    record.status = StaffImport.Status.APPLIED
    record.applied_at = timezone.now()
    record.summary = summary(plan)
    record.table = {}  # the directory now holds the people; the upload is not kept twice
    record.preview = {}  # nor the names it showed
    record.save(update_fields=["status", "applied_at", "summary", "table", "preview"])
    return record, plan


def summary(plan: ImportPlan) -> dict:
    return {
        "new": len(plan.new),
        "changed": len(plan.changed),
        "deactivated": len(plan.deactivated),
        "unchanged": plan.unchanged,
        "guests_skipped": plan.guests_skipped,
        "departments_created": len(plan.departments_to_create),
        "departments_renamed": len(plan.departments_renamed),
    }


def mapping_from_headings(headings: list[str], chosen: dict[str, str | list[str]]) -> dict[str, list[int]]:
    """A mapping file names headings (``{"staff_number": ["employeeId", "objectId"]}``); find their columns."""
    positions = {columns.normalise(heading): index for index, heading in reversed(list(enumerate(headings)))}
    mapping, unknown = {}, []
    for field, names in chosen.items():
        if field not in columns.FIELD_NAMES:
            raise ValidationError(_("“%(field)s” is not a field the import knows.") % {"field": field})
        names = [names] if isinstance(names, str) else list(names)
        found = [positions[columns.normalise(name)] for name in names if columns.normalise(name) in positions]
        unknown += [name for name in names if columns.normalise(name) not in positions]
        if found:
            mapping[field] = found
    if unknown:
        raise ValidationError(
            _("The file has no column called %(names)s.") % {"names": ", ".join(f"“{name}”" for name in unknown)}
        )
    return mapping


def plan_staff_file(
    *, data: bytes, filename: str = "staff.csv", full: bool = False, preset: str | None = None,
    mapping: dict | None = None, keep_duplicates=(), rename_departments=(),
) -> ImportPlan:  # fmt: skip
    """What importing a file would do, changing nothing (the command line's dry run and its plan before asking).

    Raises ValidationError when the file cannot be read or its columns cannot be found; row problems are in the plan.
    """
    table = read_table(data, filename)
    chosen = mapping_from_headings(table.headings, mapping) if mapping else columns.recognise(table.headings, preset)
    return build_plan(table, chosen, full=full, keep_duplicates=keep_duplicates, rename_departments=rename_departments)


@transaction.atomic
def import_staff(
    *, data: bytes, filename: str = "staff.csv", full: bool = False, preset: str | None = None,
    mapping: dict | None = None, keep_duplicates=(), rename_departments=(), by=None,
    confirmed_deactivations: int | None = None,
) -> ImportPlan:  # fmt: skip
    """The command line's import, in one go: read, match the columns, check, write. All rows or none.

    ``confirmed_deactivations``: how many people HR agreed to make inactive; if the directory changed since and the
    number differs, nothing is written.
    """
    plan = plan_staff_file(
        data=data, filename=filename, full=full, preset=preset, mapping=mapping,
        keep_duplicates=keep_duplicates, rename_departments=rename_departments,
    )  # fmt: skip
    _refuse_unless_valid(plan)
    if confirmed_deactivations is not None and len(plan.deactivated) != confirmed_deactivations:
        raise ValidationError(
            _(
                "The directory changed while the import waited for confirmation: the number of people it would make "
                "inactive is now %(now)s, not %(confirmed)s. Nothing was changed; check the plan again."
            )
            % {"now": len(plan.deactivated), "confirmed": confirmed_deactivations},
            code="changed_since_confirmation",
        )
    apply_plan(plan, by=by)
    transaction.on_commit(announce_staff_changed)
    return plan
