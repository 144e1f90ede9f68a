from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guidance.models import GuidanceVersion
from guidance.selectors import QUESTIONS_PASSED_SESSION_KEY, changes_for
from guidance.views import section_url
from portal.i18n import active_language

from . import selectors, services
from .forms import AnswerForm, DeclarationForm
from .models import Acknowledgement, Attempt, AttemptQuestion, Option
from .receipts import receipt_for


def _no_cycle(request):
    return render(request, "assessments/no_cycle.html", {"page_title": _("There is no cycle open")}, status=200)


def _question_url(attempt_id: int, position: int) -> str:
    return reverse("assessments:quiz-question", kwargs={"attempt": attempt_id, "position": position})


def _first_unanswered_url(attempt: Attempt) -> str:
    unanswered = attempt.answers.filter(chosen_option__isnull=True).order_by("position").first()
    if unanswered:
        return _question_url(attempt.pk, unanswered.position)
    return reverse("assessments:quiz-check", kwargs={"attempt": attempt.pk})


@require_http_methods(["GET", "POST"])
def quiz_start(request):
    cycle = selectors.current_cycle()
    if cycle is None:
        return _no_cycle(request)
    tasks = selectors.task_list(user=request.user, cycle=cycle)
    error = None
    if request.method == "POST":
        try:
            attempt = services.start_attempt(user=request.user, cycle=cycle, language=active_language())
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return redirect(_first_unanswered_url(attempt))
    return render(
        request,
        "assessments/quiz_start.html",
        {
            "page_title": _("Answer the scenario questions"),
            "cycle": cycle,
            "tasks": tasks,
            "question_count": cycle.question_count,
            "start_error": error,
            "nav_section": "quiz",
        },
    )


@require_http_methods(["GET", "POST"])
def quiz_question(request, attempt, position):
    # The drawn question with its attempt in one query, scoped to the person's own attempts (a position is drawn
    # once per attempt, so no ordering is needed).
    found = AttemptQuestion.objects.owned_by(request.user).select_related("question", "attempt")
    answer = next(iter(found.filter(attempt_id=attempt, position=position).order_by()[:1]), None)
    if answer is None or answer.attempt.is_submitted:
        if get_object_or_404(Attempt.objects.owned_by(request.user), pk=attempt).is_submitted:
            return redirect("assessments:quiz-results", attempt=attempt)
        raise Http404
    attempt = answer.attempt
    options_by_id = {option.pk: option for option in Option.objects.filter(question_id=answer.question_id).order_by()}
    options = [options_by_id[pk] for pk in answer.option_order if pk in options_by_id]
    changing = request.GET.get("change") == "1"
    last = position >= attempt.total
    # An answer picked but not submitted before switching language comes back in ?answer= (see the language switch).
    picked = request.GET.get("answer", "")
    initial = int(picked) if picked.isdigit() and int(picked) in options_by_id else answer.chosen_option_id
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        initial={"answer": initial},
        question=answer.question,
        options=options,
        button_label=_("Continue"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_answer(
                user=request.user, attempt_id=attempt.pk, position=position, option_id=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            form.add_error("answer", error)
        else:
            if changing or last:
                return redirect("assessments:quiz-check", attempt=attempt.pk)
            return redirect(_question_url(attempt.pk, position + 1))
    back_url = _question_url(attempt.pk, position - 1) if position > 1 else reverse("assessments:quiz-start")
    if changing:
        back_url = reverse("assessments:quiz-check", kwargs={"attempt": attempt.pk})
    return render(
        request,
        "assessments/quiz_question.html",
        {
            "page_title": _("Question %(number)s of %(total)s") % {"number": position, "total": attempt.total},
            "form": form,
            "attempt": attempt,
            "position": position,
            "back_url": back_url,
            "nav_section": "quiz",
            "language_switch_form": "question-form",
        },
    )


@require_http_methods(["GET", "POST"])
def quiz_check(request, attempt):
    attempt = get_object_or_404(Attempt.objects.owned_by(request.user), pk=attempt)
    if attempt.is_submitted:
        return redirect("assessments:quiz-results", attempt=attempt.pk)
    error = None
    if request.method == "POST":
        try:
            services.submit_attempt(user=request.user, attempt_id=attempt.pk, language=active_language())
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            # The guidance's last page says whether the questions are done: it must not remember "not yet".
            request.session.pop(QUESTIONS_PASSED_SESSION_KEY, None)
            return redirect("assessments:quiz-results", attempt=attempt.pk)
    answers = list(attempt.answers.select_related("question", "chosen_option").order_by("position"))
    return render(
        request,
        "assessments/quiz_check.html",
        {
            "page_title": _("Check your answers"),
            "attempt": attempt,
            "answers": answers,
            "submit_error": error,
            "has_errors": bool(error),
            "nav_section": "quiz",
        },
    )


@require_GET
def quiz_results(request, attempt):
    attempt = get_object_or_404(Attempt.objects.owned_by(request.user).select_related("cycle"), pk=attempt)
    if not attempt.is_submitted:
        return redirect(_first_unanswered_url(attempt))
    answers = list(
        attempt.answers.select_related("question__principle", "chosen_option").order_by("question__principle__number")
    )
    correct_options = {
        option.question_id: option
        for option in Option.objects.filter(question_id__in=[answer.question_id for answer in answers], is_correct=True)
    }
    for answer in answers:
        answer.correct_option = correct_options.get(answer.question_id)
    cycle = attempt.cycle
    tasks = selectors.task_list(user=request.user, cycle=cycle) if cycle.is_current else None
    return render(
        request,
        "assessments/quiz_results.html",
        {
            "page_title": _("Your results"),
            "attempt": attempt,
            "answers": answers,
            "tasks": tasks,
            "nav_section": "quiz",
        },
    )


@require_http_methods(["GET", "POST"])
def declaration(request):
    cycle = selectors.current_cycle()
    if cycle is None:
        return _no_cycle(request)
    version = GuidanceVersion.objects.latest_published()
    tasks = selectors.task_list(user=request.user, cycle=cycle)
    if tasks.quiz != "passed":
        messages.info(request, _("Pass the scenario questions before you confirm."))
        return redirect("assessments:quiz-start")
    existing = Acknowledgement.objects.owned_by(request.user).filter(cycle=cycle, guidance_version=version).first()
    if existing:
        return redirect(existing)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record, _created = services.acknowledge(
                user=request.user, cycle=cycle, version=version, language=active_language()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(record)
    for section in tasks.still_to_read:
        section.url = section_url(section)
    return render(
        request,
        "assessments/declaration.html",
        {
            "page_title": _("Declaration"),
            "form": form,
            "version": version,
            "cycle": cycle,
            "tasks": tasks,
            "nav_section": "quiz",
        },
    )


@require_GET
def confirmation(request, reference):
    record = get_object_or_404(
        Acknowledgement.objects.owned_by(request.user).select_related("cycle", "guidance_version", "attempt"),
        reference=reference,
    )
    return render(
        request,
        "assessments/confirmation.html",
        {
            "page_title": _("Declaration complete"),
            "record": record,
            "receipt": receipt_for(record),
            "nav_section": "record",
        },
    )


@require_GET
def home(request):
    """Where a person stands in this year's cycle: the three tasks, their statuses and the due date."""
    cycle = selectors.current_cycle()
    tasks = selectors.task_list(user=request.user, cycle=cycle) if cycle else None
    # A new major version asks people to confirm again: show them what changed since the version they confirmed.
    confirm_again = tasks and tasks.confirmation == "confirm_again"
    changes = changes_for(user=request.user, language=active_language()) if confirm_again else None
    return render(
        request,
        "assessments/home.html",
        {
            "page_title": _("Your social media guidance tasks"),
            "cycle": cycle,
            "tasks": tasks,
            "changes": changes,
            "nav_section": "home",
        },
    )


@require_GET
def my_data(request):
    """Everything the portal holds about the signed-in person."""
    return render(
        request,
        "assessments/my_data.html",
        {
            "page_title": _("Your data"),
            "person": request.user,
            **selectors.personal_data(user=request.user),
            "nav_section": "record",
        },
    )


@require_GET
def record(request):
    acknowledgements, attempts = selectors.own_record(user=request.user)
    return render(
        request,
        "assessments/record.html",
        {
            "page_title": _("Your record"),
            "acknowledgements": acknowledgements,
            "attempts": attempts,
            "nav_section": "record",
        },
    )
