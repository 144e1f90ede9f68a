"""Exemptions: recorded with who and when, refused with a clear message when wrong, ended early, and HR's pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cycles.models import Exemption
from cycles.selectors import active_exemption
from cycles.services import end_exemption, exempt_person

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_exemption_is_recorded_with_who_and_when_and_covers_its_dates(staff, cycle, hr):
    today = timezone.localdate()
    exemption = exempt_person(
        person=staff, cycle=cycle, reason="long_term_leave", ends_on=today + timedelta(days=30), by=hr
    )
    assert (exemption.created_by, exemption.starts_on) == (hr, today)
    assert active_exemption(person=staff, cycle=cycle, today=today) == exemption
    assert active_exemption(person=staff, cycle=cycle, today=today + timedelta(days=30)) == exemption
    assert active_exemption(person=staff, cycle=cycle, today=today + timedelta(days=31)) is None
    assert active_exemption(person=staff, cycle=cycle, today=today - timedelta(days=1)) is None


def test_ending_early_keeps_the_record_and_who_ended_it(staff, cycle, hr):
    today = timezone.localdate()
    exemption = exempt_person(person=staff, cycle=cycle, reason="secondment_out", ends_on=today + timedelta(30), by=hr)
    ended = end_exemption(exemption_id=exemption.pk, by=hr, today=today + timedelta(days=5))
    assert (ended.ended_early_on, ended.ended_by) == (today + timedelta(days=5), hr)
    assert active_exemption(person=staff, cycle=cycle, today=today + timedelta(days=4)) == exemption
    assert active_exemption(person=staff, cycle=cycle, today=today + timedelta(days=5)) is None
    with pytest.raises(ValidationError):
        end_exemption(exemption_id=exemption.pk, by=hr, today=today + timedelta(days=6))
    assert Exemption.objects.filter(pk=exemption.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "other"}, "note"),
        ({"reason": "holiday"}, "reason"),
        ({"ends_on": -1}, "ends_on"),
    ],
)
def test_bad_exemptions_are_refused_with_a_message_and_nothing_saved(staff, cycle, hr, changes, field):
    today = timezone.localdate()
    arguments = {"reason": "career_break", "ends_on": today + timedelta(days=10), **changes}
    if isinstance(arguments["ends_on"], int):
        arguments["ends_on"] = today + timedelta(days=arguments["ends_on"])
    with pytest.raises(ValidationError) as problem:
        exempt_person(person=staff, cycle=cycle, by=hr, **arguments)
    assert field in problem.value.message_dict
    assert not Exemption.objects.exists()


def test_a_second_overlapping_exemption_is_refused_until_the_first_is_ended(staff, cycle, hr):
    today = timezone.localdate()
    first = exempt_person(person=staff, cycle=cycle, reason="career_break", ends_on=today + timedelta(10), by=hr)
    with pytest.raises(ValidationError):
        exempt_person(person=staff, cycle=cycle, reason="long_term_leave", ends_on=today + timedelta(20), by=hr)
    end_exemption(exemption_id=first.pk, by=hr)
    exempt_person(person=staff, cycle=cycle, reason="long_term_leave", ends_on=today + timedelta(20), by=hr)
    assert Exemption.objects.filter(person=staff).count() == 2


def test_hr_exempt_someone_and_end_it_from_the_pages(client, staff, cycle, hr):
    client.force_login(hr)
    ends = timezone.localdate() + timedelta(days=40)
    response = client.post(
        f"/en/hr/exemptions/new/?cycle={cycle.pk}",
        {
            "staff_number": staff.staff_number,
            "reason": "other",
            "note": "Jury service",
            "ends_on_0": ends.day,
            "ends_on_1": ends.month,
            "ends_on_2": ends.year,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "is exempt from" in page and "Jury service" in page and str(hr) in page
    exemption = Exemption.objects.get(person=staff)
    assert exemption.created_by == hr
    response = client.post(f"/en/hr/exemptions/{exemption.pk}/end/", follow=True)
    assert "exemption has ended" in response.content.decode()
    exemption.refresh_from_db()
    assert exemption.ended_by == hr and exemption.ended_early_on == timezone.localdate()


def test_the_form_explains_every_problem_in_welsh(client, cycle, hr):
    client.force_login(hr)
    page = client.post(
        "/cy/ad/esemptiadau/newydd/",
        {"staff_number": "NOBODY", "reason": "other", "ends_on_0": "31", "ends_on_1": "2", "ends_on_2": "2027"},
    ).content.decode()
    assert "Mae problem wedi codi" in page
    assert "Nid oes gan neb yn y cyfeiriadur staff y rhif staff hwn" in page
    assert "Dywedwch pam mae&#x27;r person hwn wedi&#x27;i esemptio" in page
    assert "Rhowch ddyddiad go iawn" in page
    assert not Exemption.objects.exists()


def test_someone_who_left_cannot_be_exempted(client, cycle, hr):
    leaver = UserFactory(is_active=False)
    client.force_login(hr)
    page = client.post(
        "/en/hr/exemptions/new/",
        {
            "staff_number": leaver.staff_number,
            "reason": "career_break",
            "ends_on_0": "1",
            "ends_on_1": "1",
            "ends_on_2": "2030",
        },
    ).content.decode()
    assert "No one in the staff directory has this staff number" in page
    assert not Exemption.objects.exists()
