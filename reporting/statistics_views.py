"""The editors' question statistics page and its CSV download."""

import csv
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cycles.models import Cycle

from . import statistics
from .exports import safe_text
from .statistics_forms import StatisticsForm


def editor_required(view):
    """Content editors only: everyone else gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_editor:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _cycle(form: StatisticsForm) -> Cycle | None:
    chosen = form.cleaned_data.get("cycle") if form.is_valid() else None
    return chosen or Cycle.objects.current() or Cycle.objects.first()


@editor_required
@require_GET
def question_statistics(request):
    form = StatisticsForm(request.GET or None)
    cycle = _cycle(form) if not form.errors else None
    figures = statistics.question_statistics(cycle=cycle) if cycle else []
    labels = flag_labels()
    return render(
        request,
        "reporting/statistics.html",
        {
            "page_title": _("Question statistics"),
            "form": form,
            "cycle": cycle,
            "cycles": Cycle.objects.all(),
            "figures": figures,
            "flagged": [(item, [labels[flag] for flag in item.flags]) for item in figures if item.flags],
            "small_group": statistics.SMALL_GROUP,
            "too_easy": statistics.TOO_EASY,
            "too_hard": statistics.TOO_HARD,
            "language_gap": statistics.LANGUAGE_GAP,
            "language_minimum": statistics.LANGUAGE_MINIMUM,
            "nav_section": "statistics",
        },
    )


class _Echo:
    def write(self, value):
        return value


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def _csv_rows(figures: list[statistics.QuestionFigures]):
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(
        [
            _("Scenario"),
            _("Principle"),
            _("Option"),
            _("Correct answer"),
            _("Answers"),
            _("Facility index (%)"),
            _("Discrimination index (%)"),
            _("Answers in English"),
            _("Facility in English (%)"),
            _("Answers in Welsh"),
            _("Facility in Welsh (%)"),
            _("Flags"),
        ]
    )
    labels = flag_labels()
    for item in figures:
        english, welsh = item.by_language["en"], item.by_language["cy"]
        if not item.shown:
            yield writer.writerow(
                [
                    safe_text(item.question.key),
                    safe_text(item.question.principle.name),
                    "",
                    "",
                    _("Too few answers to show"),
                ]
            )
            continue
        yield writer.writerow(
            [
                safe_text(item.question.key),
                safe_text(item.question.principle.name),
                "",
                "",
                item.overall.answers,
                _percent(item.overall.facility),
                _percent(item.overall.discrimination),
                english.answers if english.shown else "",
                _percent(english.facility) if english.shown else "",
                welsh.answers if welsh.shown else "",
                _percent(welsh.facility) if welsh.shown else "",
                "; ".join(labels[flag] for flag in item.flags),
            ]
        )
        for option in item.options:
            yield writer.writerow(
                [
                    safe_text(item.question.key),
                    safe_text(item.question.principle.name),
                    safe_text(option.option.text),
                    _("Yes") if option.option.is_correct else _("No"),
                    option.total,
                    "",
                    "",
                    option.chosen["en"] if english.shown else "",
                    "",
                    option.chosen["cy"] if welsh.shown else "",
                    "",
                    "",
                ]
            )


def flag_labels() -> dict[str, str]:
    return {
        "too_easy": _("Too easy"),
        "too_hard": _("Too hard"),
        "misleading": _("A wrong option beats the right one"),
        "translation": _("Check the translation"),
    }


@editor_required
@require_GET
def question_statistics_download(request):
    form = StatisticsForm(request.GET or None)
    if form.errors:
        return HttpResponseBadRequest(_("Select a cycle from the list"))
    cycle = _cycle(form)
    figures = statistics.question_statistics(cycle=cycle) if cycle else []
    response = StreamingHttpResponse(_csv_rows(figures), content_type="text/csv; charset=utf-8")
    name = "-".join(
        [
            slugify(_("question statistics")),
            slugify((cycle.name if cycle else "").replace("\u2013", "-")),
            (get_language() or "en")[:2],
            f"{timezone.localdate():%Y-%m-%d}",
        ]
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
