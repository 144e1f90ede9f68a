"""HR pages for the cycle's exemptions and reminders. Thin: reads are selectors, writes are services."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cycles import selectors, services
from cycles.models import Exemption

from .exemption_forms import ExemptionForm
from .views import _chosen_cycle, _no_cycle, hr_reports_required


@permission_required("cycles.view_exemption", raise_exception=True)
@require_GET
def exemptions(request):
    cycle = _chosen_cycle(request)
    if cycle is None:
        return _no_cycle(request)
    today = timezone.localdate()
    rows = list(selectors.exemptions_for(cycle=cycle))
    return render(
        request,
        "reporting/exemptions.html",
        {
            "page_title": _("Exemptions"),
            "cycle": cycle,
            "current": [row for row in rows if row.is_active(today) or row.starts_on > today and not row.ended_at],
            "past": [row for row in rows if not (row.is_active(today) or row.starts_on > today and not row.ended_at)],
            "today": today,
            "editable": cycle.closed_at is None,  # a closed cycle's exemptions are as they were when it closed
            "undoable": {row.pk for row in rows if services.can_undo_ending(exemption=row, today=today)},
            "nav_section": "hr",
        },
    )


@permission_required("cycles.add_exemption", raise_exception=True)
@require_http_methods(["GET", "POST"])
def exemption_add(request):
    cycle = _chosen_cycle(request)
    if cycle is None:
        return _no_cycle(request)
    if cycle.closed_at is not None:
        messages.error(request, _("This cycle is closed: its figures stay as they were when it closed"))
        return redirect(f"{_url('reporting:exemptions')}?cycle={cycle.pk}")
    initial = {"staff_number": request.GET.get("staff_number", "")[:20]}
    form = ExemptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exemption = services.exempt_person(
                person=form.person,
                cycle=cycle,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                ends_on=form.cleaned_data["ends_on"],
                by=request.user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error("staff_number" if field == "person" else field, problems)
        else:
            messages.success(
                request,
                _("%(person)s is exempt from %(cycle)s until %(date)s.")
                % {
                    "person": exemption.person,
                    "cycle": cycle.name,
                    "date": _format_date(exemption.ends_on),
                },
            )
            return redirect(f"{_url('reporting:exemptions')}?cycle={cycle.pk}")
    return render(
        request,
        "reporting/exemption_form.html",
        {"page_title": _("Exempt someone from this cycle"), "cycle": cycle, "form": form, "nav_section": "hr"},
    )


@permission_required("cycles.change_exemption", raise_exception=True)
@require_http_methods(["GET", "POST"])
def exemption_end(request, pk):
    """ "End now" asks first, saying the day it ends; the ending can be undone the same day."""
    exemption = get_object_or_404(Exemption.objects.select_related("person", "cycle"), pk=pk)
    back = f"{_url('reporting:exemptions')}?cycle={exemption.cycle_id}"
    if request.method == "POST":
        try:
            services.end_exemption(exemption_id=exemption.pk, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "%(person)s’s exemption has ended. They count in the figures again from %(date)s. "
                    "You can undo this today under “Ended exemptions”."
                )
                % {"person": exemption.person, "date": _format_date(services.ending_date(exemption=exemption))},
            )
        return redirect(back)
    if not exemption.is_active() and exemption.starts_on <= timezone.localdate():
        messages.error(request, _("This exemption has already ended"))
        return redirect(back)
    return render(
        request,
        "reporting/exemption_end.html",
        {
            "page_title": _("End %(person)s’s exemption?") % {"person": exemption.person},
            "exemption": exemption,
            "ends_on": services.ending_date(exemption=exemption),
            "cycle": exemption.cycle,
            "back_url": back,
            "nav_section": "hr",
        },
    )


@permission_required("cycles.change_exemption", raise_exception=True)
@require_POST
def exemption_undo(request, pk):
    exemption = get_object_or_404(Exemption.objects.select_related("person"), pk=pk)
    try:
        services.undo_end_exemption(exemption_id=exemption.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s is exempt again until %(date)s.")
            % {"person": exemption.person, "date": _format_date(exemption.ends_on)},
        )
    return redirect(f"{_url('reporting:exemptions')}?cycle={exemption.cycle_id}")


@hr_reports_required
@require_GET
def reminders_today(request):
    from .reminders import plan_for_day, reminding_problem

    cycle = _chosen_cycle(request)
    if cycle is None:
        return _no_cycle(request)
    plan = plan_for_day(cycle=cycle, today=timezone.localdate())
    return render(
        request,
        "reporting/reminders_today.html",
        {
            "page_title": _("Reminders due today"),
            "cycle": cycle,
            "plan": plan,
            "problem": reminding_problem(cycle=cycle),
            "nav_section": "hr",
        },
    )


@hr_reports_required
@require_GET
def reminder_history(request, pk):
    from .reminders import history_of

    person = get_object_or_404(get_user_model(), pk=pk, staff_number__isnull=False)
    cycle = _chosen_cycle(request)
    return render(
        request,
        "reporting/reminder_history.html",
        {
            "page_title": _("Reminders sent to %(person)s") % {"person": person},
            "person": person,
            "cycle": cycle,
            "emails": history_of(person=person, cycle=cycle) if cycle else [],
            "nav_section": "hr",
        },
    )


def _url(name: str) -> str:
    return reverse(name)


def _format_date(day) -> str:
    return date_format(day, "DATE_FORMAT")
