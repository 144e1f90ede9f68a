from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outbox.background import start_job
from outbox.models import BackgroundJob
from portal.i18n import active_language
from portal.roles import IMPORT_STAFF

from . import services
from .forms import ColumnsForm, ConfirmImportForm, StaffImportForm
from .importing import columns, template_file
from .importing.reading import Table
from .models import StaffImport

import_staff_required = permission_required(IMPORT_STAFF, raise_exception=True)

MAX_ERRORS_SHOWN = 300
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _open_import(request, pk) -> StaffImport:
    return get_object_or_404(StaffImport, pk=pk, uploaded_by=request.user, status=StaffImport.Status.PREVIEWED)


@import_staff_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = StaffImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.upload_staff_list(
                by=request.user, data=upload.read(), filename=upload.name, full=form.cleaned_data["full"]
            )
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            return redirect("directory:import-columns", pk=record.pk)
    return render(
        request,
        "directory/import_upload.html",
        {"page_title": _("Import the staff list"), "form": form, "fields": columns.FIELDS, "nav_section": "hr"},
    )


@import_staff_required
@require_GET
def import_template(request):
    kind = request.GET.get("format", "csv")
    if kind not in CONTENT_TYPES:
        kind = "csv"
    body = template_file.xlsx_bytes() if kind == "xlsx" else template_file.csv_bytes()
    response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{template_file.filename(kind)}"'
    return response


@import_staff_required
@require_http_methods(["GET", "POST"])
def import_columns(request, pk):
    record = _open_import(request, pk)
    table = Table.from_json(record.table)
    if request.method == "POST" and "apply_preset" in request.POST:
        preset = request.POST.get("preset") if request.POST.get("preset") in columns.PRESETS else record.preset
        mapping = columns.recognise(table.headings, None if preset == columns.CUSTOM else preset)
        form = ColumnsForm(initial=ColumnsForm.initial_for(mapping, preset), headings=table.headings)
    elif request.method == "POST":
        form = ColumnsForm(request.POST, headings=table.headings)
        if form.is_valid():
            services.choose_columns(
                staff_import_id=record.pk, by=request.user, mapping=form.mapping(), preset=form.cleaned_data["preset"]
            )
            return redirect("directory:import-preview", pk=record.pk)
    else:
        form = ColumnsForm(initial=ColumnsForm.initial_for(record.mapping, record.preset), headings=table.headings)
    headings = [
        {"heading": heading, "examples": columns.examples(table.rows, index)}
        for index, heading in enumerate(table.headings)
        if heading
    ]
    return render(
        request,
        "directory/import_columns.html",
        {
            "page_title": _("Match the columns"),
            "record": record,
            "form": form,
            "headings": headings,
            "row_count": len(table.rows),
            "nav_section": "hr",
        },
    )


def _is_large(record: StaffImport) -> bool:
    """Past BACKGROUND_IMPORT_ROWS rows, writing them takes seconds: the worker applies the import, not the request."""
    return len(record.table.get("rows", ())) > settings.BACKGROUND_IMPORT_ROWS


def _import_in_background(record: StaffImport) -> BackgroundJob | None:
    return (
        BackgroundJob.objects.filter(
            kind=BackgroundJob.Kind.STAFF_IMPORT,
            requested_by=record.uploaded_by,
            params__staff_import=record.pk,
            status__in=[BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING, BackgroundJob.Status.DONE],
        )
        .order_by("-created_at")
        .first()
    )


@import_staff_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    record = get_object_or_404(StaffImport, pk=pk, uploaded_by=request.user)
    if record.status == StaffImport.Status.APPLIED:
        messages.info(request, _("This staff list has already been imported."))
        return redirect("reporting:dashboard")
    working = _import_in_background(record)
    if working is not None:  # confirmed already (a second click, or the back button): show its progress
        return redirect("outbox:job-progress", pk=working.pk)
    plan = services.plan_for(record)
    form = ConfirmImportForm(request.POST or None, plan=plan)
    if request.method == "POST" and plan.is_valid and form.is_valid() and _is_large(record):
        job = start_job(
            kind=BackgroundJob.Kind.STAFF_IMPORT,
            by=request.user,
            params={
                "staff_import": record.pk,
                "keep_duplicates": form.keep_duplicates(),
                "rename_departments": form.rename_departments(),
                "deactivation_confirmed": form.cleaned_data.get("confirm_deactivation", False),
            },
            language=active_language(),
        )
        return redirect("outbox:job-progress", pk=job.pk)
    if request.method == "POST" and plan.is_valid and form.is_valid():
        try:
            record, plan = services.apply_staff_import(
                staff_import_id=record.pk,
                by=request.user,
                keep_duplicates=form.keep_duplicates(),
                rename_departments=form.rename_departments(),
                deactivation_confirmed=form.cleaned_data.get("confirm_deactivation", False),
            )
        except ValidationError as error:
            for message in error.messages[:MAX_ERRORS_SHOWN]:
                messages.error(request, message)
            return redirect("directory:import-preview", pk=record.pk)
        messages.success(
            request,
            _("Staff list imported: %(new)s new, %(changed)s changed, %(deactivated)s made inactive.")
            % {"new": len(plan.new), "changed": len(plan.changed), "deactivated": len(plan.deactivated)},
        )
        return redirect("reporting:dashboard")
    errors = [str(error) for error in plan.errors]
    return render(
        request,
        "directory/import_preview.html",
        {
            "page_title": _("Check the changes before you import"),
            "record": record,
            "plan": plan,
            "form": form,
            "row_errors": errors[:MAX_ERRORS_SHOWN],
            "more_errors": max(len(errors) - MAX_ERRORS_SHOWN, 0),
            "nav_section": "hr",
        },
    )


@import_staff_required
@require_POST
def import_cancel(request, pk):
    record = _open_import(request, pk)
    services.cancel_staff_import(staff_import_id=record.pk, by=request.user)
    messages.info(request, _("The import was cancelled. Nothing was changed."))
    return redirect("directory:import")
