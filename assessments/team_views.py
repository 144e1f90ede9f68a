"""My team: a line manager's view of the people who report to them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from insight import figures as charts
from insight import progress

from . import selectors, team
from .status import people_in_cycle


def _manager_only(request) -> None:
    if not request.user.reports.exists():
        raise PermissionDenied


def sort_links(*, sort: str, descending: bool) -> dict:
    """For each sortable column: the query string that sorts by it (the other way if it is the current sort) and
    its aria-sort value."""
    links = {}
    for key in team.SORTS:
        current = key == sort
        links[key] = {
            "query": f"?sort={key}" + ("" if current and descending else "&order=desc" if current else ""),
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
        }
    return links


@require_GET
def my_team(request):
    _manager_only(request)
    cycle = selectors.current_cycle()
    if cycle is None:
        return render(request, "assessments/no_cycle.html", {"page_title": _("There is no cycle open")})
    sort = request.GET.get("sort", "status")
    sort = sort if sort in team.SORTS else "status"
    descending = request.GET.get("order") == "desc"
    people, figures = team.team_of(manager=request.user, cycle=cycle, sort=sort, descending=descending)
    team_progress = progress.completion_over_time(
        cycle=cycle,
        people=people_in_cycle(cycle=cycle).filter(line_manager=request.user),
        previous=progress.previous_cycle(cycle),
    )
    return render(
        request,
        "assessments/my_team.html",
        {
            "page_title": _("My team"),
            "cycle": cycle,
            "people": people,
            "figures": figures,
            "sorts": sort_links(sort=sort, descending=descending),
            "progress": team_progress,
            "progress_chart": charts.progress_chart(team_progress, chart_id="chart-team", small=True),
            "nav_section": "team",
        },
    )
