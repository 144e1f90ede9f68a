"""The score is worked out on the server from the stored options: extra fields in a POST never change it."""

import pytest

from assessments.models import Acknowledgement, Attempt, Option

pytestmark = pytest.mark.django_db

EXTRA_FIELDS = {
    "correct": "1",
    "is_correct": "on",
    "score": "6",
    "passed": "1",
    "total": "1",
    "pass_mark_percent": "1",
    "chosen_option": "",
    "user": "1",
}


def test_six_wrong_answers_with_extra_fields_score_nothing_and_do_not_pass(client, staff, cycle, small_bank):
    client.force_login(staff)
    client.post("/en/quiz/", EXTRA_FIELDS)
    attempt = Attempt.objects.get(user=staff, status="in_progress")
    for answer in attempt.answers.order_by("position"):
        wrong = Option.objects.filter(question=answer.question, is_correct=False).first()
        response = client.post(
            f"/en/quiz/{attempt.pk}/question/{answer.position}/", {"answer": wrong.pk, **EXTRA_FIELDS}
        )
        assert response.status_code == 302
    response = client.post(f"/en/quiz/{attempt.pk}/check-your-answers/", EXTRA_FIELDS)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total, attempt.passed) == (0, 6, False)
    assert attempt.pass_mark_percent == cycle.pass_mark_percent
    assert not attempt.answers.filter(is_correct=True).exists()
    results = client.get(f"/en/quiz/{attempt.pk}/results/").content.decode()
    assert "You scored 0 out of 6" in results
    client.post("/en/declaration/", EXTRA_FIELDS)
    assert not Acknowledgement.objects.exists()


def test_an_answer_from_another_question_is_refused_not_scored(client, staff, cycle, small_bank):
    client.force_login(staff)
    client.post("/en/quiz/")
    attempt = Attempt.objects.get(user=staff, status="in_progress")
    first, second = attempt.answers.order_by("position")[:2]
    elsewhere = Option.objects.get(question=second.question, is_correct=True)
    response = client.post(f"/en/quiz/{attempt.pk}/question/1/", {"answer": elsewhere.pk, "correct": "1"})
    assert response.status_code == 200  # shown again with an error
    first.refresh_from_db()
    assert first.chosen_option is None and first.is_correct is None
