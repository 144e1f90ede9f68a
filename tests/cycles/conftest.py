from datetime import timedelta

import pytest
from django.utils import timezone

from ..factories import CycleFactory, DepartmentFactory, UserFactory


@pytest.fixture
def late_cycle(db):
    """A current cycle that opened 100 days ago and was due 10 days ago, with 28 days for new joiners."""
    today = timezone.localdate()
    return CycleFactory(
        name="2026–27", opens_on=today - timedelta(days=100), due_on=today - timedelta(days=10), joiner_days=28
    )


@pytest.fixture
def team(db, late_cycle):
    """A line manager with three reports in Education: a long-serving member of staff, a joiner who started 5 days
    ago (own due date 23 days from now) and one more; and one person in Health."""
    today = timezone.localdate()
    education = DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    health = DepartmentFactory(code="HSS", name_en="Health", name_cy="Iechyd")
    boss = UserFactory(username="boss", department=education, first_name="Rhian", last_name="Boss")
    return {
        "boss": boss,
        "veteran": UserFactory(
            username="veteran", first_name="Vera", last_name="Veteran", department=education, line_manager=boss
        ),
        "joiner": UserFactory(
            username="joiner",
            first_name="Jo",
            last_name="Joiner",
            department=education,
            line_manager=boss,
            start_date=today - timedelta(days=5),
        ),
        "other": UserFactory(
            username="other", first_name="Owen", last_name="Other", department=education, line_manager=boss
        ),
        "health": UserFactory(username="health", first_name="Hywel", last_name="Health", department=health),
        "education": education,
        "health_department": health,
    }
