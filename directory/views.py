from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.reports.views import hr_required

from . import staff_import
from .forms import StaffImportForm
from .models import StaffImport


@hr_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = StaffImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    row_errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        full = form.cleaned_data["full"]
        plan = staff_import.plan_from_bytes(data, full=full)
        if plan.is_valid:
            record = StaffImport.objects.create(
                uploaded_by=request.user,
                filename=form.cleaned_data["file"].name[:255],
                content=staff_import.decode(data),
                full=full,
            )
            return redirect("directory:import-preview", pk=record.pk)
        row_errors = staff_import.format_errors(plan)
        form.add_error(
            "file", _("The file has problems. Nothing has been imported. Fix every row listed and upload it again.")
        )
    return render(
        request,
        "directory/import_upload.html",
        {
            "page_title": _("Import the staff list"),
            "form": form,
            "row_errors": row_errors,
            "columns": staff_import.COLUMNS,
            "nav_section": "hr",
        },
    )


@hr_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    record = get_object_or_404(StaffImport, pk=pk, uploaded_by=request.user)
    if record.status == StaffImport.Status.APPLIED:
        messages.info(request, _("This staff list has already been imported."))
        return redirect("reports:dashboard")
    if request.method == "POST":
        try:
            record, plan = staff_import.apply_staff_import(staff_import_id=record.pk, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("directory:import")
        messages.success(
            request,
            _("Staff list imported: %(new)s new, %(changed)s changed, %(deactivated)s made inactive.")
            % {"new": len(plan.new), "changed": len(plan.changed), "deactivated": len(plan.deactivated)},
        )
        return redirect("reports:dashboard")
    plan = staff_import.preview(staff_import.parse(record.content), full=record.full)
    return render(
        request,
        "directory/import_preview.html",
        {
            "page_title": _("Check the changes before you import"),
            "record": record,
            "plan": plan,
            "row_errors": staff_import.format_errors(plan),
            "nav_section": "hr",
        },
    )


@hr_required
@require_POST
def import_cancel(request, pk):
    record = get_object_or_404(StaffImport, pk=pk, uploaded_by=request.user, status=StaffImport.Status.PREVIEWED)
    record.delete()
    messages.info(request, _("The import was cancelled. Nothing was changed."))
    return redirect("directory:import")
