"""Writes for the quiz and the declaration. Each is one function in one transaction; views map its errors to forms."""

import logging
import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cycles.models import Cycle
from guidance.models import GuidanceVersion, Principle
from portal.models import User

from . import signals
from .models import Acknowledgement, Attempt, AttemptQuestion, Option, Question
from .reading import reading_for
from .receipts import queue_receipt

logger = logging.getLogger(__name__)


def draw_questions(*, user: User, cycle: Cycle, rng: random.Random | None = None) -> list[Question]:
    """Questions per principle for the cycle, every principle represented, preferring ones this person has not seen."""
    rng = rng or random.SystemRandom()
    seen = set(AttemptQuestion.objects.filter(attempt__user=user).values_list("question_id", flat=True))
    active = list(Question.objects.filter(is_active=True).select_related("principle"))
    drawn = []
    for principle in Principle.objects.order_by("number"):
        candidates = [question for question in active if question.principle_id == principle.pk]
        if len(candidates) < cycle.questions_per_principle:
            raise ValidationError(
                _("There are not enough questions for “%(principle)s” yet. Contact the content team.")
                % {"principle": principle.name},
                code="not_enough_questions",
            )
        unseen = [question for question in candidates if question.pk not in seen]
        familiar = [question for question in candidates if question.pk in seen]
        rng.shuffle(unseen)
        rng.shuffle(familiar)
        drawn.extend((unseen + familiar)[: cycle.questions_per_principle])
    rng.shuffle(drawn)
    return drawn


@transaction.atomic
def start_attempt(*, user: User, cycle: Cycle, language: str, rng: random.Random | None = None) -> Attempt:
    """Start an attempt, or return the one already in progress (so a second tab carries on the same attempt)."""
    open_attempt = Attempt.objects.filter(user=user, cycle=cycle, status=Attempt.Status.IN_PROGRESS).first()
    if open_attempt:
        return open_attempt
    rng = rng or random.SystemRandom()
    questions = draw_questions(user=user, cycle=cycle, rng=rng)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user,
                cycle=cycle,
                language=language,
                total=len(questions),
                pass_mark_percent=cycle.pass_mark_percent,
            )
    except IntegrityError:
        # Another request started one at the same moment: carry on with that one.
        return Attempt.objects.get(user=user, cycle=cycle, status=Attempt.Status.IN_PROGRESS)
    options: dict[int, list[int]] = {}
    for option in Option.objects.filter(question__in=questions).values_list("question_id", "pk"):
        options.setdefault(option[0], []).append(option[1])
    rows = []
    for position, question in enumerate(questions, start=1):
        order = list(options.get(question.pk, []))
        rng.shuffle(order)
        rows.append(AttemptQuestion(attempt=attempt, question=question, position=position, option_order=order))
    AttemptQuestion.objects.bulk_create(rows)
    return attempt


def _attempt_for_update(*, attempt_id: int, user: User) -> Attempt:
    attempt = Attempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise ValidationError(_("This attempt could not be found."), code="not_found")
    return attempt


def _commit_without_waiting_for_disk() -> None:
    """An answer to one question of an attempt in progress is the one write staff make on every page of the quiz.
    On PostgreSQL its commit need not wait for the disk (``synchronous_commit`` off for this transaction only): a
    crash in the next fraction of a second could lose that one answer, never corrupt anything, and the person would
    see the question unanswered and pick again. Scores, declarations and everything else keep waiting for the disk."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@transaction.atomic
def record_answer(*, user: User, attempt_id: int, position: int, option_id: int) -> AttemptQuestion:
    """Save the option chosen for one drawn question. The option must be one of that question's own options."""
    _commit_without_waiting_for_disk()
    attempt = _attempt_for_update(attempt_id=attempt_id, user=user)
    if attempt.is_submitted:
        raise ValidationError(_("You have already submitted these answers."), code="submitted")
    answer = next(iter(AttemptQuestion.objects.filter(attempt=attempt, position=position).order_by()[:1]), None)
    if answer is None:
        raise ValidationError(_("That question is not part of this attempt."), code="not_drawn")
    if option_id not in answer.option_order:
        raise ValidationError(_("Select one of the answers shown"), code="invalid_option")
    answer.chosen_option_id = option_id
    answer.answered_at = timezone.now()
    answer.save(update_fields=["chosen_option", "answered_at"])
    return answer


@transaction.atomic
def submit_attempt(*, user: User, attempt_id: int, language: str) -> Attempt:
    """Score an attempt against the stored options. Submitting again returns the same result, unchanged."""
    attempt = _attempt_for_update(attempt_id=attempt_id, user=user)
    if attempt.is_submitted:
        return attempt
    answers = list(attempt.answers.select_related("chosen_option"))
    unanswered = [answer.position for answer in answers if answer.chosen_option_id is None]
    if unanswered:
        raise ValidationError(
            _("Answer question %(number)s before you submit") % {"number": unanswered[0]}, code="unanswered"
        )
    # Score against stored options, not the POST body, so an edited form cannot mark itself right.
    for answer in answers:
        answer.is_correct = bool(
            answer.chosen_option
            and answer.chosen_option.is_correct
            and answer.chosen_option.question_id == answer.question_id
        )
    AttemptQuestion.objects.bulk_update(answers, ["is_correct"])
    attempt.score = sum(1 for answer in answers if answer.is_correct)
    attempt.total = len(answers)
    attempt.passed = attempt.score * 100 >= attempt.pass_mark_percent * attempt.total
    attempt.status = Attempt.Status.SUBMITTED
    attempt.submitted_at = timezone.now()
    attempt.language = language
    attempt.is_first = not Attempt.objects.filter(
        user=attempt.user_id, cycle=attempt.cycle_id, status=Attempt.Status.SUBMITTED
    ).exists()
    attempt.save(update_fields=["score", "total", "passed", "status", "submitted_at", "language", "is_first"])
    return attempt


def passing_attempt(*, user: User, cycle: Cycle) -> Attempt | None:
    return (
        Attempt.objects.filter(user=user, cycle=cycle, status=Attempt.Status.SUBMITTED, passed=True)
        .order_by("-submitted_at")
        .first()
    )


@transaction.atomic
def acknowledge(*, user: User, cycle: Cycle, version: GuidanceVersion, language: str) -> tuple[Acknowledgement, bool]:
    """Record the declaration for one guidance version. A repeat (double click, second tab) returns the first record.

    A declaration follows reading: refused until the person has opened, in this cycle, what ``reading_for`` requires.
    Returns the acknowledgement and whether it was made now. The receipt is queued in the same transaction and sent by
    the background worker, so a mail outage can neither fail the declaration nor lose the receipt.
    """
    existing = Acknowledgement.objects.filter(user=user, cycle=cycle, guidance_version=version).first()
    if existing:
        return existing, False
    if not cycle.is_current:
        raise ValidationError(_("This cycle is closed."), code="closed")
    if not version.is_published:
        raise ValidationError(_("You can only confirm a published version of the guidance."), code="draft")
    attempt = passing_attempt(user=user, cycle=cycle)
    if attempt is None:
        raise ValidationError(_("Pass the scenario questions before you confirm."), code="not_passed")
    unread = reading_for(user=user, cycle=cycle, version=version, language=language).unread
    if unread:
        raise ValidationError(
            _("Read these pages of the guidance before you confirm: %(pages)s")
            % {"pages": ", ".join(getattr(section, f"title_{language}") for section in unread)},
            code="not_read",
        )
    for _try in range(3):
        try:
            with transaction.atomic():
                record = Acknowledgement.objects.create(
                    user=user,
                    cycle=cycle,
                    guidance_version=version,
                    attempt=attempt,
                    language=language,
                    content_sha256=version.content_sha256,
                )
                signals.declaration_recorded.send(sender=Acknowledgement, declaration=record)
            break
        except IntegrityError:
            # Either the same person confirmed in another request at the same moment (theirs is the record), or,
            # very rarely, the random reference was already taken (try another).
            existing = Acknowledgement.objects.filter(user=user, cycle=cycle, guidance_version=version).first()
            if existing:
                return existing, False
    else:
        raise ValidationError(_("Your declaration could not be saved. Try again."), code="conflict")
    queue_receipt(record=record)
    return record, True
