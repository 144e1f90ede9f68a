"""Loads the scenario question bank and makes sure a current cycle exists. Safe to run again."""

import json
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cycles.models import Cycle
from guidance.models import Principle

from .models import Option, Question

QUESTIONS_FILE = Path(__file__).parent / "content" / "questions.json"
OPTION_FIELDS = ("text_en", "text_cy", "feedback_en", "feedback_cy")


@transaction.atomic
def load_questions(path: Path = QUESTIONS_FILE) -> int:
    """Adds questions that are not there yet (matched by key). Questions already loaded belong to the editors now."""
    principles = {principle.number: principle for principle in Principle.objects.all()}
    existing = set(Question.objects.values_list("key", flat=True))
    added = 0
    for item in json.loads(path.read_text(encoding="utf-8"))["questions"]:
        if item["key"] in existing:
            continue
        question = Question.objects.create(
            key=item["key"],
            principle=principles[item["principle"]],
            prompt_en=item["prompt_en"],
            prompt_cy=item["prompt_cy"],
            is_active=True,
        )
        Option.objects.bulk_create(
            Option(
                question=question, order=order, is_correct=option["is_correct"], **{f: option[f] for f in OPTION_FIELDS}
            )
            for order, option in enumerate(item["options"], start=1)
        )
        added += 1
    return added


def cycle_name_for(day: date) -> str:
    """Cycles run April to March, like the financial year: "2026–27"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}–{str(start + 1)[-2:]}"


@transaction.atomic
def ensure_current_cycle(today: date | None = None) -> Cycle:
    current = Cycle.objects.current()
    if current:
        return current
    today = today or timezone.localdate()
    name = cycle_name_for(today)
    start_year = int(name[:4])
    cycle, _created = Cycle.objects.get_or_create(
        name=name, defaults={"opens_on": date(start_year, 4, 1), "due_on": date(start_year + 1, 3, 31)}
    )
    cycle.is_current = True
    cycle.save(update_fields=["is_current"])
    return cycle
