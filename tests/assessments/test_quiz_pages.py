import re

import pytest
from django.utils.html import escape

from assessments.models import Attempt, Option

pytestmark = pytest.mark.django_db


def take_quiz(client, *, language="en", correct=6):
    prefix = {"en": "/en/quiz/", "cy": "/cy/cwis/"}[language]
    response = client.post(prefix)
    assert response.status_code == 302
    url = response["Location"]
    attempt = Attempt.objects.latest("started_at")
    for position in range(1, attempt.total + 1):
        answer = attempt.answers.get(position=position)
        options = Option.objects.filter(question=answer.question)
        option = options.get(is_correct=True) if position <= correct else options.filter(is_correct=False).first()
        response = client.post(url, {"answer": option.pk})
        assert response.status_code == 302, response.content.decode()[:500]
        url = response["Location"]
    assert "check" in url or "gwirio" in url
    return client.post(url), attempt


def test_a_question_page_is_a_fieldset_with_radios_and_counts(client, staff, cycle, content):
    client.force_login(staff)
    url = client.post("/en/quiz/")["Location"]
    html = client.get(url).content.decode()
    assert "Question 1 of 6" in html
    assert '<fieldset class="govuk-fieldset"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">' in html
    assert 'class="govuk-radios"' in html
    assert 'class="govuk-back-link"' in html


def test_the_scenario_is_body_text_and_only_the_question_is_the_heading(client, staff, cycle, content):
    client.force_login(staff)
    url = client.post("/en/quiz/")["Location"]
    answer = Attempt.objects.get().answers.get(position=1)
    html = client.get(url).content.decode()
    scenario, asked = answer.question.scenario_and_question
    assert scenario and asked.endswith("?") and asked in answer.question.prompt_en
    heading = re.search(r'<h1 class="govuk-fieldset__heading">\s*(.*?)\s*</h1>', html, re.DOTALL).group(1)
    assert heading == escape(asked)
    situation = re.search(r'<div class="app-scenario" id="scenario">(.*?)</div>', html, re.DOTALL).group(1)
    assert escape(scenario) in situation and "<p>" in situation
    assert re.search(r'<fieldset class="govuk-fieldset" aria-describedby="scenario ?"', html), "tied to the radios"


def test_the_start_page_says_how_many_questions_pass(client, staff, cycle, content):
    client.force_login(staff)
    html = client.get("/en/quiz/").content.decode()
    assert "To pass, you need to get 5 out of 6 right." in html
    assert "80%" not in html


def test_no_answer_shows_the_error_summary(client, staff, cycle, content):
    client.force_login(staff)
    url = client.post("/en/quiz/")["Location"]
    response = client.post(url, {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_answer_1">Select an answer</a>' in html
    assert "<title>Error:" in html


def test_a_tampered_option_gets_a_message_not_an_error(client, staff, cycle, content):
    client.force_login(staff)
    url = client.post("/en/quiz/")["Location"]
    for value in ["999999", "abc", "-1", ""]:
        response = client.post(url, {"answer": value})
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    assert not Attempt.objects.get().answers.exclude(chosen_option=None).exists()


def test_full_journey_with_a_fail_then_a_retake_and_a_pass(client, staff, cycle, content):
    client.force_login(staff)
    response, first = take_quiz(client, correct=3)
    results = client.get(response["Location"]).content.decode()
    assert "You scored 3 out of 6" in results
    assert "You did not pass. You need 5 out of 6 to pass." in results
    assert "Try again" in results
    assert "/en/guidance/principles/" in results
    response, second = take_quiz(client, correct=6)
    assert second.pk != first.pk
    results = client.get(response["Location"]).content.decode()
    assert "You scored 6 out of 6" in results
    assert "Continue to the declaration" in results
    home = client.get("/en/").content.decode()
    assert "Passed" in home


def test_check_your_answers_lets_you_change_an_answer(client, staff, cycle, content):
    client.force_login(staff)
    client.post("/en/quiz/")
    attempt = Attempt.objects.get()
    for position in range(1, 7):
        answer = attempt.answers.get(position=position)
        wrong = Option.objects.filter(question=answer.question, is_correct=False).first()
        client.post(f"/en/quiz/{attempt.pk}/question/{position}/", {"answer": wrong.pk})
    check = client.get(f"/en/quiz/{attempt.pk}/check-your-answers/").content.decode()
    assert "Check your answers" in check
    assert f"/en/quiz/{attempt.pk}/question/3/?change=1" in check
    answer = attempt.answers.get(position=3)
    right = Option.objects.get(question=answer.question, is_correct=True)
    response = client.post(f"/en/quiz/{attempt.pk}/question/3/?change=1", {"answer": right.pk})
    assert response["Location"] == f"/en/quiz/{attempt.pk}/check-your-answers/"
    client.post(f"/en/quiz/{attempt.pk}/check-your-answers/")
    assert Attempt.objects.get().score == 1


def test_check_your_answers_heads_each_card_with_its_question_and_puts_the_answer_below(client, staff, cycle, content):
    client.force_login(staff)
    client.post("/en/quiz/")
    attempt = Attempt.objects.get()
    first = attempt.answers.get(position=1)
    chosen = Option.objects.filter(question=first.question).first()
    client.post(f"/en/quiz/{attempt.pk}/question/1/", {"answer": chosen.pk})
    check = client.get(f"/en/quiz/{attempt.pk}/check-your-answers/").content.decode()
    cards = re.findall(r'<div class="govuk-summary-card app-answer-card">(.*?)</dl>', check, re.DOTALL)
    assert len(cards) == 6
    scenario, asked = first.question.scenario_and_question
    card = cards[0]
    assert '<h2 class="govuk-summary-card__title">Question 1 of 6</h2>' in card
    # The situation reads across the card, the question is a heading, and the answer comes after both.
    assert card.index(escape(scenario)) < card.index(f'<h3 class="govuk-heading-s">{escape(asked)}</h3>')
    assert card.index(escape(asked)) < card.index("Your answer") < card.index(escape(chosen.text))
    assert "govuk-summary-list__key" in card and "app-summary-prompt" not in check
    assert "Not answered" in cards[1]


def test_switching_language_mid_quiz_keeps_progress(client, staff, cycle, content):
    client.force_login(staff)
    client.post("/en/quiz/")
    attempt = Attempt.objects.get()
    answer = attempt.answers.get(position=1)
    option = Option.objects.filter(question=answer.question).first()
    client.post(f"/en/quiz/{attempt.pk}/question/1/", {"answer": option.pk})
    response = client.post("/language/cy/", {"next": f"/en/quiz/{attempt.pk}/question/2/"})
    assert response["Location"] == f"/cy/cwis/{attempt.pk}/cwestiwn/2/"
    html = client.get(response["Location"]).content.decode()
    assert "Cwestiwn 2 o 6" in html
    back = client.get(f"/cy/cwis/{attempt.pk}/cwestiwn/1/").content.decode()
    scenario, asked = answer.question.scenario_and_question
    assert escape(scenario) in back and escape(asked) in back
    assert re.search(rf'value="{option.pk}"\s*checked', back), "the answer given in English is still chosen"


def test_someone_elses_attempt_is_not_found(client, staff, cycle, content):
    from ..factories import UserFactory

    other = UserFactory()
    client.force_login(other)
    client.post("/en/quiz/")
    attempt = Attempt.objects.get(user=other)
    client.force_login(staff)
    assert client.get(f"/en/quiz/{attempt.pk}/question/1/").status_code == 404
    assert client.post(f"/en/quiz/{attempt.pk}/check-your-answers/").status_code == 404
    assert client.get(f"/en/quiz/{attempt.pk}/results/").status_code == 404


def test_double_submit_scores_once(client, staff, cycle, content):
    client.force_login(staff)
    response, attempt = take_quiz(client, correct=6)
    again = client.post(f"/en/quiz/{attempt.pk}/check-your-answers/")
    assert again["Location"] == f"/en/quiz/{attempt.pk}/results/"
    attempt.refresh_from_db()
    assert attempt.score == 6
    assert Attempt.objects.filter(user=staff).count() == 1


def test_an_unanswered_question_marks_its_radios_with_the_message(client, staff, cycle, content):
    client.force_login(staff)
    url = client.post("/en/quiz/")["Location"]
    html = client.post(url, {}).content.decode()
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert re.search(r'<fieldset class="govuk-fieldset" aria-describedby="(scenario )?id_answer_1_error">', html)
    assert re.search(r'<span id="id_answer_1_error" class="govuk-error-message">.*Select an answer</span>', html)
    ids = re.findall(r'<input class="govuk-radios__input" id="(id_answer_\d)"', html)
    assert ids == [f"id_answer_{n}" for n in range(1, len(ids) + 1)] and len(ids) >= 2
    assert all(f'<label class="govuk-label govuk-radios__label" for="{input_id}">' in html for input_id in ids)


def test_an_option_is_shown_as_text_not_markup(client, staff, cycle, content):
    client.force_login(staff)
    url = client.post("/en/quiz/")["Location"]
    answer = Attempt.objects.get().answers.get(position=1)
    Option.objects.filter(pk=answer.option_order[0]).update(text_en="<b>bold</b> & more")
    html = client.get(url).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html and "<b>bold</b>" not in html
