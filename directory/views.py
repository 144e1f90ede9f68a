from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
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
from .importing.preview import ERRORS_SHOWN, Shown, describe, is_current
from .importing.reading import likely_rows
from .models import StaffImport
from .selectors import columns_sample

import_staff_required = permission_required(IMPORT_STAFF, raise_exception=True)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _open_import(request, pk, queryset=StaffImport.objects) -> StaffImport:
    return get_object_or_404(queryset, pk=pk, uploaded_by=request.user, status=StaffImport.Status.PREVIEWED)


def _progress(job: BackgroundJob):
    return redirect("outbox:job-progress", pk=job.pk)


@import_staff_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = StaffImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data, full = upload.read(), form.cleaned_data["full"]
        if likely_rows(data) > settings.BACKGROUND_IMPORT_ROWS:  # reading it takes seconds: the worker does
            job = services.upload_staff_list_for_worker(
                by=request.user, data=data, filename=upload.name, full=full, language=active_language()
            )
            return _progress(job)
        try:
            record = services.upload_staff_list(by=request.user, data=data, filename=upload.name, full=full)
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
    record = _open_import(request, pk, StaffImport.objects.defer("table", "upload"))
    reading = services.checking_jobs(record).first() if not record.row_count else None
    if reading is not None:  # a large file the worker has not read yet
        return _progress(reading)
    table = columns_sample(record)
    if table is None:
        raise Http404
    if request.method == "POST" and "apply_preset" in request.POST:
        preset = request.POST.get("preset") if request.POST.get("preset") in columns.PRESETS else record.preset
        mapping = columns.recognise(table.headings, None if preset == columns.CUSTOM else preset)
        form = ColumnsForm(initial=ColumnsForm.initial_for(mapping, preset), headings=table.headings)
    elif request.method == "POST":
        form = ColumnsForm(request.POST, headings=table.headings)
        if form.is_valid():
            checking = services.choose_columns(
                staff_import_id=record.pk,
                by=request.user,
                mapping=form.mapping(),
                preset=form.cleaned_data["preset"],
                language=active_language(),
            )
            return _progress(checking) if checking else redirect("directory:import-preview", pk=record.pk)
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
            "row_count": record.row_count,
            "nav_section": "hr",
        },
    )


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


def _shown(record: StaffImport) -> Shown | None:
    """What the preview shows: a large file's as the worker kept it (None if it is out of date), a small one's
    checked now."""
    if services.is_large(record):
        current = is_current(record.preview, mapping=record.mapping, full=record.full)
        return Shown(record.preview) if current else None
    return Shown(describe(services.plan_for(record), mapping=record.mapping, full=record.full))


@import_staff_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    # The upload itself is not loaded: a large file's preview is kept, a small one's table is read when checked.
    record = get_object_or_404(StaffImport.objects.defer("table", "upload"), pk=pk, uploaded_by=request.user)
    if record.status == StaffImport.Status.APPLIED:
        messages.info(request, _("This staff list has already been imported."))
        return redirect("reporting:dashboard")
    working = _import_in_background(record)
    if working is not None:  # confirmed already (a second click, or the back button): show its progress
        return _progress(working)
    plan = _shown(record)
    if plan is None:  # being checked, or checked with other columns: never checked here, in the request
        checking = services.checking_jobs(record).first()
        if checking is not None:
            return _progress(checking)
        messages.info(request, _("Check the columns and continue: the portal then checks the file again."))
        return redirect("directory:import-columns", pk=record.pk)
    form = ConfirmImportForm(request.POST or None, plan=plan)
    if request.method == "POST" and plan.is_valid and form.is_valid() and services.is_large(record):
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
        return _progress(job)
    if request.method == "POST" and plan.is_valid and form.is_valid():
        try:
            record, applied = services.apply_staff_import(
                staff_import_id=record.pk,
                by=request.user,
                keep_duplicates=form.keep_duplicates(),
                rename_departments=form.rename_departments(),
                deactivation_confirmed=form.cleaned_data.get("confirm_deactivation", False),
            )
        except ValidationError as error:
            for message in error.messages[:ERRORS_SHOWN]:
                messages.error(request, message)
            return redirect("directory:import-preview", pk=record.pk)
        messages.success(
            request,
            _("Staff list imported: %(new)s new, %(changed)s changed, %(deactivated)s made inactive.")
            % {"new": len(applied.new), "changed": len(applied.changed), "deactivated": len(applied.deactivated)},
        )
        return redirect("reporting:dashboard")
    return render(
        request,
        "directory/import_preview.html",
        {
            "page_title": _("Check the changes before you import"),
            "record": record,
            "plan": plan,
            "form": form,
            "row_errors": plan.errors,
            "more_errors": plan.more_errors,
            "nav_section": "hr",
        },
    )


@import_staff_required
@require_POST
def import_cancel(request, pk):
    record = _open_import(request, pk, StaffImport.objects.defer("table", "upload"))
    services.cancel_staff_import(staff_import_id=record.pk, by=request.user)
    messages.info(request, _("The import was cancelled. Nothing was changed."))
    return redirect("directory:import")
