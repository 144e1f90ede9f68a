"""The dashboard's charts: each with its SVG, its main finding in words and the rows of the table beside it."""

from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import charts
from .progress import Progress


@dataclass
class Chart:
    chart_id: str
    title: str
    finding: str
    svg: SafeString | None  # None when there is nothing to draw yet
    rows: list = field(default_factory=list)


def _whole(value: float) -> int:
    return round(value)


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def progress_finding(progress: Progress) -> str:
    today = progress.today
    if today is None or not progress.people:
        return _("Nobody has completed yet: the cycle has not opened or nobody is in scope.")
    percent = _whole(progress.percent_of(today.completed))
    sentence = ngettext(
        "%(percent)s%% complete (%(completed)s of %(counter)s person).",
        "%(percent)s%% complete (%(completed)s of %(counter)s people).",
        progress.people,
    ) % {"percent": percent, "completed": _count(today.completed), "counter": _count(progress.people)}
    if today.last_year_completed is not None:
        last = _whole(progress.percent_of(today.last_year_completed))
        points = percent - last
        values = {"counter": abs(points), "last": last}
        if points > 0:
            comparison = ngettext(
                "%(counter)s point ahead of this time last year (%(last)s%%).",
                "%(counter)s points ahead of this time last year (%(last)s%%).",
                abs(points),
            )
        elif points < 0:
            comparison = ngettext(
                "%(counter)s point behind this time last year (%(last)s%%).",
                "%(counter)s points behind this time last year (%(last)s%%).",
                abs(points),
            )
        else:
            comparison = _("The same as this time last year (%(last)s%%).")
        sentence = f"{sentence} {comparison % values}"
    if today.overdue:
        overdue = ngettext("%(counter)s person is overdue.", "%(counter)s people are overdue.", today.overdue) % {
            "counter": _count(today.overdue)
        }
        sentence = f"{sentence} {overdue}"
    return sentence


def progress_chart(progress: Progress, *, chart_id: str = "chart-progress", small: bool = False) -> Chart:
    title = _("Completion over time")
    finding = progress_finding(progress)
    rows = progress.weekly()
    if not progress.shown or not progress.people:
        return Chart(chart_id, title, finding, None, rows)
    series = [
        charts.Series(
            _("Completed"), [progress.percent(value) for value in progress.completed], charts.BLUE, charts.SOLID
        ),
        charts.Series(
            _("Overdue"),
            [progress.percent(value) for value in progress.overdue],
            charts.RED,
            charts.DASHED,
            marker="square",
        ),
    ]
    if progress.last_year is not None:
        series.append(
            charts.Series(
                _("Last year"),
                [progress.percent(value) for value in progress.last_year],
                charts.GREY,
                charts.DOTTED,
                marker="triangle",
            )
        )
    markers = [
        charts.Marker(progress.cycle.due_on, _("Due %(date)s") % {"date": date_format(progress.cycle.due_on, "j M")})
    ]
    svg = charts.line_chart(
        chart_id=chart_id,
        title=title,
        description=finding,
        start=progress.start,
        days=progress.days,
        series=series,
        markers=markers,
        height=260 if small else 340,
    )
    return Chart(chart_id, title, finding, svg, rows)


def department_chart(rows: list[dict], *, small_group: int) -> Chart:
    """Departments from most to least complete; departments with fewer than ``small_group`` people left out."""
    title = _("Completion by department")
    shown = sorted(
        (row for row in rows if row["in_scope"] >= small_group),
        key=lambda row: (-row["completed"] / row["in_scope"], str(row["department"] or "")),
    )
    hidden = len(rows) - len(shown)
    names = [str(row["department"] or _("No department")) for row in shown]
    if shown:
        top, bottom = shown[0], shown[-1]
        finding = _(
            "Most complete: %(top)s (%(top_percent)s%%). Least complete: %(bottom)s (%(bottom_percent)s%%)."
        ) % {
            "top": names[0],
            "top_percent": top["percent_complete"],
            "bottom": names[-1],
            "bottom_percent": bottom["percent_complete"],
        }
    else:
        finding = _("No department has enough people to show.")
    if hidden:
        finding += " " + ngettext(
            "%(counter)s department with fewer than %(small)s people is not shown.",
            "%(counter)s departments with fewer than %(small)s people are not shown.",
            hidden,
        ) % {"counter": hidden, "small": small_group}
    bars = [
        charts.Bar(name, row["completed"] * 100 / row["in_scope"], f"{row['percent_complete']}%")
        for name, row in zip(names, shown, strict=True)
    ]
    svg = charts.bar_chart(chart_id="chart-departments", title=title, description=finding, bars=bars) if bars else None
    return Chart("chart-departments", title, finding, svg, list(zip(names, shown, strict=True)))


def principles_chart(rates: list) -> Chart:
    """The share of people who got each principle wrong on their first attempt, most missed first."""
    title = _("People who missed each principle")
    shown = sorted(
        (rate for rate in rates if not rate.suppressed),
        key=lambda rate: (-rate.percent_missed, rate.principle.number),
    )
    if shown:
        most, least = shown[0], shown[-1]
        finding = _(
            "Missed most: %(most)s, by %(most_percent)s%% of people on their first attempt. "
            "Missed least: %(least)s (%(least_percent)s%%)."
        ) % {
            "most": most.principle.name,
            "most_percent": most.percent_missed,
            "least": least.principle.name,
            "least_percent": least.percent_missed,
        }
    else:
        finding = _("Too few people have answered the questions to show.")
    bars = [
        charts.Bar(f"{rate.principle.number}. {rate.principle.name}", rate.percent_missed, f"{rate.percent_missed}%")
        for rate in shown
    ]
    svg = (
        charts.bar_chart(chart_id="chart-principles", title=title, description=finding, bars=bars, colour=charts.RED)
        if bars
        else None
    )
    return Chart("chart-principles", title, finding, svg, shown)
