"""A few hundred demo people at every stage of the cycle, so the dashboard, charts and statistics show something on a
fresh machine. Only ever created when DEBUG is on; safe to run again (nothing is added once they exist).

The answers follow a simple model of people and questions (each person has an ability, each scenario a difficulty),
with a few scenarios made deliberately too easy, too hard, misleading (a wrong option that draws more answers than
the right one) or harder in one language, so every flag on the question statistics page has an example.
"""

import random
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from assessments.models import Acknowledgement, Attempt, AttemptQuestion, Option, Question, new_reference
from config.demo import DEMO_PASSWORD
from config.demo_answers import QuestionModel, attempts_for, spread_day
from cycles.models import Cycle
from directory.models import Department
from evidence import chain
from evidence.models import ChainLink
from guidance.models import GuidanceVersion
from portal.models import User

PEOPLE = 320
PREFIX = "demo.person"
JOINER_PREFIX = "demo.joiner"
DEPARTMENTS = [
    # code, English, Welsh, share of the people
    ("ECON", "Economy, Energy and Transport", "Yr Economi, Ynni a Thrafnidiaeth", 0.22),
    ("EDU", "Education and Welsh Language", "Addysg a’r Gymraeg", 0.2),
    ("HSS", "Health and Social Services", "Iechyd a Gwasanaethau Cymdeithasol", 0.2),
    ("CORP", "Corporate Services", "Gwasanaethau Corfforaethol", 0.14),
    ("CLIM", "Climate Change and Rural Affairs", "Newid Hinsawdd a Materion Gwledig", 0.12),
    ("FIN", "Finance", "Cyllid", 0.11),
    ("LEG", "Legal Services", "Gwasanaethau Cyfreithiol", 0.01),  # a department too small to show
]
FIRST_NAMES = [
    "Alys",
    "Bethan",
    "Carys",
    "Dafydd",
    "Eleri",
    "Ffion",
    "Gethin",
    "Huw",
    "Ifan",
    "Lowri",
    "Meinir",
    "Nia",
    "Owain",
    "Rhys",
    "Sioned",
    "Tomos",
    "Aled",
    "Catrin",
    "Emyr",
    "Gwenllian",
    "Iwan",
    "Mali",
]
LAST_NAMES = [
    "Jones",
    "Williams",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Hughes",
    "Lewis",
    "Morgan",
    "Griffiths",
    "Owen",
    "Price",
    "Rees",
    "Jenkins",
    "Powell",
    "Pritchard",
    "Bowen",
    "Parry",
    "Lloyd",
    "Watkins",
]


@transaction.atomic
def create_demo_people(*, count: int = PEOPLE, seed: int = 17, today: date | None = None) -> int:
    """Creates the demo people with their attempts and declarations in this and last year's cycle. Returns how many
    people were created (0 when they already exist)."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo people are only created when DEBUG is on.")
    if User.objects.filter(username__startswith=PREFIX).exists():
        return 0
    cycle = Cycle.objects.current()
    version = GuidanceVersion.objects.latest_published()
    if cycle is None or version is None:
        return 0
    today = today or timezone.localdate()
    _due_a_while_ago(cycle, today=today)
    rng = random.Random(seed)
    departments = []
    for code, name_en, name_cy, share in DEPARTMENTS:
        department, _created = Department.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_cy": name_cy}
        )
        departments.append((department, share))
    password = make_password(DEMO_PASSWORD)
    people = User.objects.bulk_create(
        User(
            username=f"{PREFIX}{number:03d}",
            staff_number=f"E{number:04d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"{PREFIX}{number:03d}@example.gov.wales",
            department=rng.choices([d for d, _s in departments], weights=[s for _d, s in departments])[0],
            preferred_language="cy" if rng.random() < 0.25 else "en",
            password=password,
        )
        for number in range(1, count + 1)
    )
    manager = User.objects.filter(username="demo.manager").first()
    if manager:  # a bigger team for "My team"
        team = people[:10]
        for person in team:
            person.line_manager = manager
        User.objects.bulk_update(team, ["line_manager"])
    questions = list(Question.objects.filter(is_active=True).select_related("principle"))
    options: dict[int, list[Option]] = {}
    for option in Option.objects.filter(question__in=questions).order_by("order"):
        options.setdefault(option.question_id, []).append(option)
    model = QuestionModel(rng, questions, options)
    previous = _last_years_cycle(cycle)
    abilities = {person.pk: rng.gauss(0.6, 1.0) for person in people}
    _fill_cycle(rng, model, people, abilities, cycle=cycle, version=version, today=today, questions=questions)
    if previous:
        _fill_cycle(rng, model, people, abilities, cycle=previous, version=version, today=today, questions=questions)
    _exempt_some(people, cycle=cycle, today=today)
    officer = User.objects.filter(username="demo.hr").first()
    if previous and officer and not previous.is_closed:
        # Last year ended before this year's joiners and leavers: HR closed it, so they do not change it.
        from assessments.closing import close_cycle

        close_cycle(cycle=previous, closed_by=officer)
    _add_joiners(rng, model, cycle=cycle, today=today, password=password, departments=departments, questions=questions)
    _make_leavers(people[-LEAVERS:], today=today)
    return len(people)


JOINERS = 14  # people who started after the cycle opened: most of them are past their own due date
LEAVERS = 3


def _add_joiners(rng, model, *, cycle: Cycle, today: date, password: str, departments, questions) -> None:
    """New joiners with their own due dates (start date plus the cycle's days for joiners): ten started long enough
    ago to be overdue now (some never started, some failed the questions), four started recently and are still in
    time. Two of the overdue ones report to the demo line manager, so "My team" and chasing can be tried at once."""
    starts = [today - timedelta(days=cycle.joiner_days + 5 + 4 * index) for index in range(10)]
    starts += [today - timedelta(days=3 + 5 * index) for index in range(JOINERS - 10)]
    starts = [max(start, cycle.opens_on + timedelta(days=1)) for start in starts]
    joiners = User.objects.bulk_create(
        User(
            username=f"{JOINER_PREFIX}{number:03d}",
            staff_number=f"J{number:04d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"{JOINER_PREFIX}{number:03d}@example.gov.wales",
            department=rng.choices([d for d, _s in departments], weights=[s for _d, s in departments])[0],
            preferred_language="cy" if number % 4 == 0 else "en",
            start_date=start,
            password=password,
        )
        for number, start in enumerate(starts, start=1)
    )
    manager = User.objects.filter(username="demo.manager").first()
    if manager:
        for joiner in joiners[:2]:
            joiner.line_manager = manager
        User.objects.bulk_update(joiners[:2], ["line_manager"])
    by_principle: dict[int, list[Question]] = {}
    for question in questions:
        by_principle.setdefault(question.principle_id, []).append(question)
    groups = [group for _key, group in sorted(by_principle.items())]
    attempts = []
    for index, joiner in enumerate(joiners):
        if index % 3 == 2:  # tried the questions after starting, and did not pass
            attempts += attempts_for(
                rng,
                model,
                person=joiner,
                ability=-3,
                cycle=cycle,
                day=min(today, (joiner.start_date or today) + timedelta(days=2)),
                questions_by_principle=groups,
                must_pass=False,
            )
    Attempt.objects.bulk_create([attempt for attempt, _drawn, _chosen in attempts])
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            question=question,
            position=position,
            option_order=[choice.pk for choice in model.options[question.pk]],
            chosen_option=option,
            is_correct=option.is_correct,
            answered_at=attempt.submitted_at,
        )
        for attempt, drawn, chosen in attempts
        for position, (question, option) in enumerate(zip(drawn, chosen, strict=True), start=1)
    )


def _make_leavers(people, *, today: date) -> None:
    """A few people who left this year: out of this year's figures, still in last year's closed ones as they were."""
    User.objects.filter(pk__in=[person.pk for person in people]).update(
        is_active=False, left_on=today - timedelta(days=10)
    )


DAYS_PAST_DUE = 21


def _due_a_while_ago(cycle: Cycle, *, today: date) -> None:
    """The demo's cycle was due three weeks ago, so overdue people (and chasing them) can be tried at once, without
    changing any dates: those who never finished, and joiners past their own due date."""
    due = max(cycle.opens_on, today - timedelta(days=DAYS_PAST_DUE))
    if cycle.due_on > due:
        cycle.due_on = due
        cycle.save(update_fields=["due_on"])


def _exempt_some(people, *, cycle: Cycle, today: date, count: int = 8) -> None:
    """A few people who have not started are on long-term leave or seconded out, recorded by the demo HR officer."""
    from cycles.models import Exemption
    from cycles.services import exempt_person

    officer = User.objects.filter(username="demo.hr").first()
    if officer is None:
        return
    started = set(Attempt.objects.filter(cycle=cycle).values_list("user_id", flat=True))
    waiting = [person for person in people if person.pk not in started][:count]
    reasons = [Exemption.Reason.LONG_TERM_LEAVE, Exemption.Reason.SECONDMENT_OUT]
    for index, person in enumerate(waiting):
        exempt_person(
            person=person,
            cycle=cycle,
            reason=reasons[index % 2],
            starts_on=max(cycle.opens_on, today - timedelta(days=30 + index * 7)),
            ends_on=max(cycle.due_on, today + timedelta(days=60 + index * 7)),
            by=officer,
        )


def _last_years_cycle(cycle: Cycle) -> Cycle:
    previous = Cycle.objects.filter(opens_on__lt=cycle.opens_on).order_by("-opens_on").first()
    if previous:
        return previous
    opens = cycle.opens_on.replace(year=cycle.opens_on.year - 1)
    name = f"{opens.year}–{str(opens.year + 1)[-2:]}"
    return Cycle.objects.create(
        name=name, opens_on=opens, due_on=cycle.due_on.replace(year=cycle.due_on.year - 1), is_current=False
    )


def _fill_cycle(rng, model, people, abilities, *, cycle, version, today, questions):
    """Stages this year: about 55% completed, 8% passed but not confirmed, 10% in progress (a failed attempt),
    the rest not started. Last year's cycle (closed): about 85% completed, spread over the year."""
    closed = not cycle.is_current  # last year's: it ended (and is closed once filled)
    end = min(today, cycle.due_on + timedelta(days=30)) if closed else today
    by_principle: dict[int, list[Question]] = {}
    for question in questions:
        by_principle.setdefault(question.principle_id, []).append(question)
    groups = [group for _key, group in sorted(by_principle.items())]
    attempts, answers, acknowledgements = [], [], []
    for person in people:
        roll = rng.random()
        if closed:
            stage = "completed" if roll < 0.85 else ("in_progress" if roll < 0.92 else "not_started")
        else:
            stage = (
                "completed"
                if roll < 0.55
                else "passed"
                if roll < 0.63
                else "in_progress"
                if roll < 0.73
                else "not_started"
            )
        if stage == "not_started":
            continue
        day = spread_day(rng, cycle.opens_on, end)
        made = attempts_for(
            rng,
            model,
            person=person,
            # people still in progress are those whose one attempt fell short (a few pass anyway: "passed")
            ability=abilities[person.pk] - (3 if stage == "in_progress" else 0),
            cycle=cycle,
            day=day,
            questions_by_principle=groups,
            must_pass=stage in ("completed", "passed"),
        )
        attempts.extend(made)
        if stage == "completed":
            acknowledgements.append(
                Acknowledgement(
                    user=person,
                    cycle=cycle,
                    guidance_version=version,
                    attempt=made[-1][0],
                    reference=new_reference(),
                    language=person.preferred_language,
                    content_sha256=version.content_sha256,
                    created_at=made[-1][0].submitted_at + timedelta(minutes=2),
                )
            )
    Attempt.objects.bulk_create([attempt for attempt, _drawn, _chosen in attempts])
    for attempt, drawn, chosen in attempts:
        for position, (question, option) in enumerate(zip(drawn, chosen, strict=True), start=1):
            answers.append(
                AttemptQuestion(
                    attempt=attempt,
                    question=question,
                    position=position,
                    option_order=[choice.pk for choice in model.options[question.pk]],
                    chosen_option=option,
                    is_correct=option.is_correct,
                    answered_at=attempt.submitted_at,
                )
            )
    AttemptQuestion.objects.bulk_create(answers, batch_size=2000)
    Acknowledgement.objects.bulk_create(acknowledgements)
    acknowledgements.sort(key=lambda record: record.created_at)
    chain.append_all(kind=ChainLink.Kind.DECLARATION, records=acknowledgements)
