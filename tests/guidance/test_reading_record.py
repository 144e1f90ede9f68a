"""Noting the sections a person has read, once per cycle."""

import pytest

from guidance.models import SectionRead
from guidance.services import record_reading

from ..factories import CycleFactory

pytestmark = pytest.mark.django_db


def test_the_first_reading_in_a_cycle_is_noted_once(staff, cycle, content):
    section = content.sections.order_by("order").first()
    assert record_reading(user=staff, sections=[section], cycle_id=cycle.pk) == {section.pk}
    assert record_reading(user=staff, sections=[section], cycle_id=cycle.pk) == {section.pk}  # a second tab
    assert SectionRead.objects.filter(user=staff, section=section).count() == 1
    next_year = CycleFactory(is_current=False)
    record_reading(user=staff, sections=[section], cycle_id=next_year.pk)
    assert set(SectionRead.objects.filter(user=staff, section=section).values_list("cycle", flat=True)) == {
        cycle.pk,
        next_year.pk,
    }


def test_nothing_is_noted_while_no_cycle_is_open(staff, content):
    section = content.sections.order_by("order").first()
    assert record_reading(user=staff, sections=[section], cycle_id=None) == set()
    assert not SectionRead.objects.exists()


def test_a_section_read_before_costs_no_query_and_no_transaction(staff, cycle, content, django_assert_num_queries):
    """On SQLite every transaction takes the one write lock: a page seen before must not queue behind writers."""
    section = content.sections.order_by("order").first()
    with django_assert_num_queries(0):
        read = record_reading(user=staff, sections=[section], cycle_id=cycle.pk, already_read=frozenset({section.pk}))
    assert read == {section.pk}


def test_a_page_opened_in_a_new_cycle_is_noted_for_it(client, staff, cycle, content):
    """The session remembers what it noted for one cycle only: when another opens, reading starts again."""
    client.force_login(staff)
    client.get("/en/guidance/principles/security/")
    cycle.is_current = False
    cycle.save()
    next_year = CycleFactory(is_current=True)
    session = client.session
    session["sections_read"]["at"] = 0  # the minute the session trusts its cycle has passed
    session.save()
    client.get("/en/guidance/principles/security/")
    assert set(SectionRead.objects.filter(user=staff).values_list("cycle", flat=True)) == {cycle.pk, next_year.pk}
