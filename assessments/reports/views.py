from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Cycle, StaffImport
from ..selectors import current_cycle, status_of
from . import exports, selectors, staff_import
from .forms import DownloadForm, StaffFilterForm, StaffImportForm


def hr_required(view):
    """HR only: everyone else gets 403, whatever the method."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_hr:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _chosen_cycle(request, cycles: list[Cycle] | None = None) -> Cycle | None:
    """The cycle asked for in ?cycle=, else the current one, else the latest."""
    cycles = cycles if cycles is not None else list(Cycle.objects.all())
    wanted = request.GET.get("cycle", "")
    chosen = next((cycle for cycle in cycles if str(cycle.pk) == wanted), None)
    return chosen or next((cycle for cycle in cycles if cycle.is_current), None) or (cycles[0] if cycles else None)


def _no_cycle(request):
    return render(request, "assessments/no_cycle.html", {"page_title": _("There is no cycle open")})


@hr_required
@require_GET
def dashboard(request):
    cycles = list(Cycle.objects.all())
    cycle = _chosen_cycle(request, cycles)
    if cycle is None:
        return _no_cycle(request)
    return render(
        request,
        "reports/dashboard.html",
        {
            "page_title": _("Completion dashboard"),
            "cycle": cycle,
            "cycles": cycles,
            **selectors.dashboard(cycle=cycle),
            "small_group": selectors.SMALL_GROUP,
            "nav_section": "hr",
        },
    )


@hr_required
@require_GET
def staff(request):
    cycle = _chosen_cycle(request)
    if cycle is None:
        return _no_cycle(request)
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.staff_list(
        cycle=cycle,
        department=filters.get("department", ""),
        status=filters.get("status", ""),
        query=filters.get("q", ""),
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.status = status_of(person)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/staff.html",
        {
            "page_title": _("Staff"),
            "cycle": cycle,
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "nav_section": "hr",
        },
    )


@hr_required
@require_GET
def download(request):
    form = DownloadForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a report to download from the dashboard."))
    cycle = form.cleaned_data["cycle"] or current_cycle()
    if cycle is None:
        return _no_cycle(request)
    outstanding = form.cleaned_data["outstanding"]
    if form.cleaned_data["format"] in ("", "csv"):
        response = StreamingHttpResponse(
            exports.csv_lines(cycle=cycle, outstanding_only=outstanding), content_type="text/csv; charset=utf-8"
        )
        name = exports.filename(cycle=cycle, outstanding_only=outstanding, extension="csv")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        exports.xlsx_file(cycle=cycle, outstanding_only=outstanding),
        as_attachment=True,
        filename=exports.filename(cycle=cycle, outstanding_only=outstanding, extension="xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


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
            return redirect("reports:import-preview", pk=record.pk)
        row_errors = staff_import.format_errors(plan)
        form.add_error(
            "file", _("The file has problems. Nothing has been imported. Fix every row listed and upload it again.")
        )
    return render(
        request,
        "reports/import_upload.html",
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
            return redirect("reports:import")
        messages.success(
            request,
            _("Staff list imported: %(new)s new, %(changed)s changed, %(deactivated)s made inactive.")
            % {"new": len(plan.new), "changed": len(plan.changed), "deactivated": len(plan.deactivated)},
        )
        return redirect("reports:dashboard")
    plan = staff_import.preview(staff_import.parse(record.content), full=record.full)
    return render(
        request,
        "reports/import_preview.html",
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
    return redirect("reports:import")
