"""How the demo people answer: a simple model of people and scenarios (each person has an ability, each scenario a
difficulty), with a few scenarios made deliberately too easy, too hard, misleading (a wrong option that draws more
answers than the right one) or harder in one language, so every flag on the question statistics page has an example.
"""

import math
import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assessments.models import Attempt, Option, Question


def _sigmoid(value: float) -> float:
    return 1 / (1 + math.exp(-value))


class QuestionModel:
    """How hard each scenario is, and which wrong option tempts people most."""

    def __init__(self, rng: random.Random, questions: list[Question], options: dict[int, list[Option]]):
        self.options = options
        self.difficulty = {question.pk: rng.uniform(-1.6, 0.4) for question in questions}
        self.welsh_shift = {question.pk: 0.0 for question in questions}
        self.tempting = {}
        self.often = None
        by_principle: dict[int, list] = {}
        for question in questions:
            by_principle.setdefault(question.principle.number, []).append(question)
        picks = [group[0] for _number, group in sorted(by_principle.items())]
        if len(picks) >= 4:
            self.difficulty[picks[0].pk] = -7.0  # everyone gets it right, even on a hurried first try: too easy
            self.difficulty[picks[1].pk] = 2.2  # too hard
            self.difficulty[picks[2].pk] = 1.2
            self.tempting[picks[2].pk] = 0.85  # one wrong option draws most wrong answers: misleading
            self.welsh_shift[picks[3].pk] = -2.2  # the Welsh wording is much harder: the translation check
            self.often = picks[3]  # drawn more often, so enough people answer it in each language to compare

    def draw(self, rng: random.Random, group: list[Question]) -> Question:
        if self.often in group and rng.random() < 0.6:
            return self.often
        return rng.choice(group)

    def choose(self, rng: random.Random, question_id: int, ability: float, language: str) -> Option:
        shift = self.welsh_shift[question_id] if language == "cy" else 0.0
        choices = self.options[question_id]
        correct = next(option for option in choices if option.is_correct)
        if rng.random() < _sigmoid(ability - self.difficulty[question_id] + shift):
            return correct
        wrong = [option for option in choices if not option.is_correct]
        if question_id in self.tempting and rng.random() < self.tempting[question_id]:
            return wrong[0]
        return rng.choice(wrong)


def moment(rng: random.Random, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


def spread_day(rng: random.Random, start: date, end: date) -> date:
    """A working day between start and end, more of them early on (most people act soon after the launch email)."""
    span = max((end - start).days, 0)
    offset = span + 1
    while offset > span:
        offset = int(rng.expovariate(2.5 / max(span, 1))) if span else 0
    day = start + timedelta(days=offset)
    while day.weekday() >= 5 and day > start:
        day -= timedelta(days=1)
    return day


def attempts_for(rng, model, *, person, ability, cycle, day, questions_by_principle, must_pass):
    """One or two submitted attempts on ``day``; the last passes when ``must_pass``."""
    rows = []
    for number in range(3):
        drawn = [model.draw(rng, group) for group in questions_by_principle]
        chosen = [
            model.choose(rng, question.pk, ability + number * 0.8, person.preferred_language) for question in drawn
        ]
        score = sum(option.is_correct for option in chosen)
        passed = score * 100 >= cycle.pass_mark_percent * len(drawn)
        if must_pass and not passed and number == 2:
            chosen = [next(option for option in model.options[q.pk] if option.is_correct) for q in drawn]
            score, passed = len(drawn), True
        started = moment(rng, day) + timedelta(minutes=number * 20)
        attempt = Attempt(
            user=person,
            cycle=cycle,
            status=Attempt.Status.SUBMITTED,
            language=person.preferred_language,
            started_at=started,
            submitted_at=started + timedelta(minutes=rng.randint(4, 15)),
            score=score,
            total=len(drawn),
            pass_mark_percent=cycle.pass_mark_percent,
            passed=passed,
            is_first=number == 0,
        )
        rows.append((attempt, drawn, chosen))
        if passed or not must_pass:
            break
    return rows
