import random
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Attempt, AttemptQuestion, Option, Question
from assessments.services import draw_questions, record_answer, start_attempt, submit_attempt
from guidance.models import Principle

from ..factories import CycleFactory, UserFactory

pytestmark = pytest.mark.django_db


def answer_all(attempt, user, *, correct: int):
    """Answer every question: the first `correct` right, the rest wrong."""
    for index, answer in enumerate(attempt.answers.order_by("position")):
        options = Option.objects.filter(question=answer.question)
        option = options.get(is_correct=True) if index < correct else options.filter(is_correct=False).first()
        record_answer(user=user, attempt_id=attempt.pk, position=answer.position, option_id=option.pk)


def test_the_draw_covers_every_principle_once_with_no_repeats(staff, cycle, small_bank):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    drawn = list(attempt.answers.select_related("question"))
    assert len(drawn) == 6
    assert Counter(answer.question.principle.number for answer in drawn) == Counter(range(1, 7))
    assert len({answer.question_id for answer in drawn}) == 6


def test_the_draw_takes_more_per_principle_when_the_cycle_asks(staff, small_bank):
    cycle = CycleFactory(questions_per_principle=2)
    drawn = draw_questions(user=staff, cycle=cycle, rng=random.Random(1))
    assert len(drawn) == 12
    assert set(Counter(question.principle.number for question in drawn).values()) == {2}


def test_the_draw_prefers_questions_the_person_has_not_seen(staff, cycle, small_bank):
    first = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(first, staff, correct=0)
    submit_attempt(user=staff, attempt_id=first.pk, language="en")
    second = start_attempt(user=staff, cycle=cycle, language="en")
    seen = set(first.answers.values_list("question_id", flat=True))
    assert seen.isdisjoint(second.answers.values_list("question_id", flat=True))


def test_option_order_is_fixed_at_the_start(staff, cycle, small_bank):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    for answer in attempt.answers.all():
        assert sorted(answer.option_order) == sorted(
            Option.objects.filter(question=answer.question).values_list("pk", flat=True)
        )


def test_starting_twice_continues_the_open_attempt(staff, cycle, small_bank):
    first = start_attempt(user=staff, cycle=cycle, language="en")
    assert start_attempt(user=staff, cycle=cycle, language="cy").pk == first.pk
    assert Attempt.objects.count() == 1


def test_too_few_questions_is_a_clear_error(staff, small_bank):
    cycle = CycleFactory(questions_per_principle=3)
    with pytest.raises(ValidationError, match="not enough questions"):
        start_attempt(user=staff, cycle=cycle, language="en")
    assert Attempt.objects.count() == 0


@pytest.mark.parametrize(("correct", "passed"), [(6, True), (5, True), (4, False), (0, False)])
def test_pass_mark_boundary_at_80_percent(staff, cycle, small_bank, correct, passed):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=correct)
    result = submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    assert result.score == correct
    assert result.passed is passed  # 5/6 = 83% passes; 4/6 = 67% does not


def test_exactly_the_pass_mark_passes(staff, small_bank):
    cycle = CycleFactory(questions_per_principle=1, pass_mark_percent=50)
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=3)
    assert submit_attempt(user=staff, attempt_id=attempt.pk, language="en").passed is True


def test_an_option_from_another_question_is_refused(staff, cycle, small_bank):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer = attempt.answers.get(position=1)
    foreign = Option.objects.exclude(question=answer.question).filter(is_correct=True).first()
    with pytest.raises(ValidationError):
        record_answer(user=staff, attempt_id=attempt.pk, position=1, option_id=foreign.pk)
    assert AttemptQuestion.objects.get(pk=answer.pk).chosen_option is None


def test_a_question_that_was_not_drawn_is_refused(staff, cycle, small_bank):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    with pytest.raises(ValidationError):
        record_answer(user=staff, attempt_id=attempt.pk, position=99, option_id=Option.objects.first().pk)


def test_someone_elses_attempt_is_refused(staff, cycle, small_bank):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    other = UserFactory()
    option_id = attempt.answers.get(position=1).option_order[0]
    with pytest.raises(ValidationError):
        record_answer(user=other, attempt_id=attempt.pk, position=1, option_id=option_id)
    with pytest.raises(ValidationError):
        submit_attempt(user=other, attempt_id=attempt.pk, language="en")


def test_a_finished_attempt_cannot_be_changed_or_rescored(staff, cycle, small_bank):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=2)
    first = submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    correct_option = Option.objects.get(question=attempt.answers.get(position=6).question, is_correct=True)
    with pytest.raises(ValidationError):
        record_answer(user=staff, attempt_id=attempt.pk, position=6, option_id=correct_option.pk)
    again = submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    assert (again.score, again.passed, again.submitted_at) == (first.score, first.passed, first.submitted_at)


def test_submitting_with_unanswered_questions_is_refused(staff, cycle, small_bank):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    with pytest.raises(ValidationError, match="Answer question 1"):
        submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.IN_PROGRESS


def test_only_the_first_submitted_attempt_is_marked_first(staff, cycle, small_bank):
    for _round in range(2):
        attempt = start_attempt(user=staff, cycle=cycle, language="en")
        answer_all(attempt, staff, correct=0)
        submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    assert list(Attempt.objects.order_by("started_at").values_list("is_first", flat=True)) == [True, False]


def test_the_shipped_bank_has_four_active_bilingual_questions_per_principle(content):
    for principle in Principle.objects.all():
        questions = Question.objects.filter(principle=principle, is_active=True)
        assert questions.count() >= 4, principle
        for question in questions:
            assert question.prompt_cy.strip() and question.prompt_cy != question.prompt_en
            options = list(question.options.all())
            assert 3 <= len(options) <= 4
            assert sum(option.is_correct for option in options) == 1
            for option in options:
                assert option.text_cy.strip() and option.text_cy != option.text_en
                assert option.feedback_cy.strip() and option.feedback_cy != option.feedback_en
