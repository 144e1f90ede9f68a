"""Noting the sections a person has read."""

import pytest

from guidance.models import SectionRead
from guidance.services import record_reading

pytestmark = pytest.mark.django_db


def test_the_first_reading_is_noted_once(staff, content):
    section = content.sections.order_by("order").first()
    assert record_reading(user=staff, sections=[section]) == {section.pk}
    assert record_reading(user=staff, sections=[section]) == {section.pk}  # a second tab: no duplicate, no error
    assert SectionRead.objects.filter(user=staff, section=section).count() == 1


def test_a_section_read_before_costs_no_query_and_no_transaction(staff, content, django_assert_num_queries):
    """On SQLite every transaction takes the one write lock: a page seen before must not queue behind writers."""
    section = content.sections.order_by("order").first()
    with django_assert_num_queries(0):
        assert record_reading(user=staff, sections=[section], already_read=frozenset({section.pk})) == {section.pk}
