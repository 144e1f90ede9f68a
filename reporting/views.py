import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments import closing
from assessments.selectors import current_cycle
from assessments.status import PersonStatus, people_in_report
from cycles.models import Cycle
from outbox.background import start_job
from outbox.models import BackgroundJob
from portal.i18n import active_language
from portal.roles import VIEW_HR_REPORTS

from . import chasing, exports, selectors, workbook
from . import figures as insight_figures
from .forms import DownloadForm, StaffFilterForm

# HR's pages: everyone without the permission gets 403, whatever the method.
hr_reports_required = permission_required(VIEW_HR_REPORTS, raise_exception=True)


def _chosen_cycle(request, cycles: list[Cycle] | None = None, *, data=None) -> Cycle | None:
    """The cycle asked for in ?cycle= (or the form's cycle field), else the current one, else the latest."""
    cycles = cycles if cycles is not None else list(Cycle.objects.all())
    wanted = (request.GET if data is None else data).get("cycle", "")
    chosen = next((cycle for cycle in cycles if str(cycle.pk) == wanted), None)
    return chosen or next((cycle for cycle in cycles if cycle.is_current), None) or (cycles[0] if cycles else None)


def _no_cycle(request):
    return render(request, "assessments/no_cycle.html", {"page_title": _("There is no cycle open")})


@hr_reports_required
@require_GET
def dashboard(request):
    cycles = list(Cycle.objects.all())
    cycle = _chosen_cycle(request, cycles)
    if cycle is None:
        return _no_cycle(request)
    previous = next((older for older in cycles if older.opens_on < cycle.opens_on), None)  # newest first
    figures = selectors.dashboard(cycle=cycle, previous=previous)
    department_rates, departments_held_back = selectors.shown_rates(figures["department_rates"])
    return render(
        request,
        "reporting/dashboard.html",
        {
            "page_title": _("Completion dashboard"),
            "cycle": cycle,
            "cycles": cycles,
            **figures,
            "rates_shown": any(not rate.suppressed for rate in figures["rates"]),
            "department_rates": department_rates,
            "departments_held_back": departments_held_back,
            # The charts are drawn inside the cached part of the page: only worked out when it is drawn again.
            "progress_chart": functools.cache(lambda: insight_figures.progress_chart(figures["progress"])),
            "department_chart": functools.cache(
                lambda: insight_figures.department_chart(figures["departments"], small_group=selectors.SMALL_GROUP)
            ),
            "principles_chart": functools.cache(lambda: insight_figures.principles_chart(figures["rates"])),
            "fragment_seconds": selectors.DASHBOARD_TTL,
            "small_group": selectors.SMALL_GROUP,
            "nav_section": "hr",
        },
    )


@hr_reports_required
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
    page = Paginator(chasing.with_last_reminded(people, cycle=cycle), 50).get_page(request.GET.get("page"))
    selectors.place_people(page.object_list)
    listed = selectors.figures_of(people)
    may_chase = chasing.chasing_problem(cycle=cycle) == ""
    query = request.GET.copy()
    query.pop("page", None)
    # The filters that apply, carried into the chase form so "everyone in this filter" means this list.
    carried = [(name, filters[name]) for name in ("q", "department", "status") if filters.get(name)]
    return render(
        request,
        "reporting/staff.html",
        {
            "page_title": _("Staff"),
            "cycle": cycle,
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "filters": carried,
            "listed": listed,
            "may_chase": may_chase,
            "may_exempt": not cycle.is_closed and request.user.has_perm("cycles.add_exemption"),
            "outstanding": PersonStatus.outstanding(),
            # "Remind everyone in this filter" names the number its preview will show: those the rules let through.
            "remindable": chasing.remindable(cycle=cycle, people=people).count() if may_chase else 0,
            "nav_section": "hr",
        },
    )


def _large_report(cycle: Cycle) -> bool:
    """Past BACKGROUND_EXPORT_PEOPLE the file takes seconds to make: the worker makes it, not the request."""
    return people_in_report(cycle=cycle).count() > settings.BACKGROUND_EXPORT_PEOPLE


@hr_reports_required
@require_http_methods(["GET", "POST"])
def download(request):
    form = DownloadForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a report to download from the dashboard."))
    cycle = form.cleaned_data["cycle"] or current_cycle()
    if cycle is None:
        return _no_cycle(request)
    outstanding = form.cleaned_data["outstanding"]
    kind = "xlsx" if form.cleaned_data["format"] == "xlsx" else "csv"
    if _large_report(cycle):
        if request.method == "POST":
            job = start_job(
                kind=BackgroundJob.Kind.STAFF_XLSX if kind == "xlsx" else BackgroundJob.Kind.STAFF_CSV,
                by=request.user,
                params={"cycle": cycle.pk, "outstanding": outstanding},
                language=active_language(),
            )
            return redirect("outbox:job-progress", pk=job.pk)
        # A link must not start work (a GET changes nothing): the page asks, and its button posts.
        return render(
            request,
            "reporting/download_prepare.html",
            {
                "page_title": _("Prepare the staff list download"),
                "cycle": cycle,
                "format": kind,
                "outstanding": outstanding,
                "nav_section": "hr",
            },
        )
    if kind == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(cycle=cycle, outstanding_only=outstanding), content_type="text/csv; charset=utf-8"
        )
        name = exports.filename(cycle=cycle, outstanding_only=outstanding, extension="csv")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        workbook.xlsx_file(cycle=cycle, outstanding_only=outstanding),
        as_attachment=True,
        filename=exports.filename(cycle=cycle, outstanding_only=outstanding, extension="xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@hr_reports_required
@permission_required("cycles.change_cycle", raise_exception=True)
@require_http_methods(["GET", "POST"])
def close_cycle(request, pk):
    """The confirmation page before a cycle is closed (it cannot be opened again), and closing it."""
    cycle = get_object_or_404(Cycle, pk=pk)
    problem = closing.closing_problem(cycle=cycle)
    if request.method == "POST" and not problem:
        try:
            closing.close_cycle(cycle=cycle, closed_by=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("%(cycle)s is closed. Its figures will stay as they are today.") % {"cycle": cycle.name},
            )
            return redirect(f"{reverse('reporting:dashboard')}?cycle={cycle.pk}")
    return render(
        request,
        "reporting/close_cycle.html",
        {
            "page_title": _("Close %(cycle)s") % {"cycle": cycle.name},
            "cycle": cycle,
            "problem": problem,
            "totals": selectors.dashboard(cycle=cycle)["totals"],
            "today": date_format(timezone.localdate(), "DATE_FORMAT"),
            "nav_section": "hr",
        },
    )
