"""Ending an exemption: asked first with the day it ends, the figures change at once, undone the same day only."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cycles.models import Exemption
from cycles.services import end_exemption, exempt_person, undo_end_exemption
from reporting.selectors import dashboard, forget_dashboard

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exemption(staff, cycle, hr):
    return exempt_person(
        person=staff, cycle=cycle, reason="career_break", ends_on=timezone.localdate() + timedelta(days=60), by=hr
    )


def test_end_now_asks_first_saying_the_day_it_ends_in_both_languages(client, hr, exemption):
    client.force_login(hr)
    listing = client.get(f"/en/hr/exemptions/?cycle={exemption.cycle_id}").content.decode()
    assert f'href="/en/hr/exemptions/{exemption.pk}/end/"' in listing  # a link to a question, not a button that acts
    today = timezone.localdate()
    page = client.get(f"/en/hr/exemptions/{exemption.pk}/end/").content.decode()
    assert f"End {exemption.person}’s exemption?" in page
    assert f"From {today.day} " in page and "they count in the cycle’s figures again" in page
    assert "Yes, end the exemption" in page
    welsh = html.unescape(client.get(f"/cy/ad/esemptiadau/{exemption.pk}/dod-i-ben/").content.decode())
    assert "Ie, dod â'r esemptiad i ben" in welsh and f"O {today.day} " in welsh
    exemption.refresh_from_db()
    assert exemption.ended_early_on is None  # asking changed nothing


def test_ending_an_exemption_changes_the_figures_at_once(
    client, hr, exemption, cycle, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    assert dashboard(cycle=cycle)["totals"]["exempt"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/hr/exemptions/{exemption.pk}/end/", follow=True)
    assert "They count in the figures again from" in response.content.decode()
    assert "You can undo this today" in response.content.decode()
    assert dashboard(cycle=cycle)["totals"]["exempt"] == 0  # the cached figures were forgotten, not waited out


def test_an_ending_can_be_undone_the_same_day_and_is_kept_in_the_history(
    client, hr, exemption, cycle, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/hr/exemptions/{exemption.pk}/end/")
    listing = client.get(f"/en/hr/exemptions/?cycle={cycle.pk}").content.decode()
    assert f'action="/en/hr/exemptions/{exemption.pk}/undo/"' in listing
    assert dashboard(cycle=cycle)["totals"]["exempt"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/hr/exemptions/{exemption.pk}/undo/", follow=True)
    assert "is exempt again until" in response.content.decode()
    exemption.refresh_from_db()
    assert (exemption.ended_early_on, exemption.ended_by, exemption.ended_at) == (None, None, None)
    assert dashboard(cycle=cycle)["totals"]["exempt"] == 1
    history = list(exemption.history.order_by("history_date").values_list("ended_by", "history_user"))
    assert history == [(None, None), (hr.pk, hr.pk), (None, hr.pk)]  # recorded, ended by HR, put back by HR


def test_an_ending_cannot_be_undone_the_next_day(exemption, hr):
    import time_machine

    end_exemption(exemption_id=exemption.pk, by=hr)
    tomorrow = time_machine.travel(timezone.now() + timedelta(days=1))  # HR come back to it the next day
    with tomorrow, pytest.raises(ValidationError) as refused:
        undo_end_exemption(exemption_id=exemption.pk, by=hr)
    assert refused.value.messages == ["An exemption can only be put back on the day it was ended"]


def test_an_ending_is_not_undone_over_an_exemption_recorded_since(exemption, hr, staff, cycle):
    end_exemption(exemption_id=exemption.pk, by=hr)
    exempt_person(person=staff, cycle=cycle, reason="other", note="Jury service", ends_on=exemption.ends_on, by=hr)
    with pytest.raises(ValidationError):
        undo_end_exemption(exemption_id=exemption.pk, by=hr)
    assert Exemption.objects.get(pk=exemption.pk).ended_early_on == timezone.localdate()


def test_ending_goes_through_save_so_the_figures_are_forgotten(exemption, hr, django_capture_on_commit_callbacks):
    """The figures are forgotten by the save's signal once committed: an ``update()`` would send none."""
    with django_capture_on_commit_callbacks() as callbacks:
        end_exemption(exemption_id=exemption.pk, by=hr)
    assert forget_dashboard in callbacks


@pytest.mark.parametrize(
    ("prefix", "path", "message"),
    [
        ("en", "hr/exemptions/new/", "The date the exemption ends must be today or in the future"),
        ("cy", "ad/esemptiadau/newydd/", "Rhaid i'r dyddiad y daw'r esemptiad i ben fod heddiw neu yn y dyfodol"),
    ],
)
def test_an_end_date_in_the_past_is_explained_without_a_start_date(client, hr, cycle, prefix, path, message):
    person = UserFactory()
    client.force_login(hr)
    page = client.post(
        f"/{prefix}/{path}",
        {
            "staff_number": person.staff_number,
            "reason": "career_break",
            "ends_on_0": "1",
            "ends_on_1": "1",
            "ends_on_2": "2020",
        },
    ).content.decode()
    page = html.unescape(page)
    assert message in page
    assert "start date" not in page and "dyddiad dechrau" not in page
    assert not Exemption.objects.exists()


def test_changing_a_cycles_audience_forgets_the_figures(cycle, django_capture_on_commit_callbacks):
    from ..factories import DepartmentFactory

    department = DepartmentFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        cycle.departments.add(department)
    assert forget_dashboard in callbacks
    with django_capture_on_commit_callbacks() as callbacks:
        cycle.joiner_days = 10
        cycle.save()
    assert forget_dashboard in callbacks
