"""The text a draft sends to translation, one unit per Welsh field: the guidance sections and "What changed" of the
draft, the principles' names and summaries, the active questions with their options and feedback, and the legal
pages. Each unit knows where it appears, its English, its Welsh now and the Welsh staff read in the last published
version, and whether it is new or its English changed since then."""

from dataclasses import dataclass

from django.db import models

from assessments.models import Option, Question
from guidance.comparison import previous_published
from guidance.models import GuidanceVersion, Principle
from guidance.review import published_counterparts
from legal.models import LegalPage


@dataclass
class Unit:
    id: str
    where: str
    english: str
    welsh: str
    previous_welsh: str
    changed: bool
    obj: models.Model
    field: str  # the Welsh is written to f"{field}_cy"


def _baseline(model, objects, since):
    """For each object, its historical record as of ``since`` (the last published version), or its first record when
    it was created later; missing when it has no history (loaded with the shipped content and never edited)."""
    history = model.history.model
    baseline = {}
    for record in history.objects.filter(id__in=[obj.pk for obj in objects]).order_by("history_date"):
        if record.id not in baseline or (since is not None and record.history_date <= since):
            baseline[record.id] = record
    return baseline


def _history_units(objects, *, model, since, prefix, where, fields):
    """A unit is new or changed when its English differs from the baseline's, or it has no Welsh yet."""
    baseline = _baseline(model, objects, since)
    units = []
    for obj in objects:
        then = baseline.get(obj.pk)
        for field in fields:
            english, welsh = getattr(obj, f"{field}_en"), getattr(obj, f"{field}_cy")
            previous = getattr(then, f"{field}_cy") if then else welsh
            changed = not welsh.strip() or (then is not None and getattr(then, f"{field}_en") != english)
            units.append(Unit(f"{prefix(obj)}/{field}", where(obj, field), english, welsh, previous, changed, obj, field))
    return units


FIELD_NAMES = {"title": "title", "body": "text", "name": "name", "summary": "summary", "prompt": "scenario",
               "text": "answer", "feedback": "feedback", "change_summary": "what changed"}  # fmt: skip


def units_for(version: GuidanceVersion) -> list[Unit]:
    published = previous_published(version)
    since = published.published_at if published else None
    units = []
    if version.change_summary_en.strip():
        units.append(
            Unit(
                f"version/{version.number}/change_summary",
                f"Guidance version {version.number}: what changed",
                version.change_summary_en,
                version.change_summary_cy,
                "",
                True,
                version,
                "change_summary",
            )
        )
    counterparts = published_counterparts(version)
    for section in version.sections.order_by("order"):
        before = counterparts.get(section.pk)
        for field in ("title", "body"):
            english, welsh = getattr(section, f"{field}_en"), getattr(section, f"{field}_cy")
            units.append(
                Unit(
                    f"section/{section.pk}/{field}",
                    f"Guidance version {version.number}, section {section.order} “{section.title_en}”: "
                    f"{FIELD_NAMES[field]}",
                    english,
                    welsh,
                    getattr(before, f"{field}_cy") if before else "",
                    before is None or getattr(before, f"{field}_en") != english,
                    section,
                    field,
                )
            )
    units += _history_units(
        list(Principle.objects.order_by("number")),
        model=Principle,
        since=since,
        prefix=lambda principle: f"principle/{principle.number}",
        where=lambda principle, field: f"Principle {principle.number} “{principle.name_en}”: {FIELD_NAMES[field]}",
        fields=("name", "summary"),
    )
    questions = list(Question.objects.filter(is_active=True).select_related("principle").order_by("principle__number", "pk"))
    units += _history_units(
        questions,
        model=Question,
        since=since,
        prefix=lambda question: f"question/{question.key}",
        where=lambda question, field: f"Scenario question “{question.key}” (principle {question.principle.number}): scenario",
        fields=("prompt",),
    )
    options = list(Option.objects.filter(question__in=questions).select_related("question").order_by("question", "order"))
    units += _history_units(
        options,
        model=Option,
        since=since,
        prefix=lambda option: f"option/{option.question.key}/{option.order}",
        where=lambda option, field: f"Scenario question “{option.question.key}”, answer {option.order}"
        f"{' (correct)' if option.is_correct else ''}: {FIELD_NAMES[field]}",
        fields=("text", "feedback"),
    )
    units += _history_units(
        list(LegalPage.objects.order_by("kind")),
        model=LegalPage,
        since=since,
        prefix=lambda page: f"legal/{page.kind}",
        where=lambda page, field: f"{page.get_kind_display()}: {FIELD_NAMES[field]}",
        fields=("title", "body"),
    )
    return units
