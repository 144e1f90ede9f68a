"""Cycles are kept in the admin through the cycle app's service: making the next cycle current is one save."""

from datetime import date

import pytest

from cycles.models import Cycle

from ..factories import CycleFactory

pytestmark = pytest.mark.django_db


def _form(cycle: Cycle, **changes) -> dict:
    data = {
        "name": cycle.name,
        "opens_on": cycle.opens_on.isoformat(),
        "due_on": cycle.due_on.isoformat(),
        "closes_on": "",
        "questions_per_principle": cycle.questions_per_principle,
        "pass_mark_percent": cycle.pass_mark_percent,
        "joiner_days": cycle.joiner_days,
        "remind_days_before": cycle.remind_days_before,
        "remind_overdue_every_days": cycle.remind_overdue_every_days,
        "manager_summary_every_days": cycle.manager_summary_every_days,
        "remind_on_opening": "on",
        "remind_on_due_date": "on",
    }
    data.update(changes)
    return data


def test_making_the_next_cycle_current_takes_over_from_the_current_one_in_one_save(client, editor):
    this_year = CycleFactory(name="2026–27", opens_on=date(2026, 4, 1), due_on=date(2027, 3, 31), is_current=True)
    next_year = CycleFactory(name="2027–28", opens_on=date(2027, 4, 1), due_on=date(2028, 3, 31), is_current=False)
    client.force_login(editor)
    response = client.post(f"/en/admin/cycles/cycle/{next_year.pk}/change/", _form(next_year, is_current="on"))
    assert response.status_code == 302, [line for line in response.content.decode().splitlines() if "error" in line]
    assert Cycle.objects.current() == next_year
    this_year.refresh_from_db()
    assert not this_year.is_current
    assert next_year.history.first().history_user == editor  # the change is in the cycle's history, by its editor


def test_a_closed_cycle_still_cannot_be_made_current(client, editor):
    from django.utils import timezone

    closed = CycleFactory(name="2024–25", opens_on=date(2024, 4, 1), due_on=date(2025, 3, 31), is_current=False)
    Cycle.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    current = CycleFactory(is_current=True)
    client.force_login(editor)
    response = client.post(f"/en/admin/cycles/cycle/{closed.pk}/change/", _form(closed, is_current="on"))
    assert response.status_code == 200
    assert "A closed cycle cannot be the current cycle." in response.content.decode()
    assert Cycle.objects.current() == current
