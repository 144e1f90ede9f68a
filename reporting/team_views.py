"""My team: a line manager's view of the people who report to them."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import selectors
from assessments.status import NOT_COUNTED
from cycles.models import Cycle

from . import chase_views, chasing, progress, team
from . import figures as charts
from .forms import ChaseForm


def _manager_only(request) -> None:
    if not request.user.reports.exists():
        raise PermissionDenied


def manager_required(view):
    """Line managers only: everyone else gets 403, whatever the method."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        _manager_only(request)
        return view(request, *args, **kwargs)

    return wrapper


def sort_links(*, sort: str, descending: bool, cycle=None) -> dict:
    """For each sortable column: the query string that sorts by it (the other way if it is the current sort), kept
    on the cycle being shown, and its aria-sort value."""
    links = {}
    kept = f"&cycle={cycle.pk}" if cycle else ""
    for key in team.SORTS:
        current = key == sort
        links[key] = {
            "query": f"?sort={key}" + ("" if current and descending else "&order=desc" if current else "") + kept,
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
        }
    return links


@require_GET
def my_team(request):
    _manager_only(request)
    cycles = list(Cycle.objects.all())
    wanted = request.GET.get("cycle", "")
    cycle = next((option for option in cycles if str(option.pk) == wanted), None) or selectors.current_cycle()
    if cycle is None:
        return render(request, "assessments/no_cycle.html", {"page_title": _("There is no cycle open")})
    sort = request.GET.get("sort", "status")
    sort = sort if sort in team.SORTS else "status"
    descending = request.GET.get("order") == "desc"
    people, figures = team.team_of(manager=request.user, cycle=cycle, sort=sort, descending=descending)
    day = team.team_day(cycle=cycle)
    counted = team.team_in_cycle(manager=request.user, cycle=cycle, today=day).exclude(status__in=NOT_COUNTED)
    team_progress = progress.completion_over_time(
        cycle=cycle, people=counted, previous=progress.previous_cycle(cycle), today=day
    )
    return render(
        request,
        "reporting/my_team.html",
        {
            "page_title": _("My team"),
            "cycle": cycle,
            "cycles": cycles,
            "people": people,
            "figures": figures,
            "may_chase": chasing.chasing_problem(cycle=cycle) == "",
            "cycle_query": "" if cycle.is_current else f"&cycle={cycle.pk}",
            "sorts": sort_links(sort=sort, descending=descending, cycle=None if cycle.is_current else cycle),
            "progress": team_progress,
            "progress_chart": charts.progress_chart(team_progress, chart_id="chart-team", small=True),
            "nav_section": "team",
        },
    )


def _team_selection(request, cycle: Cycle):
    """The overdue reports a manager chose (or all of them). Anyone else named in the form is left out."""
    overdue = chasing.overdue_team(manager=request.user, cycle=cycle)
    form = ChaseForm(request.POST)
    if not form.is_valid():
        return form, None
    if form.cleaned_data["scope"] != "filter":
        overdue = overdue.filter(pk__in=form.cleaned_data["person"])
    return form, get_user_model().objects.filter(pk__in=overdue.values("pk"))


def _hidden(form) -> list[tuple[str, str]]:
    if not form.is_valid():
        return []
    if form.cleaned_data["scope"] == "filter":
        return [("scope", "filter")]
    return [("person", str(pk)) for pk in form.cleaned_data["person"]]


@manager_required
@require_POST
def team_chase(request):
    cycle = selectors.current_cycle()
    if cycle is None:
        return render(request, "assessments/no_cycle.html", {"page_title": _("There is no cycle open")})
    form, people = _team_selection(request, cycle)
    return chase_views.preview_page(
        request,
        cycle=cycle,
        plan=chasing.plan_chase(cycle=cycle, people=people) if people is not None else None,
        form=form,
        send_url=reverse("reporting:team-chase-send"),
        back_url=reverse("reporting:my-team"),
        hidden=_hidden(form),
        nav_section="team",
    )


@manager_required
@require_POST
def team_chase_send(request):
    cycle = selectors.current_cycle()
    if cycle is None:
        return render(request, "assessments/no_cycle.html", {"page_title": _("There is no cycle open")})
    form, people = _team_selection(request, cycle)
    if people is not None:
        chase_views.report_sent(request, chasing.send_chases(cycle=cycle, people=people, sent_by=request.user))
    return redirect("reporting:my-team")
