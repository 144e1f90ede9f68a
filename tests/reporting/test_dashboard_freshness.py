"""HR's dashboard is cached, and forgotten the moment an exemption starts or ends: the figures are right at once, not
a minute later."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cycles.services import end_exemption, exempt_person
from reporting import selectors

pytestmark = pytest.mark.django_db


def in_scope(cycle) -> int:
    return selectors.dashboard(cycle=cycle)["totals"]["in_scope"]


def test_an_exemption_shows_on_the_dashboard_at_once_and_so_does_its_end(
    hr, workforce, cycle, django_capture_on_commit_callbacks
):
    before = in_scope(cycle)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        exemption = exempt_person(
            person=workforce[7], cycle=cycle, reason="long_term_leave",
            ends_on=timezone.localdate() + timedelta(days=30), by=hr,
        )  # fmt: skip
    assert in_scope(cycle) == before - 1
    with django_capture_on_commit_callbacks(execute=True):
        end_exemption(exemption_id=exemption.pk, by=hr)
    assert in_scope(cycle) == before
