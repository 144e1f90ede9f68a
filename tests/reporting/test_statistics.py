"""Question statistics against a hand-computed example: facility, discrimination, options, flags, the translation
check and suppression, on the editors' page, in Welsh and in the CSV."""

import csv
import io
import math

import pytest
from django.utils import timezone

from assessments.models import Attempt, AttemptQuestion, Option
from reporting.statistics import question_statistics, two_proportion_p_value
from tests.factories import CycleFactory, PrincipleFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def attempt_with(cycle, answers, *, language="en", first=True, submitted=True):
    """An attempt by a new person with the given (question, option number) answers: submitted and scored on them, or
    still in progress (no score yet)."""
    person = UserFactory(preferred_language=language)
    options = [Option.objects.get(question=question, order=number) for question, number in answers]
    score = sum(option.is_correct for option in options)
    attempt = Attempt.objects.create(
        user=person,
        cycle=cycle,
        status=Attempt.Status.SUBMITTED if submitted else Attempt.Status.IN_PROGRESS,
        language=language,
        submitted_at=timezone.now() if submitted else None,
        score=score if submitted else None,
        total=len(options),
        passed=False,
        is_first=first,
    )
    for position, option in enumerate(options, start=1):
        AttemptQuestion.objects.create(
            attempt=attempt,
            question=option.question,
            position=position,
            option_order=[1, 2, 3],
            chosen_option=option,
            is_correct=option.is_correct,
            answered_at=timezone.now(),
        )
    return attempt


@pytest.fixture
def example(db):
    """Option 1 is right in every question (QuestionFactory).

    - ``rest``: six people answer ``q`` and ``r``. (q, r) right/wrong: (1,1) (1,1) (1,0) (0,1) (0,0) (0,0); in ``q``
      the wrong answers are option 2 twice and option 3 once.
      By hand: facility 3/6 = 50%. Discrimination: x = q right, y = rest of the attempt = r right
      = [1,1,0,1,0,0]; n=6, Σx=3, Σy=3, Σxy=2, Σx²=3, Σy²=3;
      r = (6·2 − 3·3) / √((6·3 − 3²)(6·3 − 3²)) = 3/9 → 33%.
    - ``tricky``: 2 right, 4 chose option 2: a wrong option beats the right one (facility 33%, not "too hard").
    - ``easy``: 20 right of 20: too easy; everyone right, so no discrimination can be worked out.
    - ``hard``: 1 right of 5 (20%): too hard (and options 2 and 3, two answers each, beat the right one).
    - ``welsh``: English 22 right of 25 (88%), Welsh 10 right of 25 (40%): 48 points apart;
      pooled p = 32/50 = 0.64, SE = √(0.64·0.36·(1/25 + 1/25)) = 0.13576, z = 0.48/0.13576 = 3.5355,
      p = erfc(3.5355/√2) = 0.000407 → flagged.
    - ``few_welsh``: English 20 right of 25, Welsh 1 right of 10: too few Welsh answers to compare, not flagged.
    - ``thin``: 4 answers only: nothing shown, no flags. Its second attempts are not counted either.
    """
    cycle = CycleFactory(name="2026–27")
    principle = PrincipleFactory(number=1)
    q = {
        key: QuestionFactory(key=key, principle=principle)
        for key in ("rest", "other", "tricky", "easy", "hard", "welsh", "few-welsh", "thin")
    }
    for pair in [(1, 1), (1, 1), (1, 2), (2, 1), (2, 2), (3, 2)]:
        attempt_with(cycle, [(q["rest"], pair[0]), (q["other"], pair[1])])
    for number in [1, 1, 2, 2, 2, 2]:
        attempt_with(cycle, [(q["tricky"], number)])
    for _index in range(20):
        attempt_with(cycle, [(q["easy"], 1)])
    for number in [1, 2, 3, 2, 3]:
        attempt_with(cycle, [(q["hard"], number)])
    for index in range(25):
        attempt_with(cycle, [(q["welsh"], 1 if index < 22 else 2)], language="en")
        attempt_with(cycle, [(q["welsh"], 1 if index < 10 else 2)], language="cy")
        attempt_with(cycle, [(q["few-welsh"], 1 if index < 20 else 2)], language="en")
    for index in range(10):
        attempt_with(cycle, [(q["few-welsh"], 1 if index < 1 else 2)], language="cy")
    for number in [1, 2, 1, 3]:
        attempt_with(cycle, [(q["thin"], number)])
    for _index in range(3):
        attempt_with(cycle, [(q["thin"], 1)], first=False)
    return cycle, q


def figures_by_key(cycle):
    return {item.question.key: item for item in question_statistics(cycle=cycle)}


def test_facility_and_discrimination_match_the_hand_computed_example(example):
    cycle, _questions = example
    rest = figures_by_key(cycle)["rest"]
    assert rest.overall.answers == 6
    assert rest.overall.facility == pytest.approx(50)
    assert rest.overall.discrimination == pytest.approx(100 / 3)
    assert [(item.option.order, item.total) for item in rest.options] == [(1, 3), (2, 2), (3, 1)]
    assert rest.flags == []


def test_flags_too_easy_too_hard_and_a_wrong_option_beating_the_right_one(example):
    cycle, _questions = example
    figures = figures_by_key(cycle)
    assert figures["tricky"].flags == ["misleading"]
    assert [item.option.order for item in figures["tricky"].misleading] == [2]
    assert figures["tricky"].overall.facility == pytest.approx(100 / 3)
    assert figures["easy"].flags == ["too_easy"]
    assert figures["easy"].overall.discrimination is None
    # With two wrong options, a facility under 30% means one of them drew more answers than the right one.
    assert figures["hard"].flags == ["too_hard", "misleading"]


def test_the_translation_check_flags_a_real_difference_between_languages(example):
    cycle, _questions = example
    figures = figures_by_key(cycle)
    welsh = figures["welsh"].language_check
    assert welsh.english.facility == pytest.approx(88) and welsh.welsh.facility == pytest.approx(40)
    assert welsh.difference == pytest.approx(48)
    assert welsh.p_value == pytest.approx(math.erfc(3.5355 / math.sqrt(2)), rel=1e-3)
    assert welsh.p_value == pytest.approx(0.000407, abs=0.00001)
    assert figures["welsh"].flags == ["translation"]
    few = figures["few-welsh"]
    assert few.language_check.p_value is None and not few.language_check.flagged
    assert few.flags == []  # 80% against 10%, but ten Welsh answers are too few to tell


def test_two_proportion_test_sees_no_difference_when_the_languages_agree(example):
    from reporting.statistics import Sums

    assert two_proportion_p_value(Sums(answers=40, correct=30), Sums(answers=40, correct=30)) == pytest.approx(1)
    assert two_proportion_p_value(Sums(answers=40, correct=40), Sums(answers=40, correct=40)) == 1.0


def test_small_counts_are_suppressed_and_only_first_attempts_count(example):
    cycle, _questions = example
    thin = figures_by_key(cycle)["thin"]
    assert thin.overall.answers == 4  # the three second attempts are not counted
    assert not thin.shown and thin.flags == []


def test_editors_page_shows_the_figures_and_hides_small_counts(client, editor, example):
    cycle, questions = example
    client.force_login(editor)
    page = client.get(f"/en/editors/question-statistics/?cycle={cycle.pk}").content.decode()
    assert "Question statistics" in page
    row = page[page.index(f'href="#scenario-{questions["rest"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert ">6<" in row and "50%" in row and "33%" in row
    thin = page[page.index(f'href="#scenario-{questions["thin"].pk}"') :]
    assert "Too few answers to show" in thin[: thin.index("</tr>")]
    flagged = page[page.index('id="flagged"') :]
    flagged = flagged[: flagged.index("</ul>")]
    titles = {key: question.prompt_en.split(":")[0] for key, question in questions.items()}  # "Scenario 12"
    assert f"{titles['tricky']}: what should you do?</a>: A wrong option beats the right one" in flagged
    assert f"{titles['welsh']}: what should you do?</a>: Check the translation" in flagged
    assert f"{titles['easy']}: what should you do?</a>: Too easy" in flagged
    assert f"{titles['hard']}: what should you do?</a>: Too hard" in flagged
    assert f"{titles['rest']}: " not in flagged and f"{titles['thin']}: " not in flagged
    assert ">tricky<" not in page  # scenarios are named by their words, never by their key
    assert "The English and Welsh facility are 48 points apart" in page


def test_editors_page_in_welsh(client, editor, example):
    cycle, questions = example
    client.force_login(editor)
    page = client.get(f"/cy/golygyddion/ystadegau-cwestiynau/?cycle={cycle.pk}").content.decode()
    assert "Ystadegau cwestiynau" in page
    assert "Gwiriwch y cyfieithiad" in page
    assert "Rhy hawdd" in page and "Rhy anodd" in page
    easy = questions["easy"]
    assert f">{easy.prompt_cy}</a>: Rhy hawdd" in page and easy.prompt_en not in page


def test_statistics_download_is_a_csv_with_the_same_figures(client, editor, example):
    cycle, _questions = example
    client.force_login(editor)
    response = client.get(f"/en/editors/question-statistics/download/?cycle={cycle.pk}")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="question-statistics-2026-27-en-' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header = rows[0]
    questions = {row[0]: dict(zip(header, row, strict=False)) for row in rows[1:] if not row[2]}
    assert questions["rest"]["Answers"] == "6"
    assert questions["rest"]["Facility index (%)"] == "50"
    assert questions["rest"]["Discrimination index (%)"] == "33"
    assert questions["welsh"]["Facility in Welsh (%)"] == "40"
    assert questions["welsh"]["Flags"] == "Check the translation"
    assert questions["thin"]["Answers"] == "Too few answers to show"
    assert questions["few-welsh"]["Answers in Welsh"] == "10"
    options = [row for row in rows[1:] if row[0] == "tricky" and row[2]]
    assert [(row[2], row[3], row[4]) for row in options] == [
        ("Answer 1", "Yes", "2"),
        ("Answer 2", "No", "4"),
        ("Answer 3", "No", "0"),
    ]


def test_a_bad_cycle_gets_a_clear_message_not_an_error(client, editor, example):
    client.force_login(editor)
    response = client.get("/en/editors/question-statistics/?cycle=nonsense")
    assert response.status_code == 200
    assert "Select a cycle from the list" in response.content.decode()
    assert client.get("/en/editors/question-statistics/download/?cycle=nonsense").status_code == 400


def test_every_active_question_and_every_one_answered_is_listed_by_principle_then_key(example):
    cycle, q = example
    later = PrincipleFactory(number=2)
    QuestionFactory(key="aaa-new", principle=later)  # active, not answered yet: listed with no figures
    QuestionFactory(key="aaa-retired", principle=later, is_active=False)  # retired and never answered: not listed
    type(q["hard"]).objects.filter(pk=q["hard"].pk).update(is_active=False)  # retired since: its answers still count
    keys = [item.question.key for item in question_statistics(cycle=cycle)]
    assert keys == sorted(q) + ["aaa-new"]


def test_discrimination_over_both_languages_counts_a_language_where_everyone_scored_nothing():
    """English: three people wrong in both questions (scores 0). Welsh: (right, right), (right, wrong), (wrong,
    right). Over all six: x = [0,0,0,1,1,0], y = rest of the attempt = [0,0,0,1,0,1]; n=6, Σx=2, Σy=2, Σxy=1, Σx²=2,
    Σy²=2; r = (6·1 − 2·2) / √((6·2 − 2²)(6·2 − 2²)) = 2/8 → 25%."""
    cycle = CycleFactory(name="2026–27")
    principle = PrincipleFactory(number=1)
    mixed, other = (QuestionFactory(key=key, principle=principle) for key in ("mixed", "other"))
    for _index in range(3):
        attempt_with(cycle, [(mixed, 2), (other, 2)], language="en")
    for pair in [(1, 1), (1, 2), (2, 1)]:
        attempt_with(cycle, [(mixed, pair[0]), (other, pair[1])], language="cy")
    figures = {item.question.key: item for item in question_statistics(cycle=cycle)}
    assert figures["mixed"].overall.discrimination == pytest.approx(25)
