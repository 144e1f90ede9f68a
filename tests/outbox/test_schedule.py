"""Periodic jobs registered with the outbox's schedule run once per period, however many workers poll."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outbox import schedule
from outbox.models import PeriodicJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(monkeypatch):
    monkeypatch.setattr(schedule, "REGISTRY", {})
    runs = []

    @schedule.periodic("tests.count", every=timedelta(hours=1))
    def count():
        runs.append(timezone.now())

    return runs


def test_a_due_job_is_enqueued_once_and_run_by_the_worker(job, deliver_outbox):
    now = timezone.now()
    assert schedule.enqueue_due_jobs(now=now) == ["tests.count"]
    assert schedule.enqueue_due_jobs(now=now) == []  # a second worker polling at the same moment gets nothing
    deliver_outbox()
    assert len(job) == 1
    assert PeriodicJob.objects.get(name="tests.count").next_run_at == now + timedelta(hours=1)


def test_it_runs_again_after_its_period(job):
    now = timezone.now()
    schedule.enqueue_due_jobs(now=now)
    assert schedule.enqueue_due_jobs(now=now + timedelta(minutes=59)) == []
    assert schedule.enqueue_due_jobs(now=now + timedelta(hours=1)) == ["tests.count"]


def test_a_job_can_wait_before_its_first_run(monkeypatch):
    monkeypatch.setattr(schedule, "REGISTRY", {})
    schedule.periodic("tests.later", every=timedelta(days=1), first_run_after=timedelta(hours=2))(lambda: None)
    now = timezone.now()
    assert schedule.enqueue_due_jobs(now=now) == []
    assert schedule.enqueue_due_jobs(now=now + timedelta(hours=2)) == ["tests.later"]


def test_the_outbox_registers_its_own_jobs():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("jobs")
    assert {"outbox.sweep", "outbox.prune_task_results"} <= set(schedule.REGISTRY)


def test_a_period_must_be_positive():
    with pytest.raises(ValueError):
        schedule.periodic("tests.never", every=timedelta(0))
