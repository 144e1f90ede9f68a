"""HR chase people from the staff list: choose, preview the email in each person's language, send."""

from functools import wraps

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.status import people_in_cycle
from cycles.models import Cycle

from . import chasing, selectors
from .forms import ChaseForm, StaffFilterForm
from .views import _chosen_cycle, _no_cycle, hr_reports_required

FILTERS = ("cycle", "q", "department", "status")


def filter_query(data) -> str:
    """The staff list's filters as a query string, from the hidden fields a chase form carries."""
    query = QueryDict(mutable=True)
    for name in FILTERS:
        if data.get(name):
            query[name] = data[name]
    return query.urlencode()


def chosen_people(*, cycle: Cycle, data):
    """The people a chase form names: the ticked ones, or everyone the carried filters select."""
    form = ChaseForm(data)
    if not form.is_valid():
        return form, None
    if form.cleaned_data["scope"] == "filter":
        filters = StaffFilterForm(data)
        values = filters.cleaned_data if filters.is_valid() else {}
        people = selectors.staff_list(
            cycle=cycle,
            department=values.get("department", ""),
            status=values.get("status", ""),
            query=values.get("q", ""),
        )
    else:
        people = people_in_cycle(cycle=cycle).filter(pk__in=form.cleaned_data["person"])
    return form, people


def previews(plan, *, cycle: Cycle, sent_by) -> list[dict]:
    """One example email per language among the people it goes to (written for the first of them)."""
    examples = []
    for language in plan.languages:
        person = next(person for person in plan.to_send if person.preferred_language == language)
        subject, body = chasing.render_chase(person=person, cycle=cycle, sent_by=sent_by)
        count = sum(1 for someone in plan.to_send if someone.preferred_language == language)
        examples.append({"language": language, "person": person, "subject": subject, "body": body, "count": count})
    return examples


def preview_page(request, *, cycle: Cycle, plan, form, send_url, back_url, hidden, nav_section):
    return render(
        request,
        "reporting/chase_preview.html",
        {
            "page_title": _("Check the reminder before you send it"),
            "cycle": cycle,
            "plan": plan,
            "form": form,
            "examples": previews(plan, cycle=cycle, sent_by=request.user) if plan else [],
            "send_url": send_url,
            "back_url": back_url,
            "hidden": hidden,
            "nav_section": nav_section,
        },
    )


def report_sent(request, result) -> None:
    if result.sent:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(count)s person. It goes out within a few minutes.",
                "Reminders sent to %(count)s people. They go out within a few minutes.",
                len(result.sent),
            )
            % {"count": len(result.sent)},
        )
    if result.skipped:
        messages.info(
            request,
            ngettext(
                "%(count)s person was not sent a reminder: they are done, exempt or have had one today.",
                "%(count)s people were not sent a reminder: they are done, exempt or have had one today.",
                len(result.skipped),
            )
            % {"count": len(result.skipped)},
        )


def _hidden(data, form) -> list[tuple[str, str]]:
    fields = [(name, data[name]) for name in FILTERS if data.get(name)]
    if form.is_valid() and form.cleaned_data["scope"] == "filter":
        return [*fields, ("scope", "filter")]
    return [*fields, *(("person", str(pk)) for pk in (form.cleaned_data.get("person", []) if form.is_valid() else []))]


def chase_post(view):
    """The start the HR chase POSTs share: the cycle, the chase form and the people it names, and the staff list to go
    back to; the view is not called when there is no such cycle, or nobody can be chased for it any more."""

    @hr_reports_required
    @require_POST
    @wraps(view)
    def checked(request):
        back_url = reverse("reporting:staff") + "?" + filter_query(request.POST)
        cycle = _chosen_cycle(request, data=request.POST)
        if cycle is None:
            return _no_cycle(request)
        problem = chasing.chasing_problem(cycle=cycle)
        if problem:  # a closed or past cycle: nobody can act on it, so nobody is chased for it
            messages.error(request, problem)
            return redirect(back_url)
        form, people = chosen_people(cycle=cycle, data=request.POST)
        return view(request, cycle=cycle, form=form, people=people, back_url=back_url)

    return checked


@chase_post
def chase_preview(request, *, cycle: Cycle, form, people, back_url: str):
    plan = chasing.plan_chase(cycle=cycle, people=people) if people is not None else None
    return preview_page(
        request,
        cycle=cycle,
        plan=plan,
        form=form,
        send_url=reverse("reporting:chase-send"),
        back_url=back_url,
        hidden=_hidden(request.POST, form),
        nav_section="hr",
    )


@chase_post
def chase_send(request, *, cycle: Cycle, form, people, back_url: str):
    if people is not None:
        report_sent(request, chasing.send_chases(cycle=cycle, people=people, sent_by=request.user))
    return redirect(back_url)
