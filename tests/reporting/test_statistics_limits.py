"""The statistics' limits at their edges: the smallest group shown, the fewest answers compared between languages, the
pooled proportion with unequal counts, and text in the CSV that a spreadsheet must not run as a formula."""

import csv
import io
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import Option
from reporting.statistics import LANGUAGE_MINIMUM, Sums, question_statistics, two_proportion_p_value
from tests.factories import CycleFactory, PrincipleFactory, QuestionFactory

from .test_statistics import attempt_with

pytestmark = pytest.mark.django_db


def download(client, editor, cycle) -> list[dict[str, str]]:
    client.force_login(editor)
    response = client.get(f"/en/editors/question-statistics/download/?cycle={cycle.pk}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def answered(cycle, question, *, english: int, welsh: int) -> None:
    """English and Welsh answers to the question, every one right."""
    for language, count in (("en", english), ("cy", welsh)):
        for _index in range(count):
            attempt_with(cycle, [(question, 1)], language=language)


def test_a_language_with_fewer_than_five_answers_shows_no_percentage_in_the_csv(client, editor):
    cycle = CycleFactory(name="2026–27")
    four, five = QuestionFactory(key="four-welsh"), QuestionFactory(key="five-welsh")
    answered(cycle, four, english=6, welsh=4)
    answered(cycle, five, english=6, welsh=5)
    rows = download(client, editor, cycle)
    four_row = next(row for row in rows if row["Scenario"] == "four-welsh" and not row["Option"])
    assert four_row["Answers"] == "10"  # the question itself is shown: ten answers in all
    assert four_row["Answers in English"] == "6" and four_row["Facility in English (%)"] == "100"
    assert four_row["Answers in Welsh"] == "" and four_row["Facility in Welsh (%)"] == ""
    four_options = [row for row in rows if row["Scenario"] == "four-welsh" and row["Option"]]
    assert [row["Answers in Welsh"] for row in four_options] == ["", "", ""]  # nor how the four answered
    five_row = next(row for row in rows if row["Scenario"] == "five-welsh" and not row["Option"])
    assert five_row["Answers in Welsh"] == "5" and five_row["Facility in Welsh (%)"] == "100"
    five_options = [row for row in rows if row["Scenario"] == "five-welsh" and row["Option"]]
    assert [row["Answers in Welsh"] for row in five_options] == ["5", "0", "0"]


@given(english=st.integers(0, 60), welsh=st.integers(0, 60))
def test_two_languages_are_compared_once_each_has_twenty_answers(english, welsh):
    # Half right in English, none in Welsh: a real difference whenever there are answers to compare.
    p_value = two_proportion_p_value(Sums(answers=english, correct=english // 2), Sums(answers=welsh, correct=0))
    assert (p_value is not None) == (min(english, welsh) >= LANGUAGE_MINIMUM)


def test_exactly_twenty_answers_in_each_language_are_compared_and_flagged(client, editor):
    """English 20 of 20 right, Welsh 8 of 20: pooled 28/40 = 0.7, SE = √(0.7·0.3·(1/20 + 1/20)) = 0.144914,
    z = 0.6/0.144914 = 4.1404, p = erfc(4.1404/√2) = 0.0000347."""
    cycle = CycleFactory(name="2026–27")
    question = QuestionFactory(key="twenty")
    for index in range(20):
        attempt_with(cycle, [(question, 1)], language="en")
        attempt_with(cycle, [(question, 1 if index < 8 else 2)], language="cy")
    figures = next(item for item in question_statistics(cycle=cycle) if item.question.key == "twenty")
    assert figures.language_check.compared
    assert figures.language_check.p_value == pytest.approx(0.0000347, rel=1e-2)
    assert figures.flags == ["translation"]
    row = next(row for row in download(client, editor, cycle) if row["Scenario"] == "twenty" and not row["Option"])
    assert row["Flags"] == "Check the translation"


def test_the_pooled_proportion_weighs_each_language_by_its_answers():
    """English 36 of 40 right (90%), Welsh 8 of 20 (40%). Pooled over all answers: 44/60 = 0.73333;
    SE = √(0.73333·0.26667·(1/40 + 1/20)) = 0.121106; z = 0.5/0.121106 = 4.12861; p = erfc(4.12861/√2) = 0.0000365.
    (Averaging the two proportions instead, 0.65, would give p = 0.000129.)"""
    p_value = two_proportion_p_value(Sums(answers=40, correct=36), Sums(answers=20, correct=8))
    assert p_value == pytest.approx(0.0000365, rel=1e-2)
    assert two_proportion_p_value(Sums(answers=20, correct=8), Sums(answers=40, correct=36)) == pytest.approx(p_value)


def test_the_p_value_is_two_sided_and_shrinks_as_the_gap_grows():
    english = Sums(answers=50, correct=25)
    p_values = [two_proportion_p_value(english, Sums(answers=50, correct=correct)) for correct in (25, 20, 15, 10)]
    assert p_values[0] == pytest.approx(1.0)
    assert p_values == sorted(p_values, reverse=True) and len(set(p_values)) == 4
    # 25 and 15 of 50: pooled 0.4, z = 0.2/√(0.4·0.6·0.04) = 2.0412, p = erfc(2.0412/√2) = 0.0412, the same whichever
    # language is ahead.
    assert p_values[2] == pytest.approx(math.erfc(2.0412 / math.sqrt(2)), rel=1e-3)
    assert two_proportion_p_value(Sums(answers=50, correct=15), english) == pytest.approx(p_values[2])


FORMULA = '=HYPERLINK("https://example.com/","Click")'


def test_text_in_the_statistics_csv_is_never_a_live_formula(client, editor):
    cycle = CycleFactory(name="2026–27")
    principle = PrincipleFactory(number=1, name_en="+Principle")
    question = QuestionFactory(key="formulae", principle=principle)
    Option.objects.filter(question=question, order=2).update(text_en=FORMULA)
    Option.objects.filter(question=question, order=3).update(text_en="\x01" + FORMULA)
    for number in (1, 1, 2, 3, 3):
        attempt_with(cycle, [(question, number)])
    rows = [row for row in download(client, editor, cycle) if row["Scenario"] == "formulae"]
    assert [row["Option"] for row in rows] == ["", "Answer 1", "'" + FORMULA, "'" + FORMULA]
    assert {row["Principle"] for row in rows} == {"'+Principle"}


def test_only_the_cycles_finished_answers_count():
    cycle, other_cycle = CycleFactory(name="2026–27"), CycleFactory(name="2025–26", is_current=False)
    question, second = QuestionFactory(key="counted"), QuestionFactory(key="second")
    for number in (1, 1, 2, 2, 3):
        attempt_with(cycle, [(question, number)])
    for _index in range(5):
        attempt_with(other_cycle, [(question, 1)])  # last year's answers
    attempt_with(cycle, [(question, 1)], submitted=False)  # started, not yet submitted
    skipped = attempt_with(cycle, [(second, 1), (question, 1)])
    skipped.answers.filter(question=question).update(chosen_option=None, is_correct=False)  # never answered
    figures = next(item for item in question_statistics(cycle=cycle) if item.question.key == "counted")
    assert figures.overall.answers == 5
    assert figures.overall.facility == pytest.approx(40)
    assert [option.total for option in figures.options] == [2, 2, 1]
