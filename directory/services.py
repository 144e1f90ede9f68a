"""The staff import's writes: upload, choose the columns, confirm. Each is one function in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import User

from .importing import columns
from .importing.applying import apply_plan
from .importing.planning import ImportPlan, build_plan
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
        preset=preset,
        mapping=columns.recognise(table.headings, preset),
        full=full,
    )


@transaction.atomic
def choose_columns(*, staff_import_id: int, by: User, mapping: dict[str, list[int]], preset: str) -> StaffImport:
    record = StaffImport.objects.select_for_update().get(pk=staff_import_id, uploaded_by=by)
    if record.status == StaffImport.Status.APPLIED:
        raise ValidationError(_("This staff list has already been imported."), code="applied")
    record.mapping, record.preset = mapping, preset
    record.save(update_fields=["mapping", "preset"])
    return record


@transaction.atomic
def cancel_staff_import(*, staff_import_id: int, by: User) -> None:
    """Throw away an upload that was previewed and not confirmed (nothing in the directory changes)."""
    record = StaffImport.objects.select_for_update().get(pk=staff_import_id, uploaded_by=by)
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
    record.save(update_fields=["status", "applied_at", "summary", "table"])
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
