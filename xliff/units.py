"""The text a draft sends to translation, one unit per Welsh field: the guidance sections and "What changed" of the
draft, the principles' names and summaries, the active questions with their options and feedback, and the legal
pages. Each unit knows where it appears, its English, its Welsh now and the Welsh staff read in the last published
version, and whether it is new or its English changed since then."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from assessments.models import Option, Question
from guidance.comparison import previous_published
from guidance.models import GuidanceVersion, Principle, Section
from guidance.review import english_fingerprint, published_counterparts
from legal.models import LegalPage

from .models import TranslationImport


def _where(message: str, **params) -> str:
    """Where a unit appears, in whichever language is active when it is shown (the preview page, a problem with the
    returned file) or written (the file's notes, in English and in Welsh)."""
    return lazy(lambda: gettext(message) % {name: str(value) for name, value in params.items()}, str)()


@dataclass
class Unit:
    id: str
    where: str  # lazy: see _where
    english: str
    welsh: str
    previous_welsh: str
    changed: bool
    obj: models.Model
    field: str  # the Welsh is written to f"{field}_cy"
    # The Welsh was written or confirmed against this English since (a translation file applied, "Welsh reviewed"
    # ticked): a new file sends it as translated, not as needing review.
    confirmed: bool = False


UNKNOWN = object()  # an object loaded without history and edited since: what it said before is not known


def _baseline(model, objects, since):
    """For each object, its historical record as of ``since`` (the last published version), or its first record when
    it was created later; missing when it has no history (loaded with the shipped content and never edited), UNKNOWN
    when its history starts with an edit after ``since`` (loaded without history, then edited)."""
    history = model.history.model
    baseline = {}
    for record in history.objects.filter(id__in=[obj.pk for obj in objects]).order_by("history_date"):
        if since is not None and record.history_date <= since:
            baseline[record.id] = record
        elif record.id not in baseline:
            baseline[record.id] = record if since is None or record.history_type == "+" else UNKNOWN
    return baseline


def _history_units(objects, *, model, since, prefix, where, fields):
    """A unit is new or changed when its English differs from the baseline's, or it has no Welsh yet."""
    baseline = _baseline(model, objects, since)
    units = []
    for obj in objects:
        then = baseline.get(obj.pk)
        for field in fields:
            english, welsh = getattr(obj, f"{field}_en"), getattr(obj, f"{field}_cy")
            if then is UNKNOWN:  # edited since publishing, from an English that is not known: sent, to be safe
                previous, changed = welsh, True
            else:
                previous = getattr(then, f"{field}_cy") if then else welsh
                changed = not welsh.strip() or (then is not None and getattr(then, f"{field}_en") != english)
            units.append(
                Unit(f"{prefix(obj)}/{field}", where(obj, field), english, welsh, previous, changed, obj, field)
            )
    return units


FIELD_NAMES = {"title": _("title"), "body": _("text"), "name": _("name"), "summary": _("summary"),
               "prompt": _("scenario"), "text": _("answer"), "feedback": _("feedback"),
               "change_summary": _("what changed")}  # fmt: skip


def units_for(version: GuidanceVersion) -> list[Unit]:
    """Every text of a draft that has a Welsh counterpart, in the order a translator reads them: what changed, the
    sections, the principles, the scenario questions and their answers, the legal pages. Each unit says whether its
    English changed since the last published version and whether its Welsh is already confirmed."""
    published = previous_published(version)
    since = published.published_at if published else None
    questions = list(
        Question.objects.filter(is_active=True).select_related("principle").order_by("principle__number", "pk")
    )
    units = [
        *_summary_units(version),
        *_section_units(version),
        *_principle_units(since),
        *_question_units(questions, since),
        *_option_units(questions, since),
        *_legal_units(since),
    ]
    confirmed = _confirmed_english(version)
    for unit in units:
        unit.confirmed = (unit.id, unit.english) in confirmed or (
            isinstance(unit.obj, Section) and unit.obj.welsh_reviewed_sha256 == english_fingerprint(unit.obj)
        )
    return units


def _summary_units(version: GuidanceVersion) -> list[Unit]:
    if not version.change_summary_en.strip():
        return []
    return [
        Unit(
            f"version/{version.number}/change_summary",
            _where(gettext_noop("Guidance version %(number)s: what changed"), number=version.number),
            version.change_summary_en,
            version.change_summary_cy,
            "",
            True,
            version,
            "change_summary",
        )
    ]


def _section_units(version: GuidanceVersion) -> list[Unit]:
    counterparts = published_counterparts(version)
    units = []
    for section in version.sections.order_by("order"):
        before = counterparts.get(section.pk)
        for field in ("title", "body"):
            english, welsh = getattr(section, f"{field}_en"), getattr(section, f"{field}_cy")
            units.append(
                Unit(
                    f"section/{section.pk}/{field}",
                    _where(
                        gettext_noop("Guidance version %(number)s, section %(order)s “%(title)s”: %(field)s"),
                        number=version.number,
                        order=section.order,
                        title=section.title_en,
                        field=FIELD_NAMES[field],
                    ),
                    english,
                    welsh,
                    getattr(before, f"{field}_cy") if before else "",
                    before is None or getattr(before, f"{field}_en") != english,
                    section,
                    field,
                )
            )
    return units


def _principle_units(since) -> list[Unit]:
    return _history_units(
        list(Principle.objects.order_by("number")),
        model=Principle,
        since=since,
        prefix=lambda principle: f"principle/{principle.number}",
        where=lambda principle, field: _where(
            gettext_noop("Principle %(number)s “%(name)s”: %(field)s"),
            number=principle.number,
            name=principle.name_en,
            field=FIELD_NAMES[field],
        ),
        fields=("name", "summary"),
    )


def _question_units(questions: list[Question], since) -> list[Unit]:
    return _history_units(
        questions,
        model=Question,
        since=since,
        prefix=lambda question: f"question/{question.key}",
        where=lambda question, field: _where(
            gettext_noop("Scenario question “%(key)s” (principle %(number)s): scenario"),
            key=question.key,
            number=question.principle.number,
        ),
        fields=("prompt",),
    )


def _option_units(questions: list[Question], since) -> list[Unit]:
    options = list(
        Option.objects.filter(question__in=questions).select_related("question").order_by("question", "order")
    )
    return _history_units(
        options,
        model=Option,
        since=since,
        prefix=lambda option: f"option/{option.question.key}/{option.order}",
        where=lambda option, field: _where(
            gettext_noop("Scenario question “%(key)s”, answer %(order)s (correct): %(field)s")
            if option.is_correct
            else gettext_noop("Scenario question “%(key)s”, answer %(order)s: %(field)s"),
            key=option.question.key,
            order=option.order,
            field=FIELD_NAMES[field],
        ),
        fields=("text", "feedback"),
    )


def _legal_units(since) -> list[Unit]:
    return _history_units(
        list(LegalPage.objects.order_by("kind")),
        model=LegalPage,
        since=since,
        prefix=lambda page: f"legal/{page.kind}",
        where=lambda page, field: _where(
            gettext_noop("%(page)s: %(field)s"), page=LegalPage.Kind(page.kind).label, field=FIELD_NAMES[field]
        ),
        fields=("title", "body"),
    )


def _confirmed_english(version: GuidanceVersion) -> set[tuple[str, str]]:
    """(unit id, English) of every unit whose Welsh a translation file applied to this draft wrote or confirmed."""
    applied = TranslationImport.objects.filter(status=TranslationImport.Status.APPLIED, export__version=version)
    return {pair for confirmed in applied.values_list("confirmed_units", flat=True) for pair in confirmed.items()}
