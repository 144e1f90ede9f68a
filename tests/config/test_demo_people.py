"""Demo people: a few hundred at every stage, only with DEBUG on."""

from collections import Counter

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from assessments.models import Acknowledgement, Attempt
from assessments.status import PersonStatus, annotate_status, people_in_report, people_with_status
from config.demo import create_demo_data
from config.demo_people import create_demo_people
from cycles.models import Cycle, Exemption
from portal.models import User
from reporting.statistics import question_statistics
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_demo_people_are_never_created_with_debug_off(content):
    call_command("setup_portal")
    assert not User.objects.filter(username__startswith="demo.").exists()
    with pytest.raises(ImproperlyConfigured):
        create_demo_people()
    assert not Attempt.objects.exists()


@override_settings(DEBUG=True)
def test_demo_people_are_at_every_stage_of_this_and_last_years_cycle(content):
    cycle = CycleFactory(name="2026–27", is_current=True)
    create_demo_data()
    assert create_demo_people(count=300) == 300
    assert create_demo_people(count=300) == 0  # safe to repeat: nothing added the second time
    cycle.refresh_from_db()  # the demo's cycle was due three weeks ago
    assert cycle.due_on < timezone.localdate()
    people = people_with_status(cycle=cycle).filter(username__startswith="demo.person")
    assert people.count() == 297  # three have left this year
    stages = Counter(people.values_list("progress", flat=True))  # how far they got, overdue or not
    for status in (PersonStatus.COMPLETED, PersonStatus.PASSED, PersonStatus.IN_PROGRESS, PersonStatus.NOT_STARTED):
        assert stages[status] >= 15, stages
    # Every state in the current cycle, overdue included, without changing any dates: joiners past their own due
    # date (two of them in the demo line manager's team), exempt people and people who have left.
    everyone = Counter(annotate_status(people_in_report(cycle=cycle), cycle=cycle).values_list("status", flat=True))
    assert everyone[PersonStatus.OVERDUE] >= 8 and everyone[PersonStatus.EXEMPT] == 8, everyone
    assert everyone[PersonStatus.LEFT] == 3, everyone
    manager = User.objects.get(username="demo.manager")
    assert people_with_status(cycle=cycle).filter(line_manager=manager, status=PersonStatus.OVERDUE).count() >= 2
    welsh = people.filter(preferred_language="cy").count()
    assert 40 <= welsh <= 120
    declared = Acknowledgement.objects.filter(cycle=cycle)
    days = {moment.date() for moment in declared.values_list("created_at", flat=True)}
    assert len(days) > 20  # spread over the weeks since the cycle opened, not all today
    assert min(days) >= cycle.opens_on
    assert declared.filter(language="cy").exists()
    last_year = Cycle.objects.get(opens_on__lt=cycle.opens_on)
    assert Acknowledgement.objects.filter(cycle=last_year).count() > 200
    # Last year was closed before this year's joiners and leavers: they are not in it, and nobody there has left.
    assert last_year.closed_at is not None
    closed = people_with_status(cycle=last_year)
    assert not closed.filter(username__startswith="demo.joiner").exists()
    statuses = Counter(closed.filter(username__startswith="demo.person").values_list("status", flat=True))
    assert sum(statuses.values()) == 300 and not statuses[PersonStatus.LEFT], statuses
    assert Exemption.objects.filter(cycle=cycle, person__username__startswith="demo.person").count() == 8
    # Every answer is consistent with its attempt's score.
    for attempt in Attempt.objects.filter(cycle=cycle)[:50]:
        assert attempt.score == attempt.answers.filter(is_correct=True).count()
        assert attempt.passed == (attempt.score * 100 >= attempt.pass_mark_percent * attempt.total)


@override_settings(DEBUG=True)
def test_the_demo_has_an_example_of_every_question_statistics_flag(db):
    """As the README says: `make run` shows each flag on the editors' question statistics for the current cycle."""
    call_command("setup_portal")
    flags = {flag for item in question_statistics(cycle=Cycle.objects.get(is_current=True)) for flag in item.flags}
    assert flags == {"too_easy", "too_hard", "misleading", "translation"}, flags


def test_every_demo_department_name_starts_with_a_capital_in_both_languages():
    """A department name stands alone in table cells, filters and the CSV, so "yr Economi" would read as a typo."""
    from config import demo, demo_people

    names = [name for _code, en, cy, *_share in demo.DEPARTMENTS + demo_people.DEPARTMENTS for name in (en, cy)]
    assert [name for name in names if not name[0].isupper()] == []
