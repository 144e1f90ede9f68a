"""Question statistics for editors, on the model of Moodle's quiz statistics, plus a check of the translations.

Worked out from first attempts only (what people understood before any feedback, as HR's figures are), in two
queries aggregated in SQL, whatever the number of attempts:

- **Facility index**: the share of answers that were right.
- **Discrimination index**: the correlation (Pearson, as a percentage, as Moodle shows it) between getting this
  question right and the score on the rest of the attempt. High means people who did well overall got it right and
  people who did badly did not; near zero or negative means the question does not separate them (often a sign it is
  ambiguous or its "right" answer is arguable).
- **Option frequencies**: how often each option was chosen.
- **Translation check**: the same figures for answers given in English and in Welsh, with a two-proportion z-test:
  a question is flagged when the two facility indices differ by more than ``LANGUAGE_GAP`` points, each language
  has at least ``LANGUAGE_MINIMUM`` answers and the difference is unlikely to be chance (p < ``SIGNIFICANCE``).
  That usually means one wording is clearer than the other, or says something different.

Figures for fewer than ``SMALL_GROUP`` answers are not shown.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Sum, When

from assessments.models import AttemptQuestion, Option, Question
from cycles.models import Cycle

from .selectors import SMALL_GROUP

TOO_EASY = 95  # facility above this: nearly everyone gets it right, so it teaches and tests little
TOO_HARD = 30  # facility below this: most people get it wrong
LANGUAGE_GAP = 15  # percentage points between the English and Welsh facility
LANGUAGE_MINIMUM = 20  # answers needed in each language before the two are compared
SIGNIFICANCE = 0.05
LANGUAGES = ("en", "cy")


@dataclass
class Sums:
    """Running sums for one group of answers: enough for the facility and the correlation."""

    answers: int = 0
    correct: int = 0
    score: int = 0  # the attempts' scores added up
    score_squared: int = 0
    score_when_correct: int = 0

    def add(self, other: "Sums") -> None:
        for name in ("answers", "correct", "score", "score_squared", "score_when_correct"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def shown(self) -> bool:
        return self.answers >= SMALL_GROUP

    @property
    def facility(self) -> float | None:
        return self.correct * 100 / self.answers if self.answers else None

    @property
    def discrimination(self) -> float | None:
        """Pearson's r between x (1 if right) and y (the score on the rest of the attempt, y = score - x), x 100."""
        n = self.answers
        if n < 2:
            return None
        sum_x = self.correct
        sum_y = self.score - self.correct
        sum_xy = self.score_when_correct - self.correct  # x * (score - x), and x * x = x
        sum_yy = self.score_squared - 2 * self.score_when_correct + self.correct
        spread = (n * sum_x - sum_x**2) * (n * sum_yy - sum_y**2)
        if spread <= 0:
            return None  # everyone right, everyone wrong, or the same rest score for all: no correlation to show
        return (n * sum_xy - sum_x * sum_y) * 100 / math.sqrt(spread)


@dataclass
class OptionFigures:
    option: Option
    chosen: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LANGUAGES, 0))

    @property
    def total(self) -> int:
        return sum(self.chosen.values())


@dataclass
class LanguageCheck:
    english: Sums
    welsh: Sums
    difference: float | None  # English facility minus Welsh, in points
    p_value: float | None

    @property
    def gap(self) -> float | None:
        return abs(self.difference) if self.difference is not None else None

    @property
    def compared(self) -> bool:
        return self.p_value is not None

    @property
    def flagged(self) -> bool:
        return (
            self.compared and abs(self.difference) > LANGUAGE_GAP and self.p_value < SIGNIFICANCE  # type: ignore
        )


@dataclass
class QuestionFigures:
    question: Question
    overall: Sums
    by_language: dict[str, Sums]
    options: list[OptionFigures]
    language_check: LanguageCheck

    @property
    def shown(self) -> bool:
        return self.overall.shown

    @property
    def correct_option(self) -> OptionFigures | None:
        return next((figures for figures in self.options if figures.option.is_correct), None)

    @property
    def too_easy(self) -> bool:
        facility = self.overall.facility
        return self.shown and facility is not None and facility > TOO_EASY

    @property
    def too_hard(self) -> bool:
        facility = self.overall.facility
        return self.shown and facility is not None and facility < TOO_HARD

    @property
    def misleading(self) -> list[OptionFigures]:
        """Wrong options chosen more often than the right one."""
        right = self.correct_option
        if not self.shown or right is None:
            return []
        return [item for item in self.options if not item.option.is_correct and item.total > right.total]

    @property
    def flags(self) -> list[str]:
        names = []
        if self.too_easy:
            names.append("too_easy")
        if self.too_hard:
            names.append("too_hard")
        if self.misleading:
            names.append("misleading")
        if self.shown and self.language_check.flagged:
            names.append("translation")
        return names


def two_proportion_p_value(first: Sums, second: Sums) -> float | None:
    """Two-sided p-value of the z-test that two facility indices are the same (pooled standard error)."""
    if min(first.answers, second.answers) < LANGUAGE_MINIMUM:
        return None
    pooled = (first.correct + second.correct) / (first.answers + second.answers)
    error = math.sqrt(pooled * (1 - pooled) * (1 / first.answers + 1 / second.answers))
    if error == 0:
        return 1.0  # everyone right (or wrong) in both languages: no difference at all
    z = (first.correct / first.answers - second.correct / second.answers) / error
    return math.erfc(abs(z) / math.sqrt(2))


def question_statistics(*, cycle: Cycle) -> list[QuestionFigures]:
    """Every scenario answered in the cycle's first attempts (and every active one), in principle and key order."""
    answers = AttemptQuestion.objects.filter(
        attempt__cycle=cycle, attempt__is_first=True, chosen_option__isnull=False, attempt__score__isnull=False
    )
    sums: dict[int, dict[str, Sums]] = {}
    for row in answers.values("question_id", "attempt__language").annotate(
        answers=Count("pk"),
        correct=Count("pk", filter=Q(is_correct=True)),
        score=Sum("attempt__score"),
        score_squared=Sum(F("attempt__score") * F("attempt__score")),
        score_when_correct=Sum(
            Case(When(is_correct=True, then=F("attempt__score")), default=0, output_field=IntegerField())
        ),
    ):
        language = row["attempt__language"] if row["attempt__language"] in LANGUAGES else "en"
        languages = sums.setdefault(row["question_id"], {code: Sums() for code in LANGUAGES})
        languages[language].add(
            Sums(
                row["answers"],
                row["correct"],
                row["score"] or 0,
                row["score_squared"] or 0,
                row["score_when_correct"] or 0,
            )
        )
    chosen: dict[int, dict[str, int]] = {}
    for choice in answers.values("chosen_option_id", "attempt__language").annotate(count=Count("pk")):
        language = choice["attempt__language"] if choice["attempt__language"] in LANGUAGES else "en"
        chosen.setdefault(choice["chosen_option_id"], dict.fromkeys(LANGUAGES, 0))[language] += choice["count"]
    questions = (
        Question.objects.filter(Q(pk__in=sums.keys()) | Q(is_active=True))
        .select_related("principle")
        .prefetch_related("options")
        .order_by("principle__number", "key")
    )
    result = []
    for question in questions:
        by_language = sums.get(question.pk, {code: Sums() for code in LANGUAGES})
        overall = Sums()
        for group in by_language.values():
            overall.add(group)
        english, welsh = by_language["en"], by_language["cy"]
        p_value = two_proportion_p_value(english, welsh)
        difference = (
            english.facility - welsh.facility if english.facility is not None and welsh.facility is not None else None
        )
        result.append(
            QuestionFigures(
                question=question,
                overall=overall,
                by_language=by_language,
                options=[
                    OptionFigures(option, dict(chosen.get(option.pk, dict.fromkeys(LANGUAGES, 0))))
                    for option in question.options.all()
                ],
                language_check=LanguageCheck(english, welsh, difference, p_value),
            )
        )
    return result
